"""The numbers Word shows before list items and numbered headings ("1.", "가.", "7.2.4").

Word does not store them in the text: a paragraph names a list (`numId`) and a level (`ilvl`),
and `numbering.xml` says how each level counts (`decimal`, `ganada`, …) and how its label is
written (`%1.%2.`). Counting them here keeps a numbered answer ("1. 문제점 …") and an outline-
numbered question heading as the student saw them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_GANADA = "가나다라마바사아자차카타파하"
_CHOSUNG = "ㄱㄴㄷㄹㅁㅂㅅㅇㅈㅊㅋㅌㅍㅎ"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


@dataclass
class _Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = "%1."


@dataclass
class Numbering:
    """The document's lists: levels by list, and the counters of the paragraphs read so far."""

    levels: dict[str, dict[int, _Level]] = field(default_factory=dict)  # numId → ilvl → level
    counters: dict[str, list[int]] = field(default_factory=dict)

    @classmethod
    def of(cls, document: Any) -> Numbering:
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return cls()
        abstract = {a.get(f"{W}abstractNumId"): _levels(a) for a in root.findall(f"{W}abstractNum")}
        levels: dict[str, dict[int, _Level]] = {}
        for num in root.findall(f"{W}num"):
            ref = num.find(f"{W}abstractNumId")
            base = dict(abstract.get(ref.get(f"{W}val") if ref is not None else None, {}))
            for override in num.findall(f"{W}lvlOverride"):
                ilvl = _int(override.get(f"{W}ilvl"), 0)
                start = override.find(f"{W}startOverride")
                if start is not None and ilvl in base:
                    base[ilvl] = _Level(_int(start.get(f"{W}val"), 1), base[ilvl].fmt, base[ilvl].text)
            levels[num.get(f"{W}numId")] = base
        return cls(levels)

    def label(self, p: Any, style: Any) -> tuple[str, str | None]:
        """The label of paragraph `p` ("" when it is no list item) and the list it belongs to."""
        num_id, ilvl = _num_pr(p.find(f"{W}pPr"))
        seen = 0
        while num_id is None and style is not None and seen < 20:  # a numbered heading style
            num_id, style_lvl = _num_pr(style.element.find(f"{W}pPr"))
            ilvl = ilvl if ilvl is not None else style_lvl
            style, seen = style.base_style, seen + 1
        if num_id is None or num_id == "0" or num_id not in self.levels:
            return "", None
        ilvl = ilvl or 0
        levels = self.levels[num_id]
        counts = self.counters.setdefault(num_id, [])
        while len(counts) <= ilvl:
            counts.append(levels.get(len(counts), _Level()).start - 1)
        counts[ilvl] += 1
        del counts[ilvl + 1:]  # a deeper level starts again under a new item
        level = levels.get(ilvl, _Level())
        if level.fmt in ("bullet", "none"):
            return ("-" if level.fmt == "bullet" else ""), num_id
        text = level.text
        for k in range(ilvl, -1, -1):
            value = counts[k] if k < len(counts) else 1
            text = text.replace(f"%{k + 1}", _format(value, levels.get(k, _Level()).fmt))
        return text, num_id


def _levels(abstract: Any) -> dict[int, _Level]:
    out = {}
    for lvl in abstract.findall(f"{W}lvl"):
        start, fmt, text = lvl.find(f"{W}start"), lvl.find(f"{W}numFmt"), lvl.find(f"{W}lvlText")
        out[_int(lvl.get(f"{W}ilvl"), 0)] = _Level(
            _int(start.get(f"{W}val"), 1) if start is not None else 1,
            fmt.get(f"{W}val", "decimal") if fmt is not None else "decimal",
            text.get(f"{W}val", "") if text is not None else "")
    return out


def _num_pr(ppr: Any) -> tuple[str | None, int | None]:
    num = ppr.find(f"{W}numPr") if ppr is not None else None
    if num is None:
        return None, None
    num_id, ilvl = num.find(f"{W}numId"), num.find(f"{W}ilvl")
    return (num_id.get(f"{W}val") if num_id is not None else None,
            _int(ilvl.get(f"{W}val"), 0) if ilvl is not None else None)


def _format(n: int, fmt: str) -> str:
    if fmt in ("lowerLetter", "upperLetter"):
        s = _letters(n)
        return s if fmt == "upperLetter" else s.lower()
    if fmt in ("lowerRoman", "upperRoman"):
        s = _roman(n)
        return s if fmt == "upperRoman" else s.lower()
    if fmt in ("ganada", "chosung"):
        chars = _GANADA if fmt == "ganada" else _CHOSUNG
        return chars[(n - 1) % len(chars)] if n > 0 else str(n)
    if fmt == "decimalEnclosedCircle" and 0 < n <= len(_CIRCLED):
        return _CIRCLED[n - 1]
    if fmt == "decimalZero":
        return f"{n:02d}"
    return str(n)


def _letters(n: int) -> str:
    s = ""
    while n > 0:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s or "A"


def _roman(n: int) -> str:
    out = ""
    for value, word in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
                        (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out, n = out + word, n - value
    return out or "0"


def _int(value: Any, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default
