"""The results model: what a check concludes, and what a student's grade is made of.

One model, several renderers (terminal, JSON, CSV, HTML). Everything here is plain data that
serialises to the JSON of the contract (`results.json`), and back.
"""

from __future__ import annotations

import dataclasses
import sys
from dataclasses import dataclass, field
from typing import Any, Literal

# "not_checked": the item waits for another that did not pass (or repeats a failure already reported)
ItemStatus = Literal["pass", "fail", "skipped", "error", "manual", "hidden", "not_checked"]
QuestionStatus = Literal["pass", "partial", "fail", "missing", "manual"]
Kind = Literal["code", "numeric", "written", "drawing"]


@dataclass
class Counterexample:
    """What shows a failure: the (smallest) input, what was expected, what came instead, and the first
    index where they differ. Every renderer reads it by field; in JSON a field that is None is left out."""

    input: Any = None
    expected: Any = None
    actual: Any = None
    first_difference: list[int] | None = None

    def to_json(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self) if getattr(self, f.name) is not None}

    @classmethod
    def of(cls, value: Any) -> Counterexample | None:
        """From its JSON (a saved result), or as it is. A value of another shape is kept as the input."""
        if value is None or isinstance(value, Counterexample):
            return value
        if isinstance(value, dict) and set(value) <= {f.name for f in dataclasses.fields(cls)}:
            return cls(**value)
        return cls(input=value)


@dataclass
class Outcome:
    """What one check concluded about one rubric item.

    `fraction` is the share of the item's points earned (1.0 passed, 0.0 failed, between for
    partial credit). `counterexample` is JSON-ready: the minimal failing input, expected, actual.
    """

    fraction: float
    message: str = ""
    counterexample: Counterexample | None = None
    status: ItemStatus | None = None  # None: derived from fraction
    evidence: list[str] = field(default_factory=list)  # matched phrases of written answers
    review: bool = False  # a person should look at it
    against: list[str] = field(default_factory=list)  # phrases found but not counted (denied, in code, swapped)
    fault: str = ""  # the worker fault that ended the check ("timeout", "crash", …), if one did
    cause: str = ""  # the student exception behind a failure (type, message, place): reported once per question
    waits_for: list[str] = field(default_factory=list)  # items it waited for, when not checked

    @property
    def passed(self) -> bool:
        return self.fraction >= 1.0 and self.status in (None, "pass")

    @classmethod
    def ok(cls, message: str = "") -> Outcome:
        return cls(1.0, message)

    @classmethod
    def fail(cls, message: str, counterexample: Counterexample | None = None) -> Outcome:
        return cls(0.0, message, counterexample)

    @classmethod
    def skipped(cls, message: str) -> Outcome:
        return cls(0.0, message, status="skipped")

    @classmethod
    def error(cls, message: str) -> Outcome:
        return cls(0.0, message, status="error")

    @classmethod
    def not_checked(cls, message: str, waits_for: list[str] | None = None) -> Outcome:
        return cls(0.0, message, status="not_checked", waits_for=list(waits_for or []))


@dataclass
class ItemResult:
    id: str
    description: str
    points: float
    max_points: float
    passed: bool
    status: ItemStatus
    message: str = ""
    hint: str = ""
    counterexample: Counterexample | None = None
    evidence: list[str] = field(default_factory=list)
    hidden: bool = False
    waits_for: list[str] = field(default_factory=list)  # ids of the items a "not_checked" item waited for
    explanation: str = ""  # the worked answer (TA's run only: never in a self-check)
    against: list[str] = field(default_factory=list)  # counter-evidence of written answers (Outcome.against)
    reviewed_points: float | None = None  # a TA's points for this item (the machine's stay in `points`)


