"""Unpacking a student's `.zip` or `.tar.gz` safely, so that it is graded as the folder it holds.

An LMS download holds archives as students made them, and an archive is student input like any
other: it may be corrupt, enormous once unpacked, full of tiny files, or hold names that climb out
of the folder (`../../x`, `/etc/x`, `C:\\x`) and links to anywhere. Here:

* only regular files and folders are made, never a link, a device or a pipe (each skipped one is noted);
* every name is checked: no absolute path, no drive, no `..`, not too deep or too long; `\\` is a separator;
* limits on the bytes written (counted as they are written, not as the archive claims), the
  number of files and the size of one file; beyond them, what remains is left out, with a note;
* names of zip files made on Korean Windows (CP949, without the UTF-8 flag) are decoded as CP949,
  and every name is NFC (macOS writes Hangul decomposed);
* macOS's `__MACOSX/` and `._*` companions and `.DS_Store`, `Thumbs.db` are dropped silently;
* archives inside the archive are not opened (noted).

`unpack(archive, dest)` returns the notes; `ArchiveError` means nothing could be unpacked.
"""

from __future__ import annotations

import os
import shutil
import stat
import tarfile
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO

from ..i18n import t

ARCHIVE_SUFFIXES = (".tar.gz", ".tgz", ".tar", ".zip")  # longest first: `.tar.gz` before `.tar`
_JUNK_NAMES = {".DS_Store", "Thumbs.db", "desktop.ini"}
_JUNK_DIRS = {"__MACOSX"}


@dataclass(frozen=True)
class ArchiveLimits:
    total_bytes: int = 256 << 20  # everything unpacked
    file_bytes: int = 128 << 20  # one file
    files: int = 5000
    depth: int = 32  # folders deep
    name_bytes: int = 255  # one part of a path
    scanned_bytes: int = 1 << 30  # a tar's data read through, skipped files included


class ArchiveError(Exception):
    """An archive that cannot be unpacked at all (corrupt, encrypted, not what its name says)."""


def archive_suffix(name: str) -> str:
    """`.zip`, `.tar.gz`, `.tgz` or `.tar` when `name` is an archive's, else ``."""
    low = name.lower()
    return next((s for s in ARCHIVE_SUFFIXES if low.endswith(s) and len(low) > len(s)), "")


def archive_stem(name: str) -> str:
    """The name without its archive suffix: `kim.tar.gz` → `kim`."""
    suffix = archive_suffix(name)
    return name[: len(name) - len(suffix)] if suffix else name


@dataclass
class _Member:
    name: str  # as decoded, before checking
    kind: str  # "file" | "dir" | "link" | "special"
    size: int
    open: object = None  # () -> binary stream, for files
    encrypted: bool = False


def unpack(archive: Path, dest: Path, limits: ArchiveLimits = ArchiveLimits()) -> list[str]:
    """Unpack `archive` into the folder `dest` (made here); returns the notes for the report.

    Raises ArchiveError when the archive cannot be read at all.
    """
    dest.mkdir(parents=True, exist_ok=True)
    suffix = archive_suffix(archive.name)
    try:
        if suffix == ".zip":
            _zip_precheck(archive, limits)
            with zipfile.ZipFile(archive) as zf:
                return _extract(archive.name, _zip_members(zf), dest, limits)
        with tarfile.open(archive, mode="r:*", encoding="utf-8", errors="surrogateescape") as tf:
            return _extract(archive.name, _tar_members(tf), dest, limits)
    except (zipfile.BadZipFile, tarfile.TarError, EOFError, OSError, ValueError, NotImplementedError,
            RuntimeError) as exc:
        raise ArchiveError(t("note.archive.unreadable", archive=archive.name, error=_why(exc))) from None


def _why(exc: BaseException) -> str:
    return getattr(exc, "strerror", None) or str(exc) or type(exc).__name__


def _zip_precheck(archive: Path, limits: ArchiveLimits) -> None:
    """Refuse a zip whose directory alone is huge before `zipfile` reads all of it into memory."""
    with open(archive, "rb") as f:
        f.seek(0, os.SEEK_END)
        size = f.tell()
        f.seek(max(0, size - (1 << 16) - 22))
        tail = f.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) < at + 22:
        return  # zipfile says what is wrong with it
    entries = int.from_bytes(tail[at + 10:at + 12], "little")
    directory = int.from_bytes(tail[at + 12:at + 16], "little")
    if (entries != 0xFFFF and entries > 4 * limits.files) or (directory != 0xFFFFFFFF and directory > 64 << 20):
        raise ArchiveError(t("note.archive.too_many", archive=archive.name, n=limits.files))


# ── reading members ─────────────────────────────────────────────────────────────────────────────

