"""Which lines of a sheet are question numbers, and which are section headings.

A question line starts with a known id, in any of the ways students write it: `7.2.4 …`,
`## 7.2.4`, `**7.2.4**`, `Q7.2.4`, `7.2.4)`, `7.2.4번.`, or a range `7.5.1.2 ~ 7.5.1.6`. A section
heading (`7.2.2 합성곱 연산`, `7.5 CNN 구현하기`, `Chapter 8 딥러닝`) is not a question but ends
the answer before it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

_ID = r"\d+(?:\.\d+)+"
_HEADING = re.compile(
    rf"""^[ \t]{{0,3}}(?P<hashes>\#{{1,6}}[ \t]*)?(?:[-*+>][ \t]+)?
    (?:\*\*|__)?[ \t]*\[?[ \t]*
    (?:(?:Q|Question|문제|문항)[ \t]*\.?[ \t]*)?
    (?P<first>{_ID})(?!(?!번)\w|\.\d)(?:[ \t]*번)?
    (?:[ \t]*(?:~|-|–|—|〜|～|to|부터)[ \t]*(?P<last>{_ID}|\d+)(?!(?!번)\w|\.\d)(?:[ \t]*번)?(?:[ \t]*까지)?)?
    (?P<more>(?:[ \t]*[,/&][ \t]*{_ID}(?![\w]|\.\d))*)
    [ \t]*(?:\]|\)|\.|:|：)?[ \t]*(?:\*\*|__)?[ \t]*
    (?P<rest>.*)$""",
    re.X | re.I,
)
_CHAPTER = re.compile(
    r"^[ \t]{0,3}(?:\#{1,6}[ \t]*)?(?:\*\*)?[ \t]*(?:(?:chapter|ch\.?)[ \t]*\d+|제[ \t]*\d+[ \t]*장|\d+[ \t]*장)(?:\s|$|\W)",
    re.I,
)
_HANGUL = re.compile(r"[\uac00-\ud7a3]")


@dataclass(frozen=True)
class Heading:
    """A recognised line: `kind` is "question" (then `ids` are the questions) or "section"."""

    kind: str
    ids: tuple[str, ...] = ()
    rest: str = ""
    markdown: bool = False  # written as a Markdown heading (`## …`)


def id_key(qid: str) -> tuple[int, ...]:
    return tuple(int(part) for part in qid.split("."))


class HeadingReader:
    """Recognises headings against the question ids of one assignment."""

    def __init__(self, question_ids: Iterable[str]) -> None:
        self.ids = tuple(dict.fromkeys(q.strip() for q in question_ids if _valid_id(q.strip())))
        self._known = set(self.ids)
        self._prefixes = {".".join(q.split(".")[:k]) for q in self.ids for k in range(1, q.count(".") + 1)}
        self._chapters = {q.split(".")[0] for q in self.ids}

    def read(self, line: str) -> Heading | None:
        """The heading `line` is, or None for an ordinary line."""
        m = _HEADING.match(line)
        if m:
            ids = self._ids_of(m)
            rest = m["rest"].strip().strip("*_").strip()
            markdown = bool(m["hashes"])
            if ids:
                return Heading("question", ids, rest, markdown)
            if self._is_section(m["first"], rest):
                return Heading("section", (), rest, markdown)
            return None
        if _CHAPTER.match(line):
            return Heading("section", (), line.strip(), line.lstrip().startswith("#"))
        return None

    def stops_code(self, line: str) -> bool:
        """A question heading that cannot be code: `7.4.4.1 다음은 …` or `## 7.4.4.1`.

        A single `#` is a Python comment (`# 7.4.4.1 풀링`) and never stops code.
        """
        stripped = line.lstrip()
        if stripped.startswith("#") and not stripped.startswith("##"):
            return False
        h = self.read(line)
        if h is None or h.kind != "question":
            return False
        return bool(_HANGUL.search(h.rest)) or stripped.startswith("##")

    def _ids_of(self, m: re.Match[str]) -> tuple[str, ...]:
        first, last = m["first"], m["last"]
        found: list[str] = []
        if last:
            if "." not in last:  # 7.5.1.2~6: the last part only
                last = ".".join(first.split(".")[:-1] + [last])
            lo, hi = id_key(first), id_key(last)
            if lo <= hi:
                found = [q for q in sorted(self.ids, key=id_key) if lo <= id_key(q) <= hi]
        elif first in self._known:
            found = [first]
        for extra in re.findall(_ID, m["more"] or ""):
            if extra in self._known and extra not in found:
                found.append(extra)
        return tuple(found)

    def _is_section(self, number: str, rest: str) -> bool:
        if number in self._prefixes:
            return len(rest) <= 80
        chapter = number.split(".")[0]
        starts_with_word = bool(rest) and (rest[0].isalpha() or bool(_HANGUL.match(rest)))
        return chapter in self._chapters and starts_with_word and len(rest) <= 60


def _valid_id(qid: str) -> bool:
    return bool(re.fullmatch(_ID, qid))


def question_order(ids: Sequence[str]) -> list[str]:
    """Ids sorted as the assignment numbers them (7.2.10 after 7.2.9)."""
    return sorted(ids, key=id_key)
