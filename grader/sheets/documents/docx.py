"""Word (.docx) answer sheets, read with python-docx: paragraphs, tables and pictures in order.

The body is walked as Word stores it (paragraphs and tables, content controls opened), so every
picture keeps its place between the answers. A paragraph is fixed-width when every run that holds
text is set in a fixed-width face (the run's own font, else its paragraph style's, else the
document's default); numbered list items get the number Word shows, from the numbering definitions.
Page headers and footers live outside the body and are never read.
"""

from __future__ import annotations

import io
from typing import Any

from .blocks import Block, Figure, Table, Text, is_monospace
from .guard import DocumentError, open_zip
from .numbering import Numbering

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
V = "{urn:schemas-microsoft-com:vml}"
_FONT_ATTRS = ("ascii", "hAnsi", "eastAsia", "cs")


def read_docx(data: bytes) -> list[Block]:
    """The blocks of a Word document; DocumentError when it is not one that can be read."""
    open_zip(data)  # the archive's limits, before python-docx reads any part
    try:
        import docx
        from docx.opc.exceptions import PackageNotFoundError
    except ImportError:  # pragma: no cover - a dependency of the default install
        raise DocumentError("doc.no_library", {"library": "python-docx"}) from None
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError) as exc:
        raise DocumentError("doc.corrupt", {"why": str(exc)[:120] or type(exc).__name__}) from None
    reader = _Reader(document)
    reader.walk(document.element.body)
    return reader.blocks


class _Reader:
    def __init__(self, document: Any) -> None:
        self.part = document.part
        self.styles = {s.style_id: s for s in document.styles}
        self.default_font = _default_font(document)
        self.numbering = Numbering.of(document)
        self.blocks: list[Block] = []
        self.last_list: str | None = None

    def walk(self, parent: Any) -> None:
        for child in parent.iterchildren():
            if child.tag == f"{W}p":
                self.paragraph(child)
            elif child.tag == f"{W}tbl":
                self.table(child)
            elif child.tag == f"{W}sdt":
                content = child.find(f"{W}sdtContent")
                if content is not None:
                    self.walk(content)

    def paragraph(self, p: Any) -> None:
        text, mono, figures = self._content(p)
        label, list_id = self.numbering.label(p, self._style_of(p))
        lines = text.split("\n")
        if label and text.strip():
            lines[0] = f"{label} {lines[0]}"
        joined = list_id is not None and list_id == self.last_list
        self.last_list = list_id
        self.blocks.append(Text(lines, mono and bool(text.strip()), joined))
        self.blocks.extend(figures)

    def table(self, tbl: Any) -> None:
        rows: list[list[str]] = []
        figures: list[Figure] = []
        mono = True
        for tr in tbl.findall(f"{W}tr"):
            row = []
            for tc in tr.findall(f"{W}tc"):
                lines = []
                for p in _cell_paragraphs(tc):
                    text, p_mono, found = self._content(p)
                    figures.extend(found)
                    lines.append(text)
                    mono = mono and (p_mono or not text.strip())
                row.append("\n".join(lines))
            rows.append(row)
        self.last_list = None
        self.blocks.append(Table(rows, mono and any(c.strip() for r in rows for c in r)))
        self.blocks.extend(figures)

    def _content(self, p: Any) -> tuple[str, bool, list[Figure]]:
        """The paragraph's text (tabs and line breaks kept), whether it is all fixed-width, its pictures."""
        parts: list[str] = []
        figures: list[Figure] = []
        mono = True
        style = self._style_of(p)
        for r in p.iter(f"{W}r"):
            run_text = []
            for el in r.iterchildren():
                tag = el.tag
                if tag == f"{W}t":
                    run_text.append(el.text or "")
                elif tag == f"{W}tab":
                    run_text.append("\t")
                elif tag in (f"{W}br", f"{W}cr"):
                    run_text.append("\n")
                elif tag == f"{W}sym":
                    run_text.append(_symbol(el))
                elif tag in (f"{W}drawing", f"{W}pict", f"{W}object"):
                    figures.extend(self._figures(el))
            joined = "".join(run_text)
            if joined.strip() and not is_monospace(self._run_font(r, style)):
                mono = False
            parts.append(joined)
        return "".join(parts), mono, figures

    def _figures(self, el: Any) -> list[Figure]:
        found = []
        ids = [b.get(f"{R}embed") for b in el.iter(f"{A}blip")] + [d.get(f"{R}id") for d in el.iter(f"{V}imagedata")]
        for rid in ids:
            target = self.part.related_parts.get(rid) if rid else None
            if target is None:
                continue  # a linked (not embedded) picture: nothing to show
            found.append(Figure(target.blob, str(target.partname).lstrip("/")))
        return found

    def _style_of(self, p: Any) -> Any:
        ppr = p.find(f"{W}pPr")
        ref = ppr.find(f"{W}pStyle") if ppr is not None else None
        return self.styles.get(ref.get(f"{W}val")) if ref is not None else None

    def _run_font(self, r: Any, para_style: Any) -> str | None:
        rpr = r.find(f"{W}rPr")
        if rpr is not None:
            font = _fonts_of(rpr)
            if font:
                return font
            ref = rpr.find(f"{W}rStyle")
            if ref is not None:
                font = _style_font(self.styles.get(ref.get(f"{W}val")))
                if font:
                    return font
        return _style_font(para_style) or self.default_font


def _cell_paragraphs(tc: Any) -> list[Any]:
    """A cell's paragraphs in order, those of a table nested in it included (read as lines of the cell)."""
    found = []
    for child in tc.iterchildren():
        if child.tag == f"{W}p":
            found.append(child)
        elif child.tag == f"{W}tbl":
            found.extend(p for tr in child.findall(f"{W}tr") for c in tr.findall(f"{W}tc") for p in _cell_paragraphs(c))
        elif child.tag == f"{W}sdt":
            content = child.find(f"{W}sdtContent")
            found.extend(_cell_paragraphs(content) if content is not None else [])
    return found


def _fonts_of(rpr: Any) -> str | None:
    fonts = rpr.find(f"{W}rFonts")
    if fonts is None:
        return None
    return next((fonts.get(f"{W}{a}") for a in _FONT_ATTRS[:2] if fonts.get(f"{W}{a}")), None) or \
        fonts.get(f"{W}eastAsia")


def _style_font(style: Any) -> str | None:
    seen = 0
    while style is not None and seen < 20:  # a style's font, else its base style's (a loop is cut)
        rpr = style.element.find(f"{W}rPr")
        font = _fonts_of(rpr) if rpr is not None else None
        if font:
            return font
        style, seen = style.base_style, seen + 1
    return None


def _default_font(document: Any) -> str | None:
    defaults = document.styles.element.find(f"{W}docDefaults")
    rpr = defaults.find(f"{W}rPrDefault/{W}rPr") if defaults is not None else None
    return _fonts_of(rpr) if rpr is not None else None


def _symbol(el: Any) -> str:
    try:
        return chr(int(el.get(f"{W}char") or "", 16))
    except ValueError:
        return ""
