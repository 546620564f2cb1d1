"""The output folder of a class run: checked before grading, held by one run at a time, kept tidy.

* `check_writable(out)`: a folder (made if missing) this process can write in, or a message saying
  what it is instead (a file, a read-only folder) and what to do.
* `OutputLock`: `OUT/.grade.lock` holds the pid and start of the run writing `out`, under an
  exclusive `flock`. A second run gets a message naming the holder; a lock whose run died (even
  by SIGKILL) is free — the kernel released it — and is taken over. Two runs never interleave
  their cards or languages.
* `sweep_tmp(out)`: the `.NAME.*.tmp` files an interrupted atomic write left behind (run while
  holding the lock, so no other run is writing them).
* `prune(out, stems)`: cards and exports of students no longer in the class, removed from the pages
  (their saved results stay in `.students/`, the history).
"""

from __future__ import annotations

import errno
import fcntl
import os
import re
import time
from datetime import datetime, timezone
from pathlib import Path

from .i18n import t

LOCK_NAME = ".grade.lock"
_TMP = re.compile(r"^\..+\.tmp$")  # write_atomic's temporary names: `.{name}.{random}.tmp`
_SWEPT_FOLDERS = ("", "cards", ".cards", ".students", "gradescope")
_held: list[int] = []  # lock fds of this process (a forked grading process closes its copies)


class OutputError(Exception):
    """The output folder cannot be used: the message names it, why, and the fix."""


def check_writable(out: Path) -> None:
    """Make `out` if needed and make sure files can be written in it, or raise OutputError."""
    if out.exists() and not out.is_dir():
        raise OutputError(t("cli.out.not_a_folder", out=out))
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(t("cli.out.cannot_make", out=out, error=exc.strerror or exc)) from None
    probe = out / f".grade-probe-{os.getpid()}.tmp"
    try:
        with open(probe, "w", encoding="utf-8") as f:
            f.write("ok")
    except OSError as exc:
        raise OutputError(t("cli.out.not_writable", out=out, error=exc.strerror or exc)) from None
    finally:
        try:
            probe.unlink()
        except OSError:
            pass


class OutputLock:
    """`with OutputLock(out):` — this run alone writes `out` until the block ends (or the process does)."""

    def __init__(self, out: Path, *, wait_seconds: float = 3.0) -> None:
        self.out = out
        self.path = out / LOCK_NAME
        self.wait_seconds = wait_seconds
        self.fd: int | None = None

    def acquire(self) -> None:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        deadline = time.monotonic() + self.wait_seconds
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN):
                    os.close(fd)
                    raise OutputError(t("cli.out.not_writable", out=self.out, error=exc.strerror or exc)) from None
                holder = _holder(fd)
                # The holder's pid is gone: its grading processes are dying with it; give them a moment.
                if holder.get("pid") and not _alive(holder["pid"]) and time.monotonic() < deadline:
                    time.sleep(0.1)
                    continue
                os.close(fd)
                raise OutputError(t("cli.out.locked", out=self.out, pid=holder.get("pid", "?"),
                                    started=holder.get("started", "?"), lock=self.path)) from None
        os.ftruncate(fd, 0)
        started = datetime.now(timezone.utc).isoformat(timespec="seconds")
        os.pwrite(fd, f"pid={os.getpid()}\nstarted={started}\n".encode(), 0)
        self.fd = fd
        _held.append(fd)

    def release(self) -> None:
        fd, self.fd = self.fd, None
        if fd is None:
            return
        if fd in _held:
            _held.remove(fd)
        try:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)

    def __enter__(self) -> OutputLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def forget_inherited_locks() -> None:
    """In a process forked from the run: close its copies of the run's lock fds (never unlocking
    them: the lock stays the run's, and ends with it)."""
    for fd in list(_held):
        try:
            os.close(fd)
        except OSError:
            pass
    _held.clear()


def _holder(fd: int) -> dict[str, int | str]:
    try:
        text = os.pread(fd, 512, 0).decode("utf-8", "replace")
    except OSError:
        return {}
    info: dict[str, int | str] = {}
    for line in text.splitlines():
        key, _, value = line.partition("=")
        if key == "pid" and value.strip().isdigit():
            info["pid"] = int(value)
        elif key == "started":
            info["started"] = value.strip()
    return info


def _alive(pid: int | str) -> bool:
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except (PermissionError, ValueError):
        return True
    return True


def sweep_tmp(out: Path) -> list[Path]:
    """Remove the temporary files of interrupted atomic writes in `out`; returns them."""
    removed = []
    for sub in _SWEPT_FOLDERS:
        folder = out / sub if sub else out
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for e in entries:
            if _TMP.match(e.name) and e.is_file(follow_symlinks=False):
                try:
                    os.unlink(e.path)
                    removed.append(Path(e.path))
                except OSError:
                    pass
    return removed


def prune(out: Path, stems: set[str]) -> list[Path]:
    """Remove the cards, card records and Gradescope exports whose student is not in `stems`."""
    removed = []
    for folder, suffix in (("cards", ".html"), (".cards", ".json"), ("gradescope", ".json")):
        try:
            entries = list(os.scandir(out / folder))
        except OSError:
            continue
        for e in entries:
            if e.name.endswith(suffix) and not e.name.startswith(".") and e.name[: -len(suffix)] not in stems \
                    and e.is_file(follow_symlinks=False):
                try:
                    os.unlink(e.path)
                    removed.append(Path(e.path))
                except OSError:
                    pass
    return removed
