"""The data of an answer sheet: answers by question number, their code blocks, stitched code.

Plain dataclasses, no behaviour beyond small conveniences: parsing lives in `parse`, stitching in
`stitch`, grading in `numeric` and `written`; documents (Word, PDF, Hangul) are read by `documents`
into the same `Sheet`, with their pictures.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .fences import strip_fences


@dataclass
class CodeBlock:
    """One fenced block of an answer.

    `line` is the sheet line of the block's first source line (the line after the opening fence).
    `template` marks a block that only repeats the question's scaffold (`#구현` bodies, `x = # …`).
    """

    source: str
    line: int
    lang: str = ""
    template: bool = False
    closed: bool = True  # False: the fence was never closed


@dataclass
class Picture:
    """A picture of a document, checked and bounded (`documents.pictures`), ready to be stored.

    `line` is the line of the sheet's text where it stood; `questions` are the questions whose
    answer holds that line (the question whose number precedes it), empty when none does (a
    figure under a section title, a scanned page).
    """

    data: bytes  # what is stored: PNG, JPEG, GIF or WebP bytes
    media_type: str  # "image/png", …
    width: int
    height: int
    sha256: str  # of `data`
    line: int = 0
    where: str = ""  # in the document: "3쪽", "word/media/image1.png"
    questions: tuple[str, ...] = ()

    @property
    def extension(self) -> str:
        return {"image/jpeg": "jpg", "image/gif": "gif", "image/webp": "webp"}.get(self.media_type, "png")


@dataclass
class Answer:
    """The answer to one question as found in the sheet.

    `text` is everything under the question number, the heading line(s) included; `body_start`
    is the offset in `text` where the lines after the heading(s) begin. `group` lists every id
    that shares this text (a range heading `7.5.1.2 ~ 7.5.1.6`), else just `qid`.
    """

    qid: str
    text: str
    line: int
    code_blocks: list[CodeBlock] = field(default_factory=list)
    body_start: int = 0
    group: tuple[str, ...] = ()
    spans: list[tuple[int, int]] = field(default_factory=list)  # sheet lines (first, last) of its text, 1-based

    @property
    def body(self) -> str:
        """The answer without its heading line(s)."""
        return self.text[self.body_start:].lstrip("\n")

    @property
    def prose(self) -> str:
        """The text with the fenced code removed (for written and numeric questions)."""
        return strip_fences(self.text)


@dataclass
class Sheet:
    """A parsed answer sheet. `format` is text | markdown | notebook | empty | binary, or the
    document it was read from: docx | pdf | hwpx | hwp (then `pictures` holds its pictures)."""

    answers: dict[str, Answer]
    notes: list[str] = field(default_factory=list)
    format: str = "text"
    pictures: list[Picture] = field(default_factory=list)

    def answer(self, qid: str) -> Answer | None:
        return self.answers.get(qid)

    @property
    def empty(self) -> bool:
        return not self.answers


@dataclass
class CodeFragment:
    """Code taken from a sheet, ready to run or to show.

    `ok` is True when `source` is the student's whole answer and parses. When stitching failed,
    `ok` is False and `source` is the best part that parses. `lines[i]` is the sheet line of the
    i-th line of `source` (0 for a line the grader added: a stitching `pass`, reference code).
    """

    source: str
    notes: list[str] = field(default_factory=list)
    ok: bool = False
    lines: list[int] = field(default_factory=list)

    @property
    def missing(self) -> bool:
        """No code at all was found."""
        return not self.source.strip()

    def sheet_line(self, source_line: int) -> int:
        """The sheet line of a 1-based line of `source` (0 when unknown or added)."""
        if 1 <= source_line <= len(self.lines):
            return self.lines[source_line - 1]
        return 0


@dataclass
class Notebook:
    """A notebook read for grading: its code cells as one module, and its cells as a sheet."""

    code: str
    sheet: Sheet
    notes: list[str] = field(default_factory=list)
    cells: int = 0  # code cells kept in `code`

