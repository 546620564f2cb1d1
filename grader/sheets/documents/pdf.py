"""PDF answer sheets (exported from Word or Hangul, or printed by a browser), read with pdfplumber.

Reading order is page by page, top to bottom (one column, as answer sheets are). Lines whose text
repeats at the top or bottom of the pages (a running header, "- 3 -") are dropped, and so is a lone
page number. Fixed-width lines are code: lines in the same box (the border around a code block,
the cell of a one-cell table), or in a run outside any box, make one block, with their indentation
from the box's left edge (`pdflines.code_text`); a box cut by a page break goes on. Other lines make
paragraphs: a line that is full to the right margin goes on in the next one. Pictures are decoded
by pypdf (which knows the PDF's image filters and colour spaces) and placed by their position; a
page with pictures and no text is a scanned page.
"""

from __future__ import annotations

import io
import re
import statistics
from collections import Counter
from typing import Any

from ...i18n import t
from .blocks import Block, Code, Figure, Notice, Text
from .guard import MAX_PAGES, DocumentError
from .pdflines import Line, char_width, code_text, monospace_fonts, page_lines

_PAGE_NUMBER = re.compile(r"^[\s\-–—(\[]*(page\s*)?\d{1,4}(\s*(/|of)\s*\d{1,4})?\s*(쪽|페이지)?[\s\-–—)\]]*$", re.I)
_LIST_START = re.compile(r"^\s*([-•·▪◦*]|\d+[.)]|[가-하][.)]|\(\d+\)|[①-⑳]|\d+(\.\d+)+)\s")
_MIN_FIGURE = 24.0  # points on a side: smaller pictures are icons and rules


def read_pdf(data: bytes) -> list[Block]:
    try:
        import pdfplumber
        from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
        from pdfminer.pdfparser import PDFSyntaxError
    except ImportError:  # pragma: no cover - a dependency of the default install
        raise DocumentError("doc.no_library", {"library": "pdfplumber"}) from None
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            return _read(pdf, data)
    except Exception as exc:  # noqa: BLE001 - pdfplumber wraps pdfminer's errors; look inside
        inner = exc.args[0] if exc.args and isinstance(exc.args[0], BaseException) else exc.__cause__ or exc
        if isinstance(inner, (PDFPasswordIncorrect, PDFEncryptionError)) or isinstance(exc, PDFPasswordIncorrect):
            raise DocumentError("doc.encrypted") from None
        if isinstance(inner, PDFSyntaxError) or type(exc).__name__ == "PdfminerException":
            raise DocumentError("doc.corrupt", {"why": (str(inner).strip() or type(inner).__name__)[:120]}) from None
        raise


def _read(pdf: Any, data: bytes) -> list[Block]:
    pages = pdf.pages
    notes: list[Block] = []
    if len(pages) > MAX_PAGES:
        notes.append(Notice("doc.too_many_pages", {"pages": len(pages), "max": MAX_PAGES}))
        pages = pages[:MAX_PAGES]
    chars = [c for p in pages for c in p.chars]
    mono_fonts = monospace_fonts(chars)
    per_page = [page_lines(p.chars, k, mono_fonts) for k, p in enumerate(pages)]
    _drop_running_lines(per_page, [p.height for p in pages])
    images = _images(data)
    items: list[tuple[int, float, Any]] = []  # (page, top, Line | Figure)
    for k, (page, lines) in enumerate(zip(pages, per_page)):
        edges = _box_edges(page)
        for line in lines:
            _place_in_box(line, edges)
            items.append((k, line.top, line))
        for im in page.images:
            if im["x1"] - im["x0"] < _MIN_FIGURE or im["bottom"] - im["top"] < _MIN_FIGURE:
                continue
            raw = images.get(getattr(im.get("stream"), "objid", None))
            if raw is None:
                raw = _raw_jpeg(im)
            if raw is not None:
                items.append((k, im["top"], Figure(raw, t("doc.page", page=k + 1))))
    items.sort(key=lambda it: (it[0], it[1]))
    return notes + _assemble([it[2] for it in items], per_page)


