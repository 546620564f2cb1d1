"""What of a submission is copied for its worker: one policy for the local sandbox and the Dask backend.

Copied: the submission's regular files, at their relative paths. Left out: caches and version
control (`__pycache__`, `.git`, `*.pyc`), every symbolic link (it could point at the reference or
a classmate), every special file — a named pipe would block the copy, a device could be anything —
and files or folders that cannot be read; each of the last two kinds with a note for the report,
so that the rest is graded. Nothing is ever followed out of the submission.
"""

from __future__ import annotations

import errno
import os
import shutil
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

SKIPPED_DIRS = frozenset({"__pycache__", ".git", ".ipynb_checkpoints"})
SKIPPED_SUFFIXES = (".pyc",)
_SPECIAL = {stat.S_IFIFO: "fifo", stat.S_IFSOCK: "socket", stat.S_IFCHR: "device", stat.S_IFBLK: "device"}


@dataclass(frozen=True)
class Entry:
    """A regular file of the submission: its path relative to the submission's root, and on disk."""

    rel: str
    path: Path
    size: int
    mtime_ns: int = 0


@dataclass(frozen=True)
class Left:
    """Something of the submission left out, and why: "fifo", "socket", "device", "unreadable"."""

    rel: str
    why: str
    error: str = ""


def walk(root: Path) -> Iterator[Entry | Left]:
    """The submission's files and what is left out, in a stable order (a folder, or a single file)."""
    root = Path(root)
    try:
        st = os.lstat(root)
    except OSError as exc:
        yield Left(root.name, "unreadable", exc.strerror or str(exc))
        return
    if stat.S_ISREG(st.st_mode):
        yield _file(root, root.name, st)
        return
    if stat.S_ISDIR(st.st_mode):
        yield from _folder(root, "")
        return
    yield Left(root.name, _kind(st.st_mode))


def _folder(folder: Path, prefix: str) -> Iterator[Entry | Left]:
    try:
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as exc:
        yield Left(prefix.rstrip("/") or ".", "unreadable", exc.strerror or str(exc))
        return
    for e in entries:
        rel = prefix + e.name
        try:
            st = e.stat(follow_symlinks=False)
        except OSError as exc:
            yield Left(rel, "unreadable", exc.strerror or str(exc))
            continue
        if stat.S_ISLNK(st.st_mode):
            continue  # never followed, never copied: a link could point anywhere on the disk
        if stat.S_ISDIR(st.st_mode):
            if e.name not in SKIPPED_DIRS:
                yield from _folder(Path(e.path), rel + "/")
        elif stat.S_ISREG(st.st_mode):
            if not e.name.endswith(SKIPPED_SUFFIXES):
                yield _file(Path(e.path), rel, st)
        else:
            yield Left(rel, _kind(st.st_mode))


def _file(path: Path, rel: str, st: os.stat_result) -> Entry | Left:
    if not os.access(path, os.R_OK, follow_symlinks=False):
        return Left(rel, "unreadable", os.strerror(13))
    return Entry(rel, path, st.st_size, st.st_mtime_ns)


def _kind(mode: int) -> str:
    return _SPECIAL.get(stat.S_IFMT(mode), "special")


def _open(entry: Entry):  # noqa: ANN202 - a binary file object
    """The file, opened without following a link and without blocking on a pipe that replaced it
    since the walk; OSError if it is no longer a regular file or cannot be read."""
    fd = os.open(entry.path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, "not a regular file")
    except BaseException:
        os.close(fd)
        raise
    return os.fdopen(fd, "rb")


def read(entry: Entry) -> bytes:
    """The bytes of a file of the walk (see `_open`)."""
    with _open(entry) as f:
        return f.read()


def copy_into(src: Path, dest: Path) -> list[Left]:
    """Copy the submission at `src` into the folder `dest` (made here); returns what was left out.

    A file that cannot be read when copied is left out too, never an error: the rest is graded.
    """
    dest.mkdir(parents=True, exist_ok=True)
    left: list[Left] = []
    for item in walk(src):
        if isinstance(item, Left):
            left.append(item)
            continue
        target = dest / item.rel
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            with _open(item) as f, open(target, "xb") as out:
                shutil.copyfileobj(f, out, 1 << 20)
        except OSError as exc:
            target.unlink(missing_ok=True)
            left.append(Left(item.rel, "unreadable", exc.strerror or str(exc)))
            continue
        try:
            os.utime(target, ns=(item.mtime_ns, item.mtime_ns))
        except OSError:
            pass
    return left
