"""Bytes to text for sheets and source files: UTF-8 first, then the encodings of Korean Windows.

Korean editors on Windows (Notepad, HWP exports, old VS Code settings) save CP949/EUC-KR; Notepad's
"Unicode" is UTF-16 with a byte-order mark. A file that is none of these is read as latin-1 so that
nothing raises, and `looks_binary` tells a renamed image or archive from text.
"""

from __future__ import annotations

import codecs

from ..i18n import t

_TEXT_CONTROLS = set("\t\n\r\f\v\x1b")


def decode_text(data: bytes) -> tuple[str, str | None]:
    """Decode `data`; return the text and the encoding used when it was not UTF-8 (else None).

    Tried in order: UTF-8 (with or without BOM), UTF-16 with a BOM, CP949 (a superset of EUC-KR),
    EUC-KR, and finally latin-1, which never fails (`encoding_note` then says the text may be
    garbled).
    """
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[len(codecs.BOM_UTF8):].decode("utf-8"), None
        except UnicodeDecodeError:
            pass
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        pass
    for encoding in ("cp949", "euc-kr"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1"), "latin-1"


def encoding_note(encoding: str | None, name: str | None = None) -> str | None:
    """The note for a file decoded with `encoding` (None for UTF-8: nothing to say)."""
    if encoding is None:
        return None
    name = name or t("sheet.name.file")
    if encoding in ("cp949", "euc-kr"):
        return t("sheet.encoding.cp949", name=name)
    if encoding == "utf-16":
        return t("sheet.encoding.utf16", name=name)
    return t("sheet.encoding.unknown", name=name, encoding=encoding)


def looks_binary(text: str) -> str | None:
    """Why `text` looks like binary data (a NUL, many control characters), or None for text."""
    nul = text.find("\x00")
    if nul >= 0:
        return t("sheet.nul", line=text.count(chr(10), 0, nul) + 1)
    sample = text[:8192]
    if not sample:
        return None
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in _TEXT_CONTROLS)
    replacement = sample.count("\ufffd")
    if (controls + replacement) / len(sample) > 0.05:
        return t("sheet.controls")
    return None
