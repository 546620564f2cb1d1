"""Decoding students' files: UTF-8 first, then the Korean Windows encodings (CP949, EUC-KR)."""

from __future__ import annotations

ENCODINGS = ("utf-8", "utf-8-sig", "cp949", "euc-kr")


def decode(data: bytes) -> tuple[str, str | None]:
    """Text and the encoding used when it was not UTF-8 (None for UTF-8).

    Never fails: undecodable bytes end as Latin-1 text, named so the caller can say so.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", "replace"), None
    for encoding in ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return text, None if encoding.startswith("utf-8") else encoding
    return data.decode("latin-1"), "latin-1"


def looks_binary(data: bytes) -> bool:
    """A NUL byte in the first 8 KiB: an image, an archive, a compiled file."""
    return b"\x00" in data[:8192]
