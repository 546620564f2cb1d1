"""What the review pages show of an answer (or an answer group): plain values for the templates.

The answer is cut into prose (escaped, the evidence marked) and fenced code (highlighted by
Pygments, which escapes it); pictures are media paths under OUT/media, served by the app.
"""

from __future__ import annotations

import re
from typing import Any

from markupsafe import Markup

from ..model import QuestionResult, StudentResult
from ..report.html import highlight_code, highlight_evidence
from ..reviews import state_of
from .groups import Group

_FENCE = re.compile(r"```[^\n]*\n(.*?)(?:```|\Z)", re.S)


def answer_parts(q: QuestionResult) -> list[Markup]:
    """The answer as safe markup: prose with the items' evidence marked, code blocks highlighted."""
    parts: list[Markup] = []
    pos = 0
    for m in _FENCE.finditer(q.answer):
        if m.start() > pos:
            parts.append(Markup('<pre class="answer">{}</pre>').format(highlight_evidence(q.answer[pos:m.start()], q.items)))
        parts.append(highlight_code(m.group(1)))
        pos = m.end()
    if pos < len(q.answer) and q.answer[pos:].strip():
        parts.append(Markup('<pre class="answer">{}</pre>').format(highlight_evidence(q.answer[pos:], q.items)))
    return parts


def media_urls(q: QuestionResult) -> list[str]:
    """`/media/…` addresses of the answer's pictures (entries are paths relative to OUT, under media/)."""
    urls = []
    for entry in getattr(q, "media", None) or []:
        path = entry.get("path", "") if isinstance(entry, dict) else str(entry)
        path = path.replace("\\", "/").lstrip("/")
        if path.startswith("media/"):
            path = path[len("media/"):]
        if path and ".." not in path.split("/"):
            urls.append("/media/" + path)
    return urls


def member_view(s: StudentResult, q: QuestionResult) -> dict[str, Any]:
    return {"student": s.id, "total": s.points, "pending": s.pending_points, "q": q, "state": state_of(q),
            "parts": answer_parts(q), "media": media_urls(q)}


def entry_view(state: Any, members: list[tuple[StudentResult, QuestionResult]], group: Group | None) -> dict[str, Any]:
    """One card of the page: the first member's answer shown, the others listed (a group decides as one)."""
    views = [member_view(s, q) for s, q in members]
    first = views[0]
    q = first["q"]
    steps = [round(k * 0.5, 2) for k in range(int(q.max_points * 2) + 1)]
    return {"id": group.id if group else f"{first['student']}-{q.id}", "question": q.id, "q": q, "first": first,
            "members": views, "group": bool(group and len(members) > 1), "steps": steps,
            "all_members": group.students if group else [first["student"]]}
