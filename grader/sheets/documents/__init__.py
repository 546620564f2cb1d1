"""Answer sheets handed in as documents — Word, PDF, Hangul — read into the `Sheet` of a `.txt`.

    sheet = read_document(data, "kim.docx", question_ids)   # never raises

One reader per format turns the document into blocks (paragraphs, tables, code, pictures in
reading order: `docx`, `pdf`, `hwpx`, `hwp`); `blocks.to_text` writes them as the text of an answer
sheet, and the parser of `.md`/`.txt` sheets reads that text, so grading, stitching and review are
the same for every form. Each picture is checked (`pictures`) and attached to the question whose
number precedes it. A document that cannot be read gives a sheet without answers and a note that
names the file and what to do; it never stops a class.

The format is told by the file's first bytes, not its name: a PDF renamed `.docx` is read as a PDF.
"""

from __future__ import annotations

import traceback
from collections.abc import Sequence

from ...i18n import t
from ..model import Picture, Sheet
from ..parse import parse_sheet
from .blocks import Block, Notice, to_text
from .guard import DocumentError
from .pictures import MAX_PICTURES, Rejected, check_picture

DOCUMENT_SUFFIXES = (".docx", ".pdf", ".hwpx", ".hwp")
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")  # an Office file saved with a password
_HWP_SIGNATURE = b"HWP Document File"

__all__ = ["DOCUMENT_SUFFIXES", "read_document", "sniff"]


def sniff(data: bytes, name: str) -> str:
    """docx | pdf | hwpx | hwp, from the bytes; or encrypted | old_word | zip | unknown."""
    head = data[:8]
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        window = data[:4096] + data[-65536:]  # member names: the first local header, the central directory
        if b"word/document.xml" in window:
            return "docx"
        if b"application/hwp+zip" in data[:200] or b"Contents/section" in window:
            return "hwpx"
        return "zip"
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if head == _OLE:
        if _ENCRYPTED_PACKAGE in data:
            return "encrypted"
        if _HWP_SIGNATURE in data:
            return "hwp"
        return "old_word" if name.lower().endswith((".doc", ".docx")) else "unknown"
    return "unknown"


def read_document(data: bytes, name: str, question_ids: Sequence[str]) -> Sheet:
    """The answers and pictures of the document `data` (file `name`), with notes; never raises."""
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    kind = sniff(data, name)
    notes: list[str] = []
    if kind in ("docx", "pdf", "hwpx", "hwp") and kind != suffix:
        notes.append(t("doc.renamed", file=name, kind=kind.upper()))
    try:
        blocks = _blocks(kind, data, suffix)
    except DocumentError as exc:
        return Sheet({}, notes + [say(exc.key, file=name, **exc.values)], kind if kind != "unknown" else suffix)
    except Exception:  # noqa: BLE001 - a reader's bug (or a library's) must not stop the class
        why = traceback.format_exc(limit=2).strip().splitlines()[-1][:160]
        return Sheet({}, notes + [t("doc.read_failed", file=name, why=why)], kind)
    notes.extend(say(b.key, file=name, **b.values) for b in blocks if isinstance(b, Notice))
    rendered = to_text(blocks)
    figures = rendered.figures
    if not rendered.text.strip():
        pictures = _pictures(figures, name, notes)
        scanned = kind == "pdf" and pictures
        note = t("doc.scanned", file=name, n=len(pictures)) if scanned else t("doc.empty", file=name, n=len(pictures))
        return Sheet({}, notes + [note], kind, pictures)
    sheet = parse_sheet(rendered.text, question_ids, format=kind)
    sheet.notes = notes + [f"{name}: {n}" for n in sheet.notes]
    sheet.pictures = _pictures(figures, name, sheet.notes)
    _attach(sheet)
    return sheet


def _blocks(kind: str, data: bytes, suffix: str) -> list[Block]:
    if kind == "encrypted":
        raise DocumentError("doc.encrypted")
    if kind == "old_word":
        raise DocumentError("doc.old_word")
    if kind == "hwp":
        from .hwp import read_hwp

        return read_hwp(data)
    if kind == "docx":
        from .docx import read_docx

        return read_docx(data)
    if kind == "hwpx":
        from .hwpx import read_hwpx

        return read_hwpx(data)
    if kind == "pdf":
        from .pdf import read_pdf

        return read_pdf(data)
    if suffix == "hwp":
        raise DocumentError("doc.hwp_unreadable", {"why": "not an HWP 5 file"})
    raise DocumentError("doc.corrupt", {"why": t("doc.not_a_document", kind=suffix.upper() or "?")})


def _pictures(figures: list, name: str, notes: list[str]) -> list[Picture]:
    """The figures that pass `check_picture` (at most MAX_PICTURES), each at the line it follows."""
    kept: list[Picture] = []
    for k, (figure, line) in enumerate(figures):
        if k >= MAX_PICTURES:
            notes.append(t("doc.too_many_pictures", file=name, n=len(figures), max=MAX_PICTURES))
            break
        checked = check_picture(figure.data, figure.where)
        if isinstance(checked, Rejected):
            notes.append(say(checked.key, file=name, **checked.values))
            continue
        checked.line = line
        kept.append(checked)
    return kept


# What a reader or the picture check can say, by key (named here literally, as the catalogue's tests read them).
_SAY = {
    "doc.corrupt": lambda v: t("doc.corrupt", **v),
    "doc.bomb": lambda v: t("doc.bomb", **v),
    "doc.encrypted": lambda v: t("doc.encrypted", **v),
    "doc.old_word": lambda v: t("doc.old_word", **v),
    "doc.hwp_unreadable": lambda v: t("doc.hwp_unreadable", **v),
    "doc.no_library": lambda v: t("doc.no_library", **v),
    "doc.too_many_pages": lambda v: t("doc.too_many_pages", **v),
    "doc.picture_too_big": lambda v: t("doc.picture_too_big", **v),
    "doc.picture_bad": lambda v: t("doc.picture_bad", **v),
    "doc.picture_vector": lambda v: t("doc.picture_vector", **v),
}


def say(key: str, **values: object) -> str:
    """The note for a reader's `DocumentError`, `Notice` or `Rejected` picture."""
    return _SAY[key](values)


def _attach(sheet: Sheet) -> None:
    """Each picture to every question whose answer holds its line (the question numbered before it)."""
    for picture in sheet.pictures:
        picture.questions = tuple(qid for qid, answer in sheet.answers.items()
                                  if any(first <= picture.line <= last for first, last in answer.spans))
