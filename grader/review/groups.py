"""Answer groups: identical or near-identical answers to one question, judged by one decision.

Two answers are alike when their normalised texts — the copied question removed, then case,
spacing and punctuation dropped (Unicode NFKC first, so full-width and half-width forms agree) —
are equal, or differ by at most a tenth (difflib's ratio ≥ 0.9 on texts of similar length). A
group is a connected set of alike answers; a TA may split an answer off (the gradebook keeps it
apart while its answer stays the same). Empty answers (a drawing whose picture is only in the
original) never group: pictures are not compared.

The same likeness carries decisions across runs: an answer still waiting that is alike to an
answer a TA decided for that question (another student's, or this student's earlier version)
takes that decision as its proposal.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache

from ..model import ClassResult, QuestionResult, StudentResult
from ..reviews import propose_like, waiting
from ..sheets.written import strip_question

ALIKE = 0.9
_DROP = re.compile(r"[\W_]+", re.UNICODE)


@lru_cache(maxsize=65536)  # every re-scoring normalises the same answers again
def normalise(answer: str, title: str = "") -> str:
    """The answer's words only: question text removed, NFKC, lower case, no spacing or punctuation."""
    text = unicodedata.normalize("NFKC", answer)
    if title:
        text = strip_question(text, unicodedata.normalize("NFKC", title))
    return _DROP.sub("", text.lower())


@lru_cache(maxsize=65536)
def alike(a: str, b: str) -> bool:
    if not a or not b:
        return False
    if a == b:
        return True
    la, lb = len(a), len(b)
    if min(la, lb) < 12 or min(la, lb) / max(la, lb) < ALIKE:
        return False  # short answers group only when equal; lengths too far apart cannot reach the ratio
    m = SequenceMatcher(None, a, b, autojunk=False)
    return m.real_quick_ratio() >= ALIKE and m.quick_ratio() >= ALIKE and m.ratio() >= ALIKE


@dataclass
class Group:
    id: str  # stable: from the first member's normalised text
    question: str
    members: list[tuple[StudentResult, QuestionResult]] = field(default_factory=list)
    norm: str = ""

    @property
    def students(self) -> list[str]:
        return [s.id for s, _ in self.members]


def groups_of(result: ClassResult, qid: str, title: str = "",
              splits: set[tuple[str, str, str]] | None = None) -> list[Group]:
    """The answers to `qid` (answered ones) in groups, in the class's order of their first member."""
    splits = splits or set()
    groups: list[Group] = []
    for s in result.students:
        q = s.question(qid)
        if q is None or q.status == "missing":
            continue
        norm = normalise(q.answer, title)
        split = (s.id, qid, q.answer_hash) in splits
        home = None
        if norm and not split:
            home = next((g for g in groups if g.norm and not _split_group(g, splits) and alike(g.norm, norm)), None)
        if home is None:
            gid = hashlib.sha1(f"{qid}\0{norm if norm and not split else s.id}".encode()).hexdigest()[:10]
            home = Group(gid, qid, [], norm)
            groups.append(home)
        home.members.append((s, q))
    return groups


def _split_group(g: Group, splits: set[tuple[str, str, str]]) -> bool:
    s, q = g.members[0]
    return (s.id, q.id, q.answer_hash) in splits


def group_of(result: ClassResult, qid: str, sid: str, title: str = "",
             splits: set[tuple[str, str, str]] | None = None) -> Group | None:
    return next((g for g in groups_of(result, qid, title, splits) if sid in g.students), None)


def propose_from_decided(result: ClassResult, decided: list, titles: dict[str, str]) -> int:
    """Answers still waiting take the decision of an alike decided answer as their proposal; returns how many."""
    by_question: dict[str, list] = {}
    for d in decided:
        by_question.setdefault(d.question, []).append(d)
    n = 0
    for s in result.students:
        for q in s.questions:
            if not waiting(q) or q.id not in by_question:
                continue
            norm = normalise(q.answer, titles.get(q.id, ""))
            match = next((d for d in reversed(by_question[q.id]) if alike(d.answer_norm, norm)), None)
            if match is not None:
                propose_like(q, match.points, match.student)
                n += 1
    return n
