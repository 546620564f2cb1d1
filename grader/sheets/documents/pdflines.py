"""The lines of a PDF page from its characters: text with its spaces, code with its indentation.

A PDF holds positioned glyphs, not lines. Characters whose vertical middles agree make a line; a
gap between two of them is a space (or, when wider than a character, a tab: table cells side by
side). A fixed-width line is laid on its font's grid instead — a character's column is its
distance from the line's left boundary (the box around the code, else the page's margin) in
character widths — so the indentation and spacing of code come back exactly, double-width Hangul
included. Chromium writes spaces as glyphs of their own (sometimes mapped to U+0001): any control
character is a space.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from typing import Any

from .blocks import is_monospace


@dataclass
class Line:
    chars: list[dict[str, Any]]  # the glyphs, left to right (spaces included)
    page: int
    top: float
    bottom: float
    size: float
    mono: bool
    x0: float = 0.0  # of the first glyph that is not a space
    x1: float = 0.0
    text: str = ""  # for a proportional line; a fixed-width one is laid out by `code_text`
    box: tuple[float, float, float] | None = None  # the left edge of the box around it: (x, top, bottom)
    box_open_top: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


def _blank(ch: dict[str, Any]) -> bool:
    text = ch.get("text") or ""
    return not text.strip() or all(ord(c) < 32 for c in text)


def monospace_fonts(chars: list[dict[str, Any]]) -> set[str]:
    """Fonts that are fixed-width by name, or whose ASCII glyphs (8 kinds at least) all have one width."""
    widths: dict[str, dict[str, float]] = {}
    mono = set()
    for ch in chars:
        font = ch.get("fontname") or ""
        if is_monospace(font):
            mono.add(font)
            continue
        text = ch.get("text") or ""
        if len(text) == 1 and 33 <= ord(text) < 127 and ch.get("size"):
            widths.setdefault(font, {})[text] = (ch["x1"] - ch["x0"]) / ch["size"]
    for font, by_char in widths.items():
        if len(by_char) >= 8 and {"i", "m"} & set(by_char) and max(by_char.values()) <= 1.03 * min(by_char.values()):
            mono.add(font)
    return mono


def page_lines(chars: list[dict[str, Any]], page: int, mono_fonts: set[str]) -> list[Line]:
    """The lines of one page's characters, top to bottom."""
    glyphs = sorted((c for c in chars if c.get("upright", True)), key=lambda c: ((c["top"] + c["bottom"]) / 2, c["x0"]))
    rows: list[list[dict[str, Any]]] = []
    for ch in glyphs:
        mid = (ch["top"] + ch["bottom"]) / 2
        if rows:
            last = rows[-1]
            last_mid = statistics.fmean((c["top"] + c["bottom"]) / 2 for c in last[-3:])
            if abs(mid - last_mid) <= 0.35 * max(ch["size"], last[-1]["size"]):
                last.append(ch)
                continue
        rows.append([ch])
    lines = []
    for row in rows:
        row.sort(key=lambda c: c["x0"])
        filled = [c for c in row if not _blank(c)]
        if not filled:
            continue
        size = statistics.median(c["size"] for c in filled)
        mono = all(c.get("fontname", "") in mono_fonts for c in filled if ord(c["text"][0]) < 0x2E80) and \
            any(ord(c["text"][0]) < 0x2E80 for c in filled)
        line = Line(row, page, min(c["top"] for c in filled), max(c["bottom"] for c in filled), size, mono,
                    filled[0]["x0"], filled[-1]["x1"])
        line.text = _prose(row, size)
        lines.append(line)
    return lines


def _prose(row: list[dict[str, Any]], size: float) -> str:
    """A proportional line's text: spaces where a space glyph or a word gap is, tabs at wide gaps."""
    out: list[str] = []
    previous: dict[str, Any] | None = None
    space = False
    for ch in row:
        if _blank(ch):
            space = True
            continue
        if previous is not None:
            gap = ch["x0"] - previous["x1"]
            if gap > 1.2 * size:
                out.append("\t")
            elif space or gap > 0.15 * size:
                out.append(" ")
        out.append(ch["text"])
        previous, space = ch, False
    return "".join(out)


def char_width(line: Line) -> float:
    """The advance of one column of a fixed-width line (its ASCII glyphs' median width)."""
    ascii_widths = [c["x1"] - c["x0"] for c in line.chars if len(c["text"]) == 1 and ord(c["text"]) < 127
                    and c["x1"] > c["x0"]]
    return statistics.median(ascii_widths) if ascii_widths else 0.5 * line.size


def code_text(line: Line, left: float, width: float) -> str:
    """A fixed-width line laid on its grid: column = (x − left) / width; a wide glyph takes its columns."""
    out: list[str] = []
    cursor = 0
    for ch in line.chars:
        if _blank(ch):
            continue
        col = max(0, round((ch["x0"] - left) / width))
        if col > cursor:
            out.append(" " * (col - cursor))
            cursor = col
        out.append(ch["text"])
        cursor += max(1, round((ch["x1"] - ch["x0"]) / width)) if ch["x1"] > ch["x0"] else len(ch["text"])
    return "".join(out)
