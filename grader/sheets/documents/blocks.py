"""What every reader produces — paragraphs, tables, pictures in reading order — and the sheet text.

A reader turns its format into `Block`s; `to_text` writes them as the text an answer sheet would
have (paragraphs apart by a blank line, code in fences, a grid as tab-separated rows, as the seed's
.txt has them), so the one parser of `.md`/`.txt` sheets reads every document the same way. A
picture takes no line: it is remembered at the line of the text before it, so it belongs to the
question whose number precedes it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..prose_code import looks_like_code

# Fixed-width faces students write code in (Word, Hangul, a PDF's embedded fonts): a name contains one.
_MONO_WORDS = ("mono", "courier", "consol", "coding", "code", "menlo", "monaco", "lucida console", "inconsolata",
               "d2coding", "나눔고딕코딩", "hack", "fixedsys", "terminal", "ocr-a", "ocr a")
# Korean fixed-width faces end in 체: 굴림체, 돋움체, 바탕체, 궁서체 (GulimChe, DotumChe, BatangChe, GungsuhChe).
_MONO_KOREAN = re.compile(r"(굴림|돋움|바탕|궁서)체|(gulim|dotum|batang|gungsuh)che", re.I)
_PDF_SUBSET = re.compile(r"^[A-Z]{6}\+")


def is_monospace(font: str | None) -> bool:
    """Whether a font name is a fixed-width face (`ABCDEF+Consolas-Bold` included)."""
    if not font:
        return False
    name = _PDF_SUBSET.sub("", font).lower()
    return any(w in name for w in _MONO_WORDS) or bool(_MONO_KOREAN.search(name))


@dataclass
class Text:
    """A paragraph: its lines (soft line breaks), whether it is set in a fixed-width face."""

    lines: list[str]
    mono: bool = False
    joined: bool = False  # follows the previous paragraph without a blank line (a list item, a PDF line)


@dataclass
class Table:
    """A table: cell texts by row (a cell's paragraphs joined by newlines)."""

    rows: list[list[str]]
    mono: bool = False


@dataclass
class Figure:
    """A picture as found, not yet checked: its bytes and where it is in the document."""

    data: bytes
    where: str


@dataclass
class Code:
    """Lines known to be code (a PDF's fixed-width lines with their indentation restored)."""

    lines: list[str]


@dataclass
class Notice:
    """Something the reader wants said about the document (`key` of the catalogue, `values`), no text."""

    key: str
    values: dict = field(default_factory=dict)


Block = Text | Table | Figure | Code | Notice


@dataclass
class Rendered:
    text: str
    figures: list[tuple[Figure, int]] = field(default_factory=list)  # (figure, 1-based line before it)


def to_text(blocks: list[Block]) -> Rendered:
    """The sheet text of `blocks`, and the line each figure follows."""
    out: list[str] = []
    figures: list[tuple[Figure, int]] = []
    for kind, content in _runs(blocks):
        if kind == "figure":
            figures.append((content, len(out)))
            continue
        if kind == "code":
            lines = _fence(content)
        else:
            lines = content
        if out and not (kind == "joined"):
            out.append("")
        out.extend(lines)
    return Rendered("\n".join(out), figures)


def _runs(blocks: list[Block]):  # noqa: ANN202 - yields (kind, lines | Figure)
    """Blocks as runs: consecutive fixed-width paragraphs are one code run; empty paragraphs only separate."""
    code: list[str] = []
    pending_blank = 0
    for block in blocks:
        if isinstance(block, Text) and block.mono and any(line.strip() for line in block.lines):
            code.extend([""] * pending_blank if code else [])
            code.extend(block.lines)
            pending_blank = 0
            continue
        if isinstance(block, Text) and not any(line.strip() for line in block.lines):
            pending_blank += 1  # inside a code run, an empty paragraph is an empty line of the code
            continue
        if code:
            yield "code", code
            code = []
        pending_blank = 0
        if isinstance(block, Notice):
            continue
        if isinstance(block, Figure):
            yield "figure", block
        elif isinstance(block, Code):
            if any(line.strip() for line in block.lines):
                yield "code", block.lines
        elif isinstance(block, Table):
            yield from _table(block)
        else:
            yield ("joined" if block.joined else "text"), [line.rstrip() for line in block.lines]
    if code:
        yield "code", code


def _table(table: Table):  # noqa: ANN202
    cells = [c for row in table.rows for c in row]
    if not any(c.strip() for c in cells):
        return
    if len(table.rows) == 1 and len(table.rows[0]) == 1:  # a box: code when it is set or reads as code
        lines = cells[0].split("\n")
        if table.mono or looks_like_code(lines):
            yield "code", lines
        else:
            yield "text", [line.rstrip() for line in lines]
        return
    rows = ["\t".join(" ".join(c.split()) for c in row).rstrip() for row in table.rows]
    yield "text", [r for r in rows if r.strip()]


def _fence(lines: list[str]) -> list[str]:
    while lines and not lines[-1].strip():
        lines = lines[:-1]
    fence = "~~~~" if any(line.lstrip().startswith("```") for line in lines) else "```"
    return [fence, *[line.rstrip() for line in lines], fence]
