"""The part of broken code that still parses: whole classes, methods and functions.

When stitching cannot make a question's code valid, grading what can be graded beats a zero:
top-level statements are kept while they parse together; a class that fails keeps the methods that
parse; each part left out is named with its line and the reason in Korean.
"""

from __future__ import annotations

import ast
import re

from ..i18n import t as msg
from .lines import scan

_DEF = re.compile(r"^\s*(def|class|async\s+def)\s+\w+.*:\s*(#.*)?$|^\s*@\w")  # even inside an open bracket
from .syntax_ko import describe


def salvage(texts: list[str], where: list[int]) -> tuple[list[str], list[int], list[str]]:
    """The parsable part of `texts` (with its sheet lines `where`) and notes on what was left out."""
    kept: list[str] = []
    kept_where: list[int] = []
    notes: list[str] = []
    for a, b in _chunks(texts, 0):
        part, part_where = texts[a:b], where[a:b]
        if _error(kept + part) is None:
            kept, kept_where = kept + part, kept_where + part_where
            continue
        err = _error(_dedented(part))
        first_code = next((t for t in part if t.strip()), "").strip()
        if first_code.startswith("class ") and err is not None:
            saved, saved_where, dropped = _salvage_class(part, part_where)
            if saved and _error(kept + saved) is None:
                kept, kept_where = kept + saved, kept_where + saved_where
                notes.extend(dropped)
                continue
        notes.append(_left_out(part, part_where, err))
    return kept, kept_where, notes


def _salvage_class(texts: list[str], where: list[int]) -> tuple[list[str], list[int], list[str]]:
    lines = scan(texts)
    starts = [k for k, line in enumerate(lines) if line.starts and not line.blank]
    head_end = lines[starts[0]].end + 1
    body_starts = [k for k in starts if k >= head_end]
    if not lines[starts[0]].header or not body_starts:
        return [], [], []
    level = lines[body_starts[0]].indent
    kept, kept_where = texts[:head_end], where[:head_end]
    notes: list[str] = []
    members = 0
    for a, b in _chunks(texts, level, start=head_end):
        part, part_where = texts[a:b], where[a:b]
        if _error(kept + part) is None:
            kept, kept_where = kept + part, kept_where + part_where
            members += 1
        else:
            notes.append(_left_out(part, part_where, _error(_dedented(part))))
    if not members:
        kept, kept_where = kept + [" " * level + "pass"], kept_where + [0]
    return kept, kept_where, notes


def _chunks(texts: list[str], level: int, start: int = 0) -> list[tuple[int, int]]:
    """Ranges of lines that each begin with a statement at indentation `level`."""
    lines = scan(texts)
    bounds = [k for k in range(start, len(texts)) if lines[k].indent <= level and texts[k].strip() and
              ((lines[k].starts and not lines[k].blank) or _DEF.match(texts[k]))]
    if not bounds:
        return [(start, len(texts))] if start < len(texts) else []
    bounds[0] = start
    return [(a, b) for a, b in zip(bounds, bounds[1:] + [len(texts)])]


def _dedented(texts: list[str]) -> list[str]:
    first = next((t for t in texts if t.strip()), "")
    cut = len(first) - len(first.lstrip(" "))
    return [t[cut:] if t[:cut].strip() == "" else t.lstrip(" ") for t in texts]


def _error(texts: list[str]) -> SyntaxError | None:
    try:
        ast.parse("\n".join(texts) + "\n")
    except SyntaxError as err:
        return err
    except (ValueError, RecursionError) as err:
        return SyntaxError(str(err))
    return None


def _left_out(part: list[str], where: list[int], err: SyntaxError | None) -> str:
    numbers = [w for w, t in zip(where, part) if w and t.strip()]
    span = msg("sheet.lines", first=numbers[0], last=numbers[-1]) if numbers else msg("sheet.added_lines")
    first = next((t.strip() for t in part if t.strip()), "")
    reason = describe(err) if err is not None else msg("sheet.cannot_join")
    at = ""
    if err is not None and err.lineno and 1 <= err.lineno <= len(part) and where[err.lineno - 1]:
        at = f" ({msg('sheet.line', line=where[err.lineno - 1])})"
    return msg("sheet.left_out", span=span, first=first[:60], reason=reason, at=at)
