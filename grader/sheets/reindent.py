"""Repair the indentation of code pasted into a sheet, the way its author meant it.

Walks the logical lines with Python's own indentation stack and fixes, instead of rejecting:
- a body not indented under its header (`def forward(self, x):` then the body at column 0, often
  in the next code block): the body run is indented under the header;
- an unexpected indent (a block pasted with its original indentation): the run is dedented;
- an indent between two open levels: snapped to the level below.
The relative indentation inside a moved run is kept. Each repair is reported with its line.
"""

from __future__ import annotations

from dataclasses import dataclass

from .lines import Line, indent_of, scan


@dataclass
class Repair:
    line: int  # 0-based index into the lines
    kind: str  # "body" | "dedent" | "snap" | "pass"
    header: str = ""  # the header a body was put under


def reindent(texts: list[str]) -> tuple[list[str], list[Repair]]:
    """Return the lines with repaired indentation and the repairs made (texts: tabs expanded)."""
    out = list(texts)
    lines = scan(out)
    starts = [k for k, line in enumerate(lines) if line.starts and not line.blank]
    repairs: list[Repair] = []
    stack = [0]
    header: int | None = None  # index of the header waiting for its body
    for pos, k in enumerate(starts):
        ind = indent_of(out[k])
        if header is not None:
            h = indent_of(out[header])
            if ind > h:
                stack.append(ind)
            else:
                run = _body_run(lines, starts, pos, out, h)
                _shift(out, k, run, h + 4 - ind)
                repairs.append(Repair(k, "body", lines[header].statement))
                stack.append(h + 4)
            header = None
        elif ind > stack[-1]:
            run = _run(starts, pos, out, ind)
            _shift(out, k, run, stack[-1] - ind)
            repairs.append(Repair(k, "dedent"))
        elif ind in stack:
            while stack[-1] != ind:
                stack.pop()
        else:
            target = max(level for level in stack if level < ind)
            run = _run(starts, pos, out, ind)
            _shift(out, k, run, target - ind)
            repairs.append(Repair(k, "snap"))
            while stack[-1] != target:
                stack.pop()
        if lines[k].header:
            header = k
    if header is not None:
        out.insert(lines[header].end + 1, " " * (indent_of(out[header]) + 4) + "pass")
        repairs.append(Repair(lines[header].end + 1, "pass", lines[header].statement))
    return out, repairs


def _body_run(lines: list[Line], starts: list[int], pos: int, out: list[str], h: int) -> int:
    """End (exclusive line index) of the body that was written under-indented after a header."""
    b = indent_of(out[starts[pos]])
    for q in range(pos + 1, len(starts)):
        j = starts[q]
        ind = indent_of(out[j])
        if ind < b or (lines[j].is_def and ind <= h):
            return j
    return len(out)


def _run(starts: list[int], pos: int, out: list[str], ind: int) -> int:
    """End (exclusive line index) of the run of statements indented at least `ind`."""
    for q in range(pos + 1, len(starts)):
        j = starts[q]
        if indent_of(out[j]) < ind:
            return j
    return len(out)


def _shift(out: list[str], start: int, end: int, delta: int) -> None:
    for j in range(start, end):
        text = out[j]
        if not text.strip():
            continue
        if delta > 0:
            out[j] = " " * delta + text
        else:
            cut = min(-delta, indent_of(text))
            out[j] = text[cut:]
