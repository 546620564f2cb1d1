"""Scoring is a pure function of the rubric and the outcomes: tables of cases."""

from __future__ import annotations

import pytest

from grader.model import Outcome
from grader.rubric import Item, Question
from grader.scoring import score_question

Q = Question("7.4.4.1", "풀링", "code", 10, (Item("a", "a", 6), Item("b", "b", 4, hint="힌트")))


@pytest.mark.parametrize(("outcomes", "points", "status"), [
    ({"a": Outcome.ok(), "b": Outcome.ok()}, 10, "pass"),
    ({"a": Outcome.ok(), "b": Outcome.fail("x")}, 6, "partial"),
    ({"a": Outcome(0.5), "b": Outcome.fail("x")}, 3, "partial"),
    ({"a": Outcome.fail("x"), "b": Outcome.fail("y")}, 0, "fail"),
    ({"a": Outcome.error("timeout"), "b": Outcome.ok()}, 4, "partial"),
    ({"a": Outcome(1.7), "b": Outcome(-1)}, 6, "partial"),  # fractions are clamped to [0, 1]
])
def test_points_and_status_follow_the_outcomes(outcomes: dict, points: float, status: str) -> None:
    q = score_question(Q, outcomes)
    assert (q.points, q.status) == (points, status)


def test_a_hint_is_shown_only_for_a_failed_item() -> None:
    q = score_question(Q, {"a": Outcome.ok(), "b": Outcome.fail("x")})
    assert [i.hint for i in q.items] == ["", "힌트"]


def test_an_unanswered_question_is_missing_and_a_drawing_goes_to_review() -> None:
    assert score_question(Q, {}, answered=False).status == "missing"
    drawing = Question("7.2.6.1", "그림", "drawing", 1)
    assert score_question(drawing, {}).status == "manual"
    assert score_question(drawing, {}, answered=False).status == "missing"


def test_items_without_outcome_are_hidden_and_worth_nothing_in_a_self_check() -> None:
    q = score_question(Q, {"a": Outcome.ok()})
    assert q.items[1].status == "hidden" and q.points == 6
