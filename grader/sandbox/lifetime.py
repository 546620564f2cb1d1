"""Nothing outlives a run: processes die with their parent, temporary files live in one locked folder.

* `die_with_parent()` asks the kernel to SIGKILL this process when its parent dies (Linux
  `PR_SET_PDEATHSIG`): a grading process dies with the main process, a worker with its grading
  process — a SIGKILL of the main process included, which no handler can see.
* `run_dir()` is this process's temporary folder (`$TMPDIR/grade-run-<pid>-…`): every workspace,
  worker log, unpacked archive and sandbox probe of the run lives in it. The process holds an
  exclusive `flock` on its `.lock` file for as long as it lives (the kernel releases it when the
  process ends, however it ends); the folder is removed at a normal exit, and any run folder whose
  lock is free — its process died — is swept by the next run that starts.
"""

from __future__ import annotations

import atexit
import ctypes
import ctypes.util
import fcntl
import os
import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path

PREFIX = "grade-run-"
LOCK = ".lock"
_PR_SET_PDEATHSIG = 1
_YOUNG_SECONDS = 600  # a run folder without its lock file yet is only swept when older than this

_state: dict[str, object] = {}


def _libc() -> ctypes.CDLL | None:
    if not sys.platform.startswith("linux"):
        return None
    if "libc" not in _state:
        try:
            _state["libc"] = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        except OSError:
            _state["libc"] = None
    return _state["libc"]  # type: ignore[return-value]


def die_with_parent(parent: int | None = None, sig: int = signal.SIGKILL) -> bool:
    """Have the kernel send `sig` to this process when the thread that started it ends (Linux only).

    `parent`: the pid expected as parent; if it is already gone (it died before this call), this
    process exits at once. Returns whether the request was made. Safe between fork and exec.
    """
    libc = _libc()
    if libc is None:
        return False
    if libc.prctl(_PR_SET_PDEATHSIG, int(sig), 0, 0, 0) != 0:
        return False
    if parent is not None and os.getppid() != parent:
        os._exit(1)  # the parent died before the request: nobody would ever stop this process
    return True


def pdeathsig_preexec(inner=None):  # noqa: ANN001, ANN201 - a preexec_fn: () -> None
    """A `preexec_fn` for Popen that first makes the child die with this process, then runs `inner`."""
    parent = os.getpid()

    def run() -> None:
        die_with_parent(parent)
        if inner is not None:
            inner()

    return run


# ── the run's temporary folder ──────────────────────────────────────────────────────────────────

def run_dir() -> Path:
    """This process's locked temporary folder, made (and earlier runs' leftovers swept) on first use.

    A process forked from the one that made it shares it (and its lock); a new process makes its own.
    """
    path = _state.get("dir")
    if isinstance(path, Path) and path.is_dir():
        return path
    sweep()
    made = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-"))
    fd = os.open(made / LOCK, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # a fresh folder: nobody else can hold it
    os.write(fd, f"{os.getpid()}\n".encode())
    os.chmod(made, 0o755)  # a sandbox's own user must be able to pass through to its copy
    _state.update(dir=made, fd=fd, owner=os.getpid())
    atexit.register(_remove_own)
    return made


def _remove_own() -> None:
    """At a normal exit of the process that made the run folder (not of a process forked from it)."""
    if _state.get("owner") == os.getpid():
        remove_run_dir()


def remove_run_dir() -> None:
    """Remove this process's run folder now (the next `run_dir()` makes a new one)."""
    path, fd = _state.pop("dir", None), _state.pop("fd", None)
    _state.pop("owner", None)
    if isinstance(path, Path):
        shutil.rmtree(path, ignore_errors=True)
    if isinstance(fd, int):
        try:
            os.close(fd)
        except OSError:
            pass


def sweep(tmp: Path | None = None) -> list[Path]:
    """Remove the run folders of processes that have ended (their lock is free); returns them."""
    tmp = Path(tmp or tempfile.gettempdir())
    removed = []
    try:
        entries = list(os.scandir(tmp))
    except OSError:
        return removed
    for entry in entries:
        if not entry.name.startswith(PREFIX) or not entry.is_dir(follow_symlinks=False):
            continue
        if _stale(Path(entry.path)):
            shutil.rmtree(entry.path, ignore_errors=True)
            removed.append(Path(entry.path))
    return removed


def _stale(folder: Path) -> bool:
    try:
        fd = os.open(folder / LOCK, os.O_RDONLY | os.O_CLOEXEC | os.O_NOFOLLOW)
    except FileNotFoundError:
        try:
            return time.time() - folder.stat().st_mtime > _YOUNG_SECONDS
        except OSError:
            return False
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False  # a live process holds it
    finally:
        os.close(fd)
    return True


# ── the run's processes ─────────────────────────────────────────────────────────────────────────

RUN_ENV = "GRADER_RUN"  # in every worker's environment: finds a run's stray processes in /proc


def run_marker() -> str:
    """This run's mark (its temporary folder's name), put in the environment of every worker it starts."""
    return run_dir().name


def kill_marked(marker: str | None = None) -> list[int]:
    """SIGKILL every other process whose environment carries this run's mark (a worker whose grading
    process was killed, a daemon a student started without a sandbox); returns their pids."""
    marker = marker or (_state["dir"].name if isinstance(_state.get("dir"), Path) else "")
    if not marker or not os.path.isdir("/proc"):
        return []
    needle = f"{RUN_ENV}={marker}\0".encode()
    killed = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == os.getpid():
            continue
        try:
            with open(f"/proc/{entry}/environ", "rb") as f:
                found = needle in f.read() + b"\0"
        except OSError:
            continue
        if found:
            try:
                os.kill(int(entry), signal.SIGKILL)
                killed.append(int(entry))
            except OSError:
                pass
    deadline = time.monotonic() + 2
    while killed and time.monotonic() < deadline and any(_running(pid) for pid in killed):
        time.sleep(0.02)  # dead before the run's folder is removed: nothing writes into it any more
    return killed


def _running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            return f.read().rsplit(b")", 1)[1].split()[0] != b"Z"
    except OSError:
        return False
