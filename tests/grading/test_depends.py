"""Items that wait for others: the order they are graded in, what a wait says, a failure reported once."""

from __future__ import annotations

import pytest

from grader import depends
from grader.checks import registry
from grader.checks.base import CheckSpec
from grader.model import Outcome
from grader.rubric import Item, Question, Rubric, RubricError, load_rubric


def _spec(cid: str, **kw) -> CheckSpec:
    return CheckSpec(cid, lambda ctx: None, **kw)


def _rubric(*items: Item) -> Rubric:
    q = Question("1.1", "제목", "code", sum(i.points for i in items), items)
    return Rubric("toy", "", q.points, (q,), "toy.toml")


def test_an_item_is_graded_after_the_items_it_waits_for_even_when_listed_first() -> None:
    checks = {"b": _spec("b", after=("a",)), "a": _spec("a")}
    rubric = _rubric(Item("b", "b", 1), Item("a", "a", 1))
    assert [i.id for _, i in depends.order(rubric, checks, lambda q: False)] == ["a", "b"]


def test_waiting_for_ones_own_layers_only_counts_when_the_code_runs_on_them() -> None:
    checks = {"net": _spec("net", after_own=("layer",)), "layer": _spec("layer")}
    rubric = _rubric(Item("net", "net", 1), Item("layer", "layer", 1))
    assert [i.id for _, i in depends.order(rubric, checks, lambda q: False)] == ["net", "layer"]
    assert [i.id for _, i in depends.order(rubric, checks, lambda q: True)] == ["layer", "net"]


def test_a_cycle_is_an_error_naming_it() -> None:
    checks = {"a": _spec("a", after=("b",)), "b": _spec("b", after=("a",))}
    with pytest.raises(RubricError, match="a → b → a|b → a → b"):
        depends.validate(_rubric(Item("a", "a", 1), Item("b", "b", 1)), checks)


def test_waiting_for_a_check_the_rubric_lacks_is_an_error_with_the_fix() -> None:
    checks = {"a": _spec("a", after=("gone",))}
    with pytest.raises(RubricError, match='check = "gone"'):
        depends.validate(_rubric(Item("a", "a", 1)), checks)


def test_an_item_may_not_wait_for_a_hidden_one_unless_hidden_too() -> None:
    checks = {"a": _spec("a", after=("h",)), "h": _spec("h")}
    with pytest.raises(RubricError, match="hidden"):
        depends.validate(_rubric(Item("a", "a", 1), Item("h", "h", 0, hidden=True)), checks)
    depends.validate(_rubric(Item("a", "a", 1, hidden=True), Item("h", "h", 0, hidden=True)), checks)


def test_the_assignments_rubric_declares_its_waits_consistently() -> None:
    rubric = load_rubric(None)  # validated on load
    checks = registry()
    placed = [i.id for _, i in depends.order(rubric, checks, lambda q: True)]
    assert placed.index("conv.forward.shape") < placed.index("conv.forward.pure")
    assert placed.index("pool.forward.values") < placed.index("convnet.predict")


def test_a_wait_names_the_item_and_its_question_and_skips_items_that_wait_themselves() -> None:
    rubric = load_rubric(None)
    question = next(q for q in rubric.questions if q.id == "7.5.1.6")
    outcomes = {"pool.forward.values": Outcome.fail("wrong"), "convnet.predict": Outcome.not_checked("", ["x"])}
    out = depends.waiting(["pool.forward.values", "convnet.predict"], rubric, question, outcomes)
    assert out.status == "not_checked" and out.fraction == 0
    assert "7.4.4.1" in out.message and "pool.forward.values" in out.message and "convnet.predict" not in out.message
    assert out.waits_for == ["pool.forward.values"]


def test_items_failing_for_one_cause_report_it_once() -> None:
    q = Question("q", "t", "code", 3, (Item("a", "a", 1), Item("b", "b", 1), Item("c", "c", 1)))
    crash = Outcome.fail("KeyError at hw.py:3")
    crash.cause = "KeyError @ hw.py:3"
    again = Outcome.fail("KeyError at hw.py:3 (other input)")
    again.cause = crash.cause
    folded = depends.fold_repeats(q, {"a": crash, "b": again, "c": Outcome.fail("something else")})
    assert folded["a"] is crash and folded["b"].status == "not_checked" and folded["b"].waits_for == ["a"]
    assert folded["c"].status is None
