"""Bytes to text for sheets and source files: UTF-8 first, then the encodings of Korean Windows.

Korean editors on Windows (Notepad, HWP exports, old VS Code settings) save CP949/EUC-KR; Notepad's
"Unicode" is UTF-16 with a byte-order mark. A file that is none of these is read as latin-1 so that
nothing raises, and `looks_binary` tells a renamed image or archive from text.
"""

from __future__ import annotations

import codecs

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


def encoding_note(encoding: str | None, name: str = "파일") -> str | None:
    """The Korean note for a file decoded with `encoding` (None for UTF-8: nothing to say)."""
    if encoding is None:
        return None
    if encoding in ("cp949", "euc-kr"):
        return f"{name}: UTF-8이 아니라 CP949(EUC-KR)로 저장되어 있어 그 인코딩으로 읽었습니다."
    if encoding == "utf-16":
        return f"{name}: UTF-16으로 저장되어 있어 그 인코딩으로 읽었습니다."
    return (f"{name}: 인코딩을 알아낼 수 없어 {encoding}로 읽었습니다; 한글이 깨져 보일 수 있습니다. "
            "UTF-8로 저장해 다시 제출하세요.")


def looks_binary(text: str) -> str | None:
    """Why `text` looks like binary data (a NUL, many control characters), or None for text."""
    nul = text.find("\x00")
    if nul >= 0:
        return f"줄 {text.count(chr(10), 0, nul) + 1}에 NUL 문자가 있습니다"
    sample = text[:8192]
    if not sample:
        return None
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in _TEXT_CONTROLS)
    replacement = sample.count("\ufffd")
    if (controls + replacement) / len(sample) > 0.05:
        return "제어 문자나 깨진 문자가 많습니다"
    return None
