"""Hangul's binary format (.hwp, HWP 5.0: an OLE compound file) through python-hwpx.

python-hwpx (maintained, Apache-2.0, pure Python) opens an HWP 5.0 file by converting it into the
OWPML parts of an HWPX package; that package is read by the HWPX reader, so both Hangul formats
give the same blocks. A file it cannot convert — a password, a distribution-only (DRM) document,
damage, an HWP 3 file — gets a note asking for PDF or HWPX, never "nothing to grade".

The converter inflates the file's zlib streams itself; the document's size is bounded before
(`guard.MAX_DOCUMENT_BYTES`) and the package it makes passes `guard.open_zip` like any other.
"""

from __future__ import annotations

import io
import warnings

from .blocks import Block
from .guard import DocumentError
from .hwpx import read_hwpx


def read_hwp(data: bytes) -> list[Block]:
    try:
        from hwpx import HwpxDocument
    except ImportError:  # pragma: no cover - a dependency of the default install
        raise DocumentError("doc.hwp_unreadable", {"why": "python-hwpx is not installed"}) from None
    if _encrypted(data):
        raise DocumentError("doc.encrypted")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # what the converter could not carry is a warning, not a failure
            document = HwpxDocument.open(io.BytesIO(data))
            package = document.to_bytes()
    except Exception as exc:  # noqa: BLE001 - the converter raises many kinds; each is a note for the TA
        raise DocumentError("doc.hwp_unreadable", {"why": (str(exc).strip() or type(exc).__name__)[:120]}) from None
    return read_hwpx(package)


def _encrypted(data: bytes) -> bool:
    """The FileHeader's properties: bit 1 is "password" (HWP 5.0 specification, FileHeader stream)."""
    at = data.find(b"HWP Document File")
    if at < 0 or len(data) < at + 40:
        return False
    properties = int.from_bytes(data[at + 36:at + 40], "little")
    return bool(properties & 0b10)
