"""Scoring: a pure function from the rubric and the checks' outcomes to points.

No I/O, no worker: the same outcomes always give the same points.
"""

from __future__ import annotations

from .i18n import current_lang, t
from .model import Counterexample, ItemResult, Outcome, QuestionResult
from .rubric import Question

# Kinds whose points a person confirms: the machine only proposes them (grader/reviews.py).
REVIEWED_KINDS = ("written", "drawing")


def _text(korean: str, english: str) -> str:
    """The rubric's own (Korean) text, or its English version in an English run when it has one."""
    return english if english and current_lang() == "en" else korean


def item_points(points: float, fraction: float) -> float:
    return round(points * min(max(fraction, 0.0), 1.0), 2)


def score_question(question: Question, outcomes: dict[str, Outcome], *, answer: str = "",
                   answered: bool = True, source: str = "", notes: list[str] | None = None,
                   explain: bool = False) -> QuestionResult:
    """Points of one question. Items without an outcome (hidden in a self-check) count 0 and say so."""
    items = []
    review = question.kind == "drawing"
    for item in question.items:
        out = outcomes.get(item.id)
        description = _text(item.description, item.description_en)
        if out is None:
            items.append(ItemResult(item.id, description, 0.0, item.points, False, "hidden",
                                    t("note.hidden_item"), "", hidden=True))
            continue
        status = out.status or ("pass" if out.fraction >= 1.0 else "fail")
        review = review or out.review
        pts = item_points(item.points, out.fraction) if status not in ("skipped", "error", "not_checked") else 0.0
        # A hint answers a wrong result of the item itself; a crash shows its exception and place instead,
        # and an item that waits, or a limit of the machine, has nothing to hint at.
        hint = _text(item.hint, item.hint_en) if status == "fail" and out.fraction < 1.0 and not out.cause else ""
        items.append(ItemResult(
            item.id, description, pts, item.points, status == "pass" and out.fraction >= 1.0, status,
            out.message, hint, _counterexample(out.counterexample), list(out.evidence), item.hidden,
            list(out.waits_for), _text(item.explanation, item.explanation_en) if explain else "",
            list(out.against)))
    points = round(sum(i.points for i in items), 2)
    if not answered:
        status = "missing"
    elif question.kind == "drawing":
        status = "manual"  # a picture is judged by a person (images do not survive a sheet's export to text)
    elif not answered:
        status = "missing"
    elif review:
        status = "manual"
    elif items and all(i.passed or i.max_points == 0 for i in items):
        status = "pass"
    elif points > 0:
        status = "partial"
    else:
        status = "fail"
    confirmed = status == "missing" or not (review or question.kind in REVIEWED_KINDS)
    return QuestionResult(question.id, _text(question.title, question.title_en), question.kind, points, question.points,
                          status, answer, items, review=review, notes=list(notes or []), source=source,
                          confirmed=confirmed)


def total(questions: list[QuestionResult]) -> float:
    return round(sum(q.points for q in questions), 2)


def _counterexample(ce: Counterexample | None) -> Counterexample | None:
    """Its fields made JSON (arrays as nested lists, capped)."""
    if ce is None:
        return None
    return Counterexample(*(_jsonable(getattr(ce, f)) for f in ("input", "expected", "actual", "first_difference")))


def _jsonable(value: object, depth: int = 0) -> object:
    """Counterexamples hold numpy arrays and tuples: make them JSON (arrays as nested lists, capped)."""
    import numpy as np

    if value is None or depth > 8:
        return None if value is None else str(value)
    if isinstance(value, np.ndarray):
        if value.size > 400:
            return {"shape": list(value.shape), "note": "too large to show", "head": value.ravel()[:20].tolist()}
        return np.round(value, 6).tolist() if value.dtype.kind == "f" else value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, dict):
        return {str(k): _jsonable(v, depth + 1) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v, depth + 1) for v in value]
    if isinstance(value, float) and value != value:
        return "nan"
    if isinstance(value, (int, float, str, bool)):
        return value
    return str(value)