def _zip_name(info: zipfile.ZipInfo) -> str:
    """A zip name as its maker meant it: UTF-8 when flagged, else CP949 (Korean Windows) or UTF-8
    written without the flag (some tools), else the CP437 the format defaults to."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        raw = info.filename.encode("cp437")
    except UnicodeEncodeError:
        return info.filename
    for encoding in ("utf-8", "cp949"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return info.filename


def _zip_members(zf: zipfile.ZipFile) -> Iterator[_Member]:
    for info in zf.infolist():
        mode = info.external_attr >> 16
        name = _zip_name(info)
        if info.is_dir():
            yield _Member(name, "dir", 0)
        elif stat.S_ISLNK(mode):
            yield _Member(name, "link", 0)
        elif stat.S_IFMT(mode) not in (0, stat.S_IFREG):
            yield _Member(name, "special", 0)
        else:
            yield _Member(name, "file", info.file_size, lambda i=info: zf.open(i), bool(info.flag_bits & 0x1))


def _tar_name(name: str) -> str:
    """Tar names are bytes: UTF-8, else CP949, read back from the surrogate escapes."""
    try:
        raw = name.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return name
    for encoding in ("utf-8", "cp949"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("utf-8", "replace")


def _tar_members(tf: tarfile.TarFile) -> Iterator[_Member]:
    for info in tf:
        name = _tar_name(info.name)
        if info.isdir():
            yield _Member(name, "dir", 0)
        elif info.issym() or info.islnk():
            yield _Member(name, "link", 0)
        elif info.isreg():
            yield _Member(name, "file", info.size, lambda i=info: tf.extractfile(i))
        else:
            yield _Member(name, "special", 0)
        tf.members = []  # a tar is read as a stream: do not keep every header of a huge archive


# ── checking names and writing ──────────────────────────────────────────────────────────────────

def safe_parts(name: str, limits: ArchiveLimits = ArchiveLimits()) -> tuple[str, ...] | None:
    """The parts of a member's path inside the folder, or None when the name is not allowed there."""
    text = unicodedata.normalize("NFC", name.replace("\\", "/"))
    if text.startswith("/") or (len(text) > 1 and text[1] == ":") or "\0" in text:
        return None
    parts = tuple(p for p in PurePosixPath(text).parts if p not in ("", "."))
    if not parts or ".." in parts or len(parts) > limits.depth + 1:
        return None
    if any(len(p.encode("utf-8", "surrogatepass")) > limits.name_bytes for p in parts):
        return None
    return parts


def _junk(parts: tuple[str, ...]) -> bool:
    return any(p in _JUNK_DIRS for p in parts[:-1]) or parts[-1] in _JUNK_NAMES or parts[-1].startswith("._") \
        or parts[0] in _JUNK_DIRS


def _extract(archive: str, members: Iterator[_Member], dest: Path, limits: ArchiveLimits) -> list[str]:
    notes: list[str] = []
    written = files = scanned = 0
    made: set[tuple[str, ...]] = set()
    root = os.path.abspath(dest)
    for m in members:
        parts = safe_parts(m.name, limits)
        if parts is None:
            notes.append(t("note.archive.bad_name", archive=archive, name=m.name))
            continue
        if _junk(parts):
            continue
        shown = "/".join(parts)
        if m.kind == "link":
            notes.append(t("note.archive.link", archive=archive, name=shown))
            continue
        if m.kind == "special":
            notes.append(t("note.archive.special", archive=archive, name=shown))
            continue
        target = dest.joinpath(*parts)
        if not _inside(target, root, dest):
            notes.append(t("note.archive.bad_name", archive=archive, name=m.name))
            continue
        if m.kind == "dir":
            _make_dirs(target, dest)
            continue
        scanned += m.size
        if files >= limits.files:
            notes.append(t("note.archive.too_many", archive=archive, n=limits.files))
            break
        if m.encrypted:
            notes.append(t("note.archive.encrypted", archive=archive, name=shown))
            continue
        if archive_suffix(parts[-1]):
            notes.append(t("note.archive.nested", archive=archive, name=shown))
            continue
        if m.size > limits.file_bytes:
            notes.append(t("note.archive.file_too_big", archive=archive, name=shown, mib=limits.file_bytes >> 20))
            if scanned > limits.scanned_bytes:
                break
            continue
        if parts in made or target.exists():
            notes.append(t("note.archive.twice", archive=archive, name=shown))
            continue
        budget = min(limits.file_bytes, limits.total_bytes - written)
        try:
            _make_dirs(target.parent, dest)
            n = _write(m.open(), target, budget)  # type: ignore[operator]
        except _TooBig:
            target.unlink(missing_ok=True)
            if budget < limits.file_bytes:
                notes.append(t("note.archive.too_big", archive=archive, mib=limits.total_bytes >> 20))
                break
            notes.append(t("note.archive.file_too_big", archive=archive, name=shown, mib=limits.file_bytes >> 20))
            continue
        except (OSError, zipfile.BadZipFile, tarfile.TarError, EOFError, ValueError, NotImplementedError,
                RuntimeError) as exc:
            target.unlink(missing_ok=True)
            notes.append(t("note.archive.member_unreadable", archive=archive, name=shown, error=_why(exc)))
            continue
        made.add(parts)
        written += n
        files += 1
    return notes


class _TooBig(Exception):
    pass


def _write(stream: IO[bytes] | None, target: Path, budget: int) -> int:
    """Copy the member's bytes into a new file, stopping beyond `budget` (a member may lie about its size)."""
    if stream is None:
        raise OSError("no data")
    n = 0
    with stream, open(target, "xb") as out:
        while chunk := stream.read(1 << 20):
            n += len(chunk)
            if n > budget:
                raise _TooBig
            out.write(chunk)
    return n


def _inside(target: Path, root: str, dest: Path) -> bool:
    """No folder on the way is a link (the unpacking never makes one, but the folder may hold one)."""
    here = dest
    for part in target.relative_to(dest).parts[:-1]:
        here = here / part
        if here.is_symlink():
            return False
    return os.path.abspath(target).startswith(root + os.sep)


def _make_dirs(folder: Path, dest: Path) -> None:
    if folder.is_dir() and not folder.is_symlink():
        return
    folder.mkdir(parents=True, exist_ok=True)


def single_top_folder(dest: Path) -> Path:
    """The folder a student zipped, when the archive holds nothing else (`kim.zip` → `kim/…`)."""
    entries = [e for e in dest.iterdir() if e.name not in _JUNK_NAMES]
    if len(entries) == 1 and entries[0].is_dir() and not entries[0].is_symlink():
        return entries[0]
    return dest


def remove(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)
