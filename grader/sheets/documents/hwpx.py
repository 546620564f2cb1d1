"""Hangul HWPX (.hwpx) answer sheets: a zip of OWPML XML, read with zipfile and defusedxml.

The package lists its sections in reading order (`Contents/content.hpf`, its spine) and its
pictures (the manifest: id → `BinData/…`). A section is paragraphs (`hp:p`) of runs (`hp:run`)
holding text (`hp:t`, with `hp:tab` and `hp:lineBreak` inside), tables (`hp:tbl` → rows → cells of
paragraphs) and pictures (`hp:pic` → `hc:img binaryItemIDRef`). A run's character shape
(`charPrIDRef`, in `Contents/header.xml`) names its Latin font: a fixed-width face makes it code.
Elements are matched by local name, so the 2011 and 2016 namespaces read alike. defusedxml refuses
any DTD, so an entity cannot expand; the archive's limits come from `guard.open_zip`.
"""

from __future__ import annotations

import re
import zipfile
from typing import Any

from .blocks import Block, Figure, Table, Text, is_monospace
from .guard import DocumentError, open_zip, read_member


def read_hwpx(data: bytes) -> list[Block]:
    zf = open_zip(data)
    names = set(zf.namelist())
    manifest, spine = _package(zf, names)
    sections = [href for href in spine if href in names] or \
        sorted((n for n in names if re.fullmatch(r"Contents/section\d+\.xml", n)), key=lambda n: int(re.sub(r"\D", "", n)))
    if not sections:
        raise DocumentError("doc.corrupt", {"why": "no Contents/section*.xml"})
    mono = _mono_char_shapes(zf, names)
    reader = _Reader(zf, manifest, mono)
    for href in sections:
        for child in _xml(zf, href):
            if _local(child.tag) == "p":
                reader.paragraph(child)
    return reader.blocks


def _xml(zf: zipfile.ZipFile, name: str) -> Any:
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    try:
        return fromstring(read_member(zf, name), forbid_dtd=True)
    except (DefusedXmlException, SyntaxError, ValueError) as exc:  # ParseError is a SyntaxError
        raise DocumentError("doc.corrupt", {"why": f"{name}: {str(exc)[:100]}"}) from None


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _package(zf: zipfile.ZipFile, names: set[str]) -> tuple[dict[str, str], list[str]]:
    """Manifest (item id → member name) and the spine's sections, from content.hpf."""
    if "Contents/content.hpf" not in names:
        return {}, []
    root = _xml(zf, "Contents/content.hpf")
    manifest = {el.get("id", ""): el.get("href", "") for el in root.iter() if _local(el.tag) == "item"}
    spine = [manifest.get(el.get("idref", ""), "") for el in root.iter() if _local(el.tag) == "itemref"]
    return manifest, [href for href in spine if "section" in href]


def _mono_char_shapes(zf: zipfile.ZipFile, names: set[str]) -> set[str]:
    """The ids of character shapes whose Latin font is fixed-width."""
    if "Contents/header.xml" not in names:
        return set()
    root = _xml(zf, "Contents/header.xml")
    latin: dict[str, str] = {}
    for face in root.iter():
        if _local(face.tag) == "fontface" and face.get("lang", "").upper() == "LATIN":
            latin.update({f.get("id", ""): f.get("face", "") for f in face if _local(f.tag) == "font"})
    mono = set()
    for shape in root.iter():
        if _local(shape.tag) != "charPr":
            continue
        ref = next((c for c in shape if _local(c.tag) == "fontRef"), None)
        if ref is not None and is_monospace(latin.get(ref.get("latin", ""), "")):
            mono.add(shape.get("id", ""))
    return mono


class _Reader:
    def __init__(self, zf: zipfile.ZipFile, manifest: dict[str, str], mono: set[str]) -> None:
        self.zf, self.manifest, self.mono = zf, manifest, mono
        self.blocks: list[Block] = []

    def paragraph(self, p: Any) -> None:
        text, mono, after = self._content(p)
        self.blocks.append(Text(text.split("\n"), mono and bool(text.strip())))
        self.blocks.extend(after)

    def _content(self, p: Any) -> tuple[str, bool, list[Block]]:
        """A paragraph's text, whether all of it is fixed-width, and the tables and pictures in it."""
        parts: list[str] = []
        after: list[Block] = []
        mono = True
        for run in p:
            if _local(run.tag) != "run":
                continue
            run_mono = run.get("charPrIDRef", "") in self.mono
            for el in run:
                kind = _local(el.tag)
                if kind == "t":
                    text = _text_of(el)
                    mono = mono and (run_mono or not text.strip())
                    parts.append(text)
                elif kind == "tbl":
                    after.append(self._table(el, after))
                elif kind == "pic":
                    after.extend(self._picture(el))
                elif kind in ("rect", "ellipse", "container", "drawText"):
                    for inner in el.iter():  # a text box: its paragraphs, read as lines
                        if _local(inner.tag) == "p":
                            text, _, more = self._content(inner)
                            parts.append("\n" + text if parts else text)
                            after.extend(more)
        return "".join(parts), mono, after

    def _table(self, tbl: Any, after: list[Block]) -> Table:
        rows: list[list[str]] = []
        mono = True
        for tr in (c for c in tbl if _local(c.tag) == "tr"):
            row = []
            for tc in (c for c in tr if _local(c.tag) == "tc"):
                lines = []
                for p in (e for sub in tc if _local(sub.tag) == "subList" for e in sub if _local(e.tag) == "p"):
                    text, p_mono, more = self._content(p)
                    lines.append(text)
                    after.extend(b for b in more if isinstance(b, Figure))
                    mono = mono and (p_mono or not text.strip())
                row.append("\n".join(lines))
            rows.append(row)
        return Table(rows, mono and any(c.strip() for r in rows for c in r))

    def _picture(self, pic: Any) -> list[Block]:
        found: list[Block] = []
        for img in pic.iter():
            if _local(img.tag) != "img":
                continue
            ref = img.get("binaryItemIDRef", "")
            href = self.manifest.get(ref) or next((n for n in self.zf.namelist() if n.startswith(f"BinData/{ref}.")), "")
            if href:
                found.append(Figure(read_member(self.zf, href), href))
        return found


def _text_of(t: Any) -> str:
    """`hp:t` with its inline marks: a tab, a line break, fixed and non-breaking spaces."""
    out = [t.text or ""]
    for mark in t:
        kind = _local(mark.tag)
        out.append({"tab": "\t", "lineBreak": "\n", "fwSpace": " ", "nbSpace": " "}.get(kind, ""))
        out.append(mark.tail or "")
    return "".join(out)
