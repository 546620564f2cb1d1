"""Pictures of documents checked by Pillow before a TA's browser sees them: format, size, pixels.

A picture is kept as it was when it is a format every browser shows (PNG, JPEG, GIF, WebP) and
small enough; otherwise it is decoded (within a pixel limit checked from its header, before any
decoding) and saved again as a PNG or JPEG no larger than `MAX_SIDE` on a side. What cannot be
decoded (a truncated file, a vector WMF/EMF drawing, bytes that are no picture) is not stored, and
says why.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass

from ..model import Picture

MAX_INPUT_BYTES = 24 << 20  # one embedded picture
MAX_PIXELS = 40_000_000  # decoded (a 12-megapixel phone photo is 12 000 000)
MAX_SIDE = 2000  # pixels on a side of what is stored
MAX_STORED_BYTES = 3 << 20
MAX_PICTURES = 60  # per document
_AS_IS = {"PNG": "image/png", "JPEG": "image/jpeg", "GIF": "image/gif", "WEBP": "image/webp"}
_VECTOR = {"WMF", "EMF"}


@dataclass
class Rejected:
    """Why a picture was not stored: `key` names the catalogue message, `values` fill it."""

    key: str
    values: dict[str, object]


def check_picture(raw: bytes, where: str) -> Picture | Rejected:
    """`raw` as a Picture to store, or why it cannot be one."""
    if len(raw) > MAX_INPUT_BYTES:
        return Rejected("doc.picture_too_big", {"where": where, "size": f"{len(raw) >> 20} MiB"})
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # DecompressionBombWarning: the limit below is ours
            im = Image.open(io.BytesIO(raw))
            fmt = (im.format or "").upper()
            width, height = im.size
            if fmt in _VECTOR:
                return Rejected("doc.picture_vector", {"where": where, "format": fmt})
            if width <= 0 or height <= 0 or width * height > MAX_PIXELS:
                return Rejected("doc.picture_too_big", {"where": where, "size": f"{width}×{height}"})
            im.load()  # decodes it all: a truncated or corrupt picture fails here, not in a browser
            if fmt in _AS_IS and max(width, height) <= MAX_SIDE and len(raw) <= MAX_STORED_BYTES:
                return _picture(raw, _AS_IS[fmt], width, height, where)
            return _smaller(im, where)
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError, Image.DecompressionBombError) as exc:
        return Rejected("doc.picture_bad", {"where": where, "why": _short(exc)})


def _smaller(im, where: str) -> Picture | Rejected:  # noqa: ANN001 - a PIL image
    """Scale down to `MAX_SIDE` and save as JPEG (an opaque photo) or PNG (anything else)."""
    im.thumbnail((MAX_SIDE, MAX_SIDE))
    opaque = im.mode in ("RGB", "L", "CMYK", "YCbCr")
    out = io.BytesIO()
    if opaque:
        im.convert("RGB" if im.mode != "L" else "L").save(out, "JPEG", quality=85)
        media = "image/jpeg"
    else:
        im.convert("RGBA").save(out, "PNG")
        media = "image/png"
    data = out.getvalue()
    if len(data) > MAX_STORED_BYTES:
        return Rejected("doc.picture_too_big", {"where": where, "size": f"{len(data) >> 20} MiB"})
    return _picture(data, media, im.width, im.height, where)


def _picture(data: bytes, media: str, width: int, height: int, where: str) -> Picture:
    return Picture(data, media, width, height, hashlib.sha256(data).hexdigest(), where=where)


def _short(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text if len(text) <= 100 else text[:99] + "…"