@dataclass
class QuestionResult:
    id: str
    title: str
    kind: Kind
    points: float
    max_points: float
    status: QuestionStatus
    answer: str = ""
    items: list[ItemResult] = field(default_factory=list)
    review: bool = False
    review_comment: str = ""
    notes: list[str] = field(default_factory=list)
    source: str = ""  # where the graded answer came from ("assignment5.py", "sheet §3.1.2")
    # Pictures of the answer (a drawing, a screenshot) in the document it came from, stored under the
    # output folder: {"file": "media/<student>/<name>", "media_type", "width", "height", "sha256", "where"}.
    pictures: list[dict[str, Any]] = field(default_factory=list)
    # Review (grader/reviews.py). `points` is what counts now: the TA's decision where there is one,
    # else the machine's proposal; `confirmed` says whether a person (or, for code and numeric
    # checks, the machine alone) has the last word on it.
    confirmed: bool = False
    review_state: str = ""  # "" (no person needed) | "review" | "proposed" | "reviewed" | "changed"
    proposed_points: float | None = None  # the machine's proposal, kept when a TA decided otherwise
    proposed_from: str = ""  # the student whose decided answer, like this one, gave the proposal
    reviewer: str = ""
    reviewed_at: str = ""
    answer_hash: str = ""  # of the answer as judged (reviews.answer_hash)
    previous_review: dict[str, Any] | None = None  # a decision on an earlier answer ("changed" since)


@dataclass
class StudentResult:
    id: str
    points: float
    max_points: float
    status: Literal["graded", "not_gradable"]
    files: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    questions: list[QuestionResult] = field(default_factory=list)
    log: str = ""
    fingerprint: str = ""  # hash of submission, rubric and grader version: reused when unchanged
    seconds: float = 0.0
    training: dict[str, Any] | None = None  # `--train`: loss curve, accuracy, first-layer filters
    error: str = ""  # the grader itself failed on this submission (never the student's fault)
    problems: list[str] = field(default_factory=list)  # what is wrong with the files (syntax errors …): shown first
    pictures: list[dict[str, Any]] = field(default_factory=list)  # pictures under no question (a scanned page), as above
    pending_points: float = 0.0  # the part of `points` proposed by the machine and not yet confirmed by a TA
    waiting: int = 0  # answers waiting for a TA (reviews.waiting)
    reason: str = ""  # why a not_gradable student could not be graded, in words (the overview shows it)

    def question(self, qid: str) -> QuestionResult | None:
        return next((q for q in self.questions if q.id == qid), None)


@dataclass
class ClassResult:
    assignment: str
    grader_version: str
    generated: str
    max_points: float
    students: list[StudentResult] = field(default_factory=list)


def to_dict(obj: Any) -> Any:
    """Dataclass → JSON-ready dict (recursively); a counterexample as its JSON (fields that are None left out)."""
    if isinstance(obj, Counterexample):
        return obj.to_json()
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: to_dict(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, (list, tuple)):
        return [to_dict(v) for v in obj]
    if isinstance(obj, dict):
        return {k: to_dict(v) for k, v in obj.items()}
    return obj


def json_default(obj: Any) -> Any:
    """For `json.dumps(..., default=json_default)`: a dataclass as the dict of its fields, one level deep.

    The encoder recurses into the fields itself, so this gives the text of `to_dict(obj)` without
    first copying every nested result (`asdict` copies; on a class it took as long as encoding).
    """
    if isinstance(obj, Counterexample):
        return obj.to_json()
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: getattr(obj, f.name) for f in dataclasses.fields(obj)}
    raise TypeError(f"Object of type {type(obj).__name__} is not JSON serializable")


def student_from_dict(d: dict[str, Any]) -> StudentResult:
    """A student's result from its dict; the rubric's words (ids, titles, descriptions, hints) shared.

    Every student repeats the same rubric text; a class run holds every student's result, and one
    copy of those strings instead of one per student takes a third off each result's memory.
    """
    questions = []
    for q in d.get("questions", []):
        items = [ItemResult(**{**i, **_shared(i, _ITEM_TEXT), "counterexample": Counterexample.of(i.get("counterexample"))})
                 for i in q.get("items", [])]
        questions.append(QuestionResult(**{**q, **_shared(q, _QUESTION_TEXT), "items": items}))
    return StudentResult(**{**d, "questions": questions})


_ITEM_TEXT = ("id", "description", "hint", "status")
_QUESTION_TEXT = ("id", "title", "kind", "status")


def _shared(d: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    return {k: sys.intern(d[k]) for k in keys if type(d.get(k)) is str}


def class_from_dict(d: dict[str, Any]) -> ClassResult:
    students = [student_from_dict(s) for s in d.get("students", [])]
    return ClassResult(**{**d, "students": students})
