"""Limits on what a document may cost to read, and zip archives opened within them.

Word (.docx) and Hangul (.hwpx) files are zip archives. A hostile or broken one can claim to hold
gigabytes (a zip bomb), thousands of members, or a member compressed with a method that Python
inflates without a bound (bzip2, lzma: `zipfile` passes no size limit to those decompressors). The
archive's directory is checked before any member is read, and each member is read in chunks up to
its declared size: `zipfile` itself refuses a member that inflates past its declared size (CRC and
length check), so the declared sizes bound the memory of every reader, ours or a library's.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from dataclasses import dataclass, field
from typing import Any

MAX_DOCUMENT_BYTES = 64 << 20  # a document handed in (a Word file full of screenshots stays far below)
MAX_MEMBERS = 2000
MAX_MEMBER_BYTES = 48 << 20  # one member, inflated
MAX_TOTAL_BYTES = 96 << 20  # every member, inflated
MAX_RATIO = 200  # inflated / compressed, for members over RATIO_FLOOR (XML inflates 5–30×, zeros 1000×)
RATIO_FLOOR = 1 << 20
MAX_PAGES = 80  # PDF pages read (an answer sheet has 10–30)
_BOUNDED_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)


@dataclass
class DocumentError(Exception):
    """A document that cannot be read: `key` names the catalogue message, `values` fill it."""

    key: str
    values: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{self.key} {self.values}"


def open_zip(data: bytes) -> zipfile.ZipFile:
    """The archive in `data`, after its directory passed every limit; raises DocumentError otherwise."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise DocumentError("doc.corrupt", {"why": _short(exc)}) from None
    if len(infos) > MAX_MEMBERS:
        raise DocumentError("doc.bomb", {"why": f"{len(infos)} members > {MAX_MEMBERS}", "mib": MAX_TOTAL_BYTES >> 20})
    total = 0
    for info in infos:
        if info.compress_type not in _BOUNDED_METHODS:
            raise DocumentError("doc.corrupt", {"why": f"{info.filename}: compression method {info.compress_type}"})
        if info.file_size > MAX_MEMBER_BYTES:
            raise DocumentError("doc.bomb", {"why": f"{info.filename}: {info.file_size >> 20} MiB",
                                             "mib": MAX_MEMBER_BYTES >> 20})
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise DocumentError("doc.bomb", {"why": f"{info.filename}: {info.file_size // max(info.compress_size, 1)}× "
                                                    "compression", "mib": MAX_TOTAL_BYTES >> 20})
        total += info.file_size
    if total > MAX_TOTAL_BYTES:
        raise DocumentError("doc.bomb", {"why": f"{total >> 20} MiB in all", "mib": MAX_TOTAL_BYTES >> 20})
    return zf


def read_member(zf: zipfile.ZipFile, name: str) -> bytes:
    """A member's bytes, read in chunks and never past the per-member limit; DocumentError if broken."""
    try:
        with zf.open(name) as f:
            chunks, size = [], 0
            while chunk := f.read(1 << 16):
                size += len(chunk)
                if size > MAX_MEMBER_BYTES:
                    raise DocumentError("doc.bomb", {"why": f"{name}: over {MAX_MEMBER_BYTES >> 20} MiB",
                                                     "mib": MAX_MEMBER_BYTES >> 20})
                chunks.append(chunk)
            return b"".join(chunks)
    except KeyError:
        raise DocumentError("doc.corrupt", {"why": f"{name} missing"}) from None
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError) as exc:
        raise DocumentError("doc.corrupt", {"why": f"{name}: {_short(exc)}"}) from None


def _short(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text if len(text) <= 120 else text[:119] + "…"
