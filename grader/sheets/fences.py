"""Fenced code blocks (``` and ~~~) in a sheet: where they open, close, and what they hold.

CommonMark's rule for closing (same character, at least as long, nothing else on the line) with
two tolerances students need: a one-line block (```x = 1```), and an unterminated fence that is
closed before a question heading found inside it when a `stop` predicate recognises one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

_OPEN = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^`]*?)[ \t]*$")
_ONE_LINE = re.compile(r"^[ \t]*(?P<fence>`{3,})(?P<code>[^`].*?)(?P=fence)[ \t]*$")


@dataclass
class Fence:
    """A fenced block: `start` is the index of the opening line, `body` the lines inside."""

    start: int
    end: int  # index of the closing line, or of the first line after the block when unclosed
    lang: str
    body: list[str]
    closed: bool = True
    stopped_at_heading: bool = False


def _lang(info: str) -> str:
    word = info.strip().strip("{}").split(" ")[0] if info.strip() else ""
    return word.lower()


def _closes(line: str, fence: str) -> bool:
    stripped = line.strip()
    return stripped.startswith(fence) and not stripped.strip(fence[0])


def _dedent_fence(body: list[str], indent: str) -> list[str]:
    """Remove the fence's own indentation (a block inside a list item) from its lines."""
    if not indent:
        return body
    return [line[len(indent):] if line.startswith(indent) else line for line in body]


def scan_fences(lines: Sequence[str], stop: Callable[[str], bool] | None = None) -> list[Fence]:
    """Every fenced block of `lines`, in order.

    An unclosed fence runs to the end. A fence with a line inside that `stop` recognises (a
    question heading) was not closed where its author meant: it ends before that line, and the
    rest is read as text again (the fence that "closed" it opens the next block).
    """
    fences: list[Fence] = []
    i, n = 0, len(lines)
    while i < n:
        line = lines[i]
        one = _ONE_LINE.match(line)
        if one and len(line.strip()) > 2 * len(one["fence"]):
            fences.append(Fence(i, i, "", [one["code"].strip()]))
            i += 1
            continue
        m = _OPEN.match(line)
        if not m:
            i += 1
            continue
        fence = m["fence"]
        j = i + 1
        while j < n and not _closes(lines[j], fence):
            j += 1
        stop_at = None
        if stop is not None:  # a question heading inside: the fence was never closed
            stop_at = next((k for k in range(i + 1, j) if stop(lines[k])), None)
        if stop_at is None and j < n:
            fences.append(Fence(i, j, _lang(m["info"]), _dedent_fence(list(lines[i + 1:j]), m["indent"])))
            i = j + 1
            continue
        end = stop_at if stop_at is not None else n
        body = _dedent_fence(list(lines[i + 1:end]), m["indent"])
        fences.append(Fence(i, end, _lang(m["info"]), body, closed=False, stopped_at_heading=stop_at is not None))
        i = end
    return fences


def strip_fences(text: str) -> str:
    """`text` without its fenced blocks (fence lines included)."""
    lines = text.splitlines()
    drop: set[int] = set()
    for f in scan_fences(lines):
        last = f.end if f.closed else f.end - 1
        drop.update(range(f.start, last + 1))
    return "\n".join(line for k, line in enumerate(lines) if k not in drop)
