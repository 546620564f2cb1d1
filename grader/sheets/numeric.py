"""Numeric questions graded exactly, with partial credit and messages that reveal nothing.

Every check returns a `grader.model.Outcome`. Messages (from `grader/i18n.py`) name what was found (the
student's own numbers) and what is missing — never an expected value the student did not write.
- `values` (7.2.2.1): how many expected outputs appear as stated results;
- `working` (7.2.2.1): an expression with `*` and `+` that evaluates to an expected output;
- `named` (7.2.4): the value given for a name (`OH = … = 6`, `(OH, OW) = (6, 7)`, `6칸`);
- `relation` (7.2.4): padding and stride against output size, in words;
- `shape_meaning` (7.4.1.1): what each number of a shape (N, C, H, W) means.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from ..i18n import t as msg
from ..model import Outcome
from .numtext import normalize, numbers, safe_eval, same, show, strip_numbering
from .relation import relation
from .shape import shape_meaning

__all__ = ["values", "working", "named", "relation", "shape_meaning"]

_EXPR = re.compile(r"[\d.\s()+\-*/]+")
_NAME_TUPLE = re.compile(
    r"\(?\s*((?:[A-Za-z_]\w*\s*,\s*)+[A-Za-z_]\w*)\s*\)?\s*[=:]\s*\(?\s*"
    r"(-?\d+(?:\.\d+)?(?:\s*,\s*-?\d+(?:\.\d+)?)+)\s*\)?"
)
_NEXT_NAME = re.compile(r"(?<![A-Za-z0-9_])[A-Za-z_]\w*\s*[=:]")
_PAIR = re.compile(r"\(?\s*(\d+(?:\.\d+)?)\s*[,*]\s*(\d+(?:\.\d+)?)\s*\)?")
_ARITHMETIC = ("+", "-", "*", "/")
_NOT_OUTPUT = re.compile(r"(입력|필터|패딩|스트라이드|커널|input|filter|pad|stride|kernel)[^\n]{0,12}$", re.I)


def values(text: str, expected: Sequence[float]) -> Outcome:
    """Share of `expected` stated as results (`= 19`, a grid `19 24 / 26 17`, a list), not operands."""
    if not expected:
        raise ValueError("expected=[] names no value; list the expected outputs, e.g. expected = [1, 2, 3]")
    stated = [n for n in numbers(normalize(text)) if not n.operand]
    wanted = Counter(float(e) for e in expected)
    found: list[float] = []
    for number in stated:
        match = next((e for e in wanted if wanted[e] > 0 and same(e, number.value)), None)
        if match is not None:
            wanted[match] -= 1
            found.append(number.value)
    total, hits = len(expected), len(found)
    wrong = sorted({n.value for n in stated if n.after_equals and not any(same(n.value, e) for e in expected)})
    shown = ", ".join(show(v) for v in found)
    if hits == total:
        return Outcome(1.0, msg("numeric.values.all", total=total, shown=shown), evidence=[shown])
    message = (msg("numeric.values.some", total=total, hits=hits, shown=shown, rest=total - hits)
               if hits else msg("numeric.values.none", total=total))
    if wrong:
        message += msg("numeric.values.wrong", values=", ".join(show(v) for v in wrong))
    return Outcome(hits / total, message, evidence=[shown] if shown else [])


def working(text: str, expected: Sequence[float]) -> Outcome:
    """Passes when an expression with `*` and `+` evaluates to one of `expected`."""
    tried: list[tuple[str, float]] = []
    for line in normalize(text).split("\n"):
        for m in _EXPR.finditer(strip_numbering(line)):
            for expr in _candidates(m.group(0)):
                if "*" not in expr or "+" not in expr:
                    continue
                value = safe_eval(expr)
                if value is None:
                    continue
                if any(same(value, e) for e in expected):
                    return Outcome(1.0, msg("numeric.working.found", expr=expr, value=show(value)), evidence=[expr])
                tried.append((expr, value))
                break
    if tried:
        expr, value = tried[0]
        return Outcome(0.0, msg("numeric.working.wrong", expr=expr, value=show(value)))
    return Outcome(0.0, msg("numeric.working.missing"))


def named(text: str, name: str, expected: float, index: int = 0) -> Outcome:
    """The value given for `name` (the last `= number` of its line), or the `index`-th of a pair."""
    t = normalize(text)
    value = _named_value(t, name)
    how = f"{name} = "
    if value is None:
        value = _pair_value(t, index)
        how = msg("numeric.named.pair", index=index + 1)
    if value is None:
        return Outcome(0.0, msg("numeric.named.missing", name=name))
    if same(value, expected):
        return Outcome(1.0, msg("numeric.named.found", how=how, value=show(value)),
                       evidence=[f"{name} = {show(value)}"])
    return Outcome(0.0, msg("numeric.named.wrong", name=name, value=show(value)),
                   evidence=[f"{name} = {show(value)}"])


def _candidates(run: str) -> list[str]:
    """The run itself, then the run from each later number on (`19 3*1+2` → `3*1+2`)."""
    run = _trim(run)
    starts = [m.start() for m in re.finditer(r"(?<=\s)[\d(]", run)]
    return [run] + [_trim(run[k:]) for k in starts]


def _trim(expr: str) -> str:
    expr = expr.strip().strip("+-*/ ").strip()
    while expr.count("(") > expr.count(")") and expr.startswith("("):
        expr = expr[1:].strip()
    while expr.count(")") > expr.count("(") and expr.endswith(")"):
        expr = expr[:-1].strip()
    return expr


def _named_value(t: str, name: str) -> float | None:
    for m in _NAME_TUPLE.finditer(t):
        names = [n.strip().lower() for n in m.group(1).split(",")]
        nums = [float(v) for v in re.split(r"\s*,\s*", m.group(2).strip())]
        if name.lower() in names and len(names) == len(nums):
            return nums[names.index(name.lower())]
    found: float | None = None
    pattern = re.compile(rf"(?<![A-Za-z0-9_]){re.escape(name)}(?![A-Za-z0-9_])", re.I)
    for line in t.split("\n"):
        for m in pattern.finditer(line):
            segment = line[m.end():]
            cut = _NEXT_NAME.search(segment, 1)
            if cut:
                segment = segment[: cut.start()]
            value = _segment_value(segment)
            if value is not None:
                found = value  # the last statement of the value wins (a corrected answer)
    return found


def _segment_value(segment: str) -> float | None:
    """`= (5+2*2-4)/1+1 = 6` → 6; `는 6칸` → 6; `= (5+2*2-4)/1+1` → its value."""
    if "=" in segment:
        last = segment.rsplit("=", 1)[1]
        nums = numbers(last)
        if nums and not nums[0].operand:
            return nums[0].value
        return safe_eval(_trim(re.split(r"[^\d.\s()+\-*/]", last.strip() + "#", maxsplit=1)[0]))
    head = segment.lstrip(" :은는이가의")
    nums = numbers(head[:20])
    if nums and not nums[0].operand and nums[0].start <= 3:
        return nums[0].value
    return None


def _pair_value(t: str, index: int) -> float | None:
    found: float | None = None
    for line in t.split("\n"):
        for m in _PAIR.finditer(line):
            before = line[: m.start()].rstrip()[-1:]
            after = line[m.end():].lstrip()[:1]
            if before in _ARITHMETIC or after in _ARITHMETIC:
                continue  # part of an expression, not a stated size
            if _NOT_OUTPUT.search(line[: m.start()]):
                continue
            found = float(m.group(1 + min(max(index, 0), 1)))
    return found
