"""7.4.1.1: what each number of a data shape (N, C, H, W) means, a quarter of the credit each.

A number belongs to the role whose keyword is nearest to it (`높이 50`, `채널 2개`, `105개의
데이터`, `N=105`); `50×50` is height by width; a tuple counts only under a tuple of role names
(`(N, C, H, W) = (105, 2, 50, 50)`), because the bare tuple is the question's own text.
"""

from __future__ import annotations

import re

from ..i18n import t
from ..model import Outcome
from .numtext import normalize, numbers, same, show

_ROLES = ("count", "channels", "height", "width")
_KEYWORDS = {
    "count": r"데이터|샘플|이미지|사진|배치|개수|sample|data|image|batch|(?<![A-Za-z])N(?![A-Za-z])",
    "channels": r"채널|channel|(?<![A-Za-z])C(?![A-Za-z])",
    "height": r"높이|세로|height|(?<![A-Za-z])H(?![A-Za-z])",
    "width": r"너비|가로|폭|width|(?<![A-Za-z])W(?![A-Za-z])",
}
_KEYWORD = re.compile("|".join(f"(?P<{role}>{rx})" for role, rx in _KEYWORDS.items()), re.I)
_TUPLE4 = re.compile(r"\(\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*\)")
_NAME_TUPLE = re.compile(r"\(([^()]*,[^()]*,[^()]*,[^()]*)\)\s*[=:은는이란]*\s*$")
_HW = re.compile(r"(?<![\d.])(\d+)\s*\*\s*(\d+)(?![\d.])")
_COUNTER = re.compile(r"^\s*(개|장|건)")
_WINDOW = 12
_EACH = re.compile(r"각각|모두|둘\s*다|both|each|all", re.I)


def shape_meaning(text: str, count: int, channels: int, height: int, width: int) -> Outcome:
    """A quarter for each of data count, channels, height and width stated with its meaning."""
    expected = {"count": count, "channels": channels, "height": height, "width": width}
    stated: dict[str, list[float]] = {role: [] for role in _ROLES}
    for line in normalize(text).split("\n"):
        line = _tuples(line, stated)
        line = _height_by_width(line, stated)
        _nearest(line, stated)
    right = [r for r in _ROLES if any(same(v, expected[r]) for v in stated[r])]
    wrong = [r for r in _ROLES if stated[r] and r not in right]
    missing = [r for r in _ROLES if not stated[r]]
    parts = []
    if right:
        found = ", ".join(f"{_name(r)} {show(next(v for v in stated[r] if same(v, expected[r])))}" for r in right)
        parts.append(t("numeric.shape.found", found=found) if len(right) < 4
                     else t("numeric.shape.found_all", found=found))
    for r in wrong:
        parts.append(t("numeric.shape.wrong", role=_name(r), values=", ".join(show(v) for v in stated[r])))
    if missing:
        parts.append(t("numeric.shape.missing", roles=", ".join(_name(r) for r in missing)))
    message = "; ".join(parts) + "."
    return Outcome(len(right) / 4, message[:1].upper() + message[1:], evidence=parts[:1] if right else [])


def _name(role: str) -> str:
    """What a role is called in messages ("데이터 수")."""
    return t(f"numeric.shape.role.{role}")


def _tuples(line: str, stated: dict[str, list[float]]) -> str:
    """Assign a 4-tuple under a tuple of role names; blank out every 4-tuple (the question's)."""
    for m in _TUPLE4.finditer(line):
        names = _NAME_TUPLE.search(line[: m.start()])
        if names:
            roles = [_role_of(part) for part in names.group(1).split(",")]
            if None not in roles:
                for role, value in zip(roles, m.groups()):
                    stated[role].append(float(value))
        line = line[: m.start()] + " " * (m.end() - m.start()) + line[m.end():]
    return line


def _height_by_width(line: str, stated: dict[str, list[float]]) -> str:
    for m in _HW.finditer(line):
        stated["height"].append(float(m.group(1)))
        stated["width"].append(float(m.group(2)))
        line = line[: m.start()] + " " * (m.end() - m.start()) + line[m.end():]
    return line


def _nearest(line: str, stated: dict[str, list[float]]) -> None:
    keywords = [(k.start(), k.end(), k.lastgroup) for k in _KEYWORD.finditer(line)]
    previous_end = 0
    for number in numbers(line):
        floor, previous_end = previous_end, number.end
        best: tuple[int, int, str] | None = None
        for start, end, role in keywords:
            if end <= number.start:
                gap, before = number.start - end, 0
            elif start >= number.end:  # `105개의 데이터`; Korean names the role first more often
                gap, before = 2 * (start - number.end) + 2, 1
            else:
                continue
            if gap <= _WINDOW and (best is None or (gap, before) < best[:2]):
                best = (gap, before, role or "")
        before_ends = [end for _, end, _ in keywords if end <= number.start]
        between = line[max(before_ends):number.start] if before_ends else ""
        if _EACH.search(between) and not re.search(r"\d", between):  # `가로 세로는 각각 50`
            shared = {role for start, end, role in keywords
                      if role and floor <= start and end <= number.start and number.start - end <= 2 * _WINDOW}
            for role in shared:
                stated[role].append(number.value)
            continue
        if best is not None:
            stated[best[2]].append(number.value)
        elif _COUNTER.match(line[number.end:]):
            stated["count"].append(number.value)


def _role_of(name: str) -> str | None:
    m = _KEYWORD.search(name.strip())
    return m.lastgroup if m else None