def _drop_running_lines(per_page: list[list[Line]], heights: list[float]) -> None:
    """Remove running headers and footers (text repeated at a page's edge, digits aside) and page numbers."""
    def key(line: Line) -> str:  # words count, page numbers do not; a row of numbers is never a header
        text = line.text.strip()
        return re.sub(r"\d+", "#", text) if sum(c.isalpha() for c in text) >= 3 else ""

    def edge(lines: list[Line], height: float) -> list[Line]:
        return [ln for ln in lines if ln.bottom < 0.075 * height or ln.top > 0.925 * height]

    seen = Counter(k for lines, h in zip(per_page, heights) for k in {key(ln) for ln in edge(lines, h)} if k)
    repeated = {k for k, n in seen.items() if n >= 2 and n * 2 >= len(per_page)}
    for lines, height in zip(per_page, heights):
        for line in edge(lines, height):
            if key(line) in repeated or _PAGE_NUMBER.match(line.text):
                lines.remove(line)


def _box_edges(page: Any) -> list[dict[str, Any]]:
    """The page's ruling edges (of rectangles, lines and curves): boxes around code, table cells."""
    try:
        return [e for e in page.edges if e["orientation"] == "h" or e["bottom"] - e["top"] > 4]
    except (KeyError, ValueError, TypeError):
        return []


def _place_in_box(line: Line, edges: list[dict[str, Any]]) -> None:
    """The nearest vertical edge left of a fixed-width line, spanning it: the left side of its box.

    A box with no edge across its top is the rest of a box cut by the page break (`box_open_top`).
    """
    if not line.mono:
        return
    mid = (line.top + line.bottom) / 2
    left = [e for e in edges if e["orientation"] == "v" and e["x0"] <= line.x0 + 0.5
            and e["top"] - 1 <= mid <= e["bottom"] + 1]
    if left:
        edge = max(left, key=lambda e: e["x0"])
        line.box = (round(edge["x0"], 1), round(edge["top"], 1), round(edge["bottom"], 1))
        line.box_open_top = not any(e["orientation"] == "h" and abs(e["top"] - edge["top"]) < 1.5
                                    and e["x1"] - e["x0"] > 20 and e["x0"] - 1 <= edge["x0"] <= e["x1"] + 1
                                    for e in edges)


def _assemble(items: list[Any], per_page: list[list[Line]]) -> list[Block]:
    """Lines and figures in reading order → paragraphs, code blocks and figures."""
    text_lines = [ln for lines in per_page for ln in lines if not ln.mono]
    margin = min((ln.x0 for ln in text_lines), default=min((ln.x0 for ls in per_page for ln in ls), default=0.0))
    right = max((ln.x1 for ln in text_lines), default=0.0)  # the text's right margin, over the whole document
    pads = [ln.x0 - ln.box[0] for ls in per_page for ln in ls if ln.mono and ln.box]
    pad = min(pads) if pads else 0.0
    pitch = _pitch([ln for ls in per_page for ln in ls])
    blocks: list[Block] = []
    code: list[Line] = []
    previous: Line | None = None
    for item in items:
        if isinstance(item, Figure):
            if code:
                blocks.append(_code(code, margin, pad, pitch))
                code = []
            blocks.append(item)
            previous = None
            continue
        line = item
        if line.mono:
            if code and not _same_box(code[-1], line):
                blocks.append(_code(code, margin, pad, pitch))
                code = []
            code.append(line)
            previous = None
            continue
        if code:
            blocks.append(_code(code, margin, pad, pitch))
            code = []
        if previous is not None and _goes_on(previous, line, right, pitch):
            last = blocks[-1]
            assert isinstance(last, Text)
            last.lines[-1] = last.lines[-1].rstrip() + _joint(previous, line) + line.text.strip()
        else:
            close = previous is not None and previous.page == line.page and line.top - previous.top <= 1.25 * pitch
            blocks.append(Text([line.text.strip()], joined=close))
        previous = line
    if code:
        blocks.append(_code(code, margin, pad, pitch))
    return blocks


