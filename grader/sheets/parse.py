"""Split an answer sheet (.txt, .md, a rendered notebook) into answers by question number.

The sheet is read line by line. A question line opens an answer that runs to the next question
or section heading; the same number twice in a row (a section title, then the question) is one
answer; a range heading gives its text to every question of the range. Lines inside fenced code
are never headings. Nothing here raises on bad input: what is odd becomes a Korean note.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..i18n import t
from .decode import decode_text, encoding_note, looks_binary
from .fences import Fence, scan_fences
from .headings import HeadingReader
from .model import Answer, CodeBlock, Sheet
from .template import is_template

_QUESTION_END = re.compile(r"(시오|하라|쓰라|인가|는가|일까|할까|말해보자)\s*[.?!]?\s*$|\?\s*$")
_MARKDOWN = re.compile(r"^\s{0,3}#{1,6}\s")


@dataclass
class _Segment:
    ids: tuple[str, ...]
    start: int
    headings: list[int] = field(default_factory=list)
    end: int = 0


def read_sheet(data: bytes, question_ids: Sequence[str], name: str | None = None) -> Sheet:
    """Decode `data` (see `decode_text`) and parse it; an encoding other than UTF-8 is noted."""
    text, encoding = decode_text(data)
    sheet = parse_sheet(text, question_ids)
    note = encoding_note(encoding, name or t("sheet.name.sheet"))
    if note and sheet.format != "binary":
        sheet.notes.insert(0, note)
    return sheet


def parse_sheet(text: str, question_ids: Sequence[str], *, format: str | None = None) -> Sheet:
    """The answers of `text` by question id (only ids in `question_ids`), with notes.

    `format` is recorded as given ("notebook" for a rendered notebook); by default it is guessed:
    "markdown" when the sheet uses Markdown headings or fences, else "text".
    """
    if not isinstance(text, str):
        return Sheet({}, [t("sheet.unreadable_text")], "binary")
    why = looks_binary(text)
    if why:
        return Sheet({}, [t("sheet.binary", why=why)], "binary")
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        return Sheet({}, [t("sheet.empty")], "empty")
    lines = text.split("\n")
    reader = HeadingReader(question_ids)
    fences = scan_fences(lines, stop=reader.stops_code)
    notes = [_fence_note(f) for f in fences if not f.closed]
    in_code = _fenced_lines(fences)
    segments = _segments(lines, reader, in_code)
    answers = _answers(lines, segments, fences, notes)
    if not answers:
        notes.append(t("sheet.no_ids"))
    fmt = format or ("markdown" if any(_MARKDOWN.match(line) for k, line in enumerate(lines)
                                       if k not in in_code) else "text")
    return Sheet(answers, notes, fmt)


def _fence_note(f: Fence) -> str:
    where = t("sheet.fence_open", line=f.start + 1)
    if f.stopped_at_heading:
        return t("sheet.fence_closed_at_heading", where=where, line=f.end + 1)
    return t("sheet.fence_to_end", where=where)


def _fenced_lines(fences: list[Fence]) -> set[int]:
    lines: set[int] = set()
    for f in fences:
        lines.update(range(f.start, (f.end if f.closed else f.end - 1) + 1))
    return lines


def _segments(lines: list[str], reader: HeadingReader, in_code: set[int]) -> list[_Segment]:
    segments: list[_Segment] = []
    current: _Segment | None = None

    def close(at: int) -> None:
        nonlocal current
        if current is not None:
            current.end = at
            segments.append(current)
            current = None

    for k, line in enumerate(lines):
        if k in in_code:
            continue
        heading = reader.read(line)
        if heading is None:
            continue
        if heading.kind == "section":
            close(k)
            continue
        if current is not None and current.ids == heading.ids and \
                all(not lines[j].strip() for j in range(current.headings[-1] + 1, k)):
            current.headings.append(k)  # "7.2.4 스트라이드" then "7.2.4 패딩, 스트라이드와 …"
            continue
        close(k)
        current = _Segment(heading.ids, k, [k])
    close(len(lines))
    return segments


def _answers(lines: list[str], segments: list[_Segment], fences: list[Fence],
             notes: list[str]) -> dict[str, Answer]:
    answers: dict[str, Answer] = {}
    for seg in segments:
        end = seg.end
        while end > seg.start + 1 and not lines[end - 1].strip():
            end -= 1
        text = "\n".join(lines[seg.start:end])
        body_start = len("\n".join(lines[seg.start:seg.headings[-1] + 1])) + 1
        body_start = _after_question(text, min(body_start, len(text)), lines[seg.headings[-1]])
        blocks = _blocks([f for f in fences if seg.start <= f.start < seg.end])
        for qid in seg.ids:
            found = Answer(qid, text, seg.start + 1, list(blocks), body_start, seg.ids, [(seg.start + 1, seg.end)])
            if qid in answers:
                before = answers[qid]
                notes.append(t("sheet.twice", qid=qid, first=before.line, second=found.line))
                before.text = before.text + "\n\n" + found.text
                before.code_blocks.extend(found.code_blocks)
                before.spans.extend(found.spans)
            else:
                answers[qid] = found
    return answers


def _after_question(text: str, body_start: int, heading_line: str) -> int:
    """Skip the question's own paragraph when the heading is only a title (seed's 7.2.5)."""
    if _QUESTION_END.search(heading_line):
        return body_start
    pos = body_start
    for _ in range(3):
        para_end = text.find("\n\n", pos)
        para = text[pos:] if para_end < 0 else text[pos:para_end]
        if para.lstrip().startswith(("```", "~~~")):
            break
        if _QUESTION_END.search(para.strip()):
            return len(text) if para_end < 0 else para_end + 2
        if para_end < 0:
            break
        pos = para_end + 2
        while pos < len(text) and text[pos] == "\n":
            pos += 1
    return body_start


def _blocks(fences: list[Fence]) -> list[CodeBlock]:
    blocks: list[CodeBlock] = []
    previous_template = False
    for f in fences:
        source = "\n".join(f.body)
        first = f.start + 1 if f.start == f.end else f.start + 2
        template = is_template(source, after_template=previous_template)
        blocks.append(CodeBlock(source, first, f.lang, template, f.closed))
        previous_template = template
    return blocks