def _pitch(lines: list[Line]) -> float:
    """The usual distance between the tops of two lines that follow each other in a paragraph."""
    gaps = [b.top - a.top for a, b in zip(lines, lines[1:]) if a.page == b.page and 0 < b.top - a.top < 3 * a.size]
    return statistics.median(gaps) if gaps else 14.0


def _goes_on(previous: Line, line: Line, right: float, pitch: float) -> bool:
    """Whether `line` continues the paragraph of `previous`: a line wrapped, not a line broken.

    A line was wrapped when the first word of the next would not have fitted after it.
    """
    if previous.page == line.page and line.top - previous.top > 1.3 * pitch:
        return False
    if "\t" in line.text or "\t" in previous.text or _LIST_START.match(line.text):
        return False
    return previous.x1 + 0.3 * previous.size + _first_word(line) > right + 0.5


def _joint(previous: Line, line: Line) -> str:
    """What stood between two wrapped lines: a space when the first ended with one (or both sides are
    Latin words); nothing where a line broke inside Korean text ("특징" / "(에지")."""
    last, first = previous.chars[-1].get("text") or " ", line.text.strip()[:1]
    if not last.strip() or ord(last[0]) < 32:
        return " "
    return " " if last[-1].isascii() and last[-1].isalnum() and first.isascii() and first.isalnum() else ""


def _first_word(line: Line) -> float:
    glyphs = [c for c in line.chars if c["x0"] >= line.x0 - 0.01]
    end = next((k for k, c in enumerate(glyphs) if not (c.get("text") or "").strip() or ord(c["text"][0]) < 32),
               len(glyphs))
    word = glyphs[:end] or glyphs[:1]
    return word[-1]["x1"] - word[0]["x0"] if word else 0.0


def _same_box(a: Line, b: Line) -> bool:
    if a.box == b.box:
        return a.page == b.page or a.box is None
    if b.page == a.page + 1 and b.box is not None and b.box_open_top:
        return True  # a box cut by the page break goes on
    return False


def _code(lines: list[Line], margin: float, pad: float, pitch: float) -> Code:
    """A code block: each line laid on its grid from its box's left edge (or the page margin)."""
    width = statistics.median(char_width(ln) for ln in lines)
    steps = [b.top - a.top for a, b in zip(lines, lines[1:]) if a.page == b.page and b.top - a.top > 0.5 * a.size]
    step = min(steps) if steps else min(pitch, lines[0].size * 1.3)  # the block's own line pitch
    out: list[str] = []
    for k, line in enumerate(lines):
        if k and line.page == lines[k - 1].page:  # an empty line of code is a line's height of nothing
            out.extend([""] * max(0, round((line.top - lines[k - 1].top) / max(step, 1.0)) - 1))
        left = line.box[0] + pad if line.box else margin
        out.append(code_text(line, left, width))
    return Code(out)


def _images(data: bytes) -> dict[int, bytes]:
    """Every image XObject of the PDF decoded by pypdf, by object number (PNG or the JPEG as stored)."""
    try:
        from pypdf import PdfReader
    except ImportError:  # pragma: no cover - a dependency of the default install
        return {}
    found: dict[int, bytes] = {}
    try:
        reader = PdfReader(io.BytesIO(data))
        for page in reader.pages[:MAX_PAGES]:
            for image in page.images:
                ref = getattr(image, "indirect_reference", None)
                if ref is not None and ref.idnum not in found:
                    found[ref.idnum] = image.data
    except Exception:  # noqa: BLE001 - pypdf fails on some broken files: pictures are then not shown
        pass
    return found


def _raw_jpeg(im: dict[str, Any]) -> bytes | None:
    """A JPEG image's own bytes (when pypdf could not decode the page's images)."""
    stream = im.get("stream")
    try:
        filters = stream.get_filters() if stream is not None else []
        if filters and getattr(filters[-1][0], "name", "") == "DCTDecode":
            return stream.get_rawdata()
    except Exception:  # noqa: BLE001 - no picture rather than no grade
        return None
    return None
