"""The rubric is data: every item has a check, every check an item, and mistakes are clear errors."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from grader.checks import registry
from grader.rubric import DEFAULT_RUBRIC, RubricError, default_ids, load_rubric, parse_rubric


def _data() -> dict:
    return tomllib.loads(DEFAULT_RUBRIC.read_text("utf-8"))


def test_every_rubric_item_has_a_check_and_every_check_an_item() -> None:
    rubric = load_rubric()
    used = {item.check for _, item in rubric.items()}
    assert used <= set(registry())
    assert set(registry()) <= used, f"checks no rubric item uses: {set(registry()) - used}"


def test_the_rubric_names_every_question_of_the_assignment_with_its_korean_title() -> None:
    rubric = load_rubric()
    assert rubric.ids == default_ids() and rubric.ids[:3] == ("7.1.1", "7.2.1.1", "7.2.2.1")
    assert rubric.ids[-1] == "8.4.3" and len(rubric.ids) == 33
    assert rubric.max_points == 100 == sum(q.points for q in rubric.questions)
    assert all(any("\uac00" <= ch <= "\ud7a3" for ch in q.title) for q in rubric.questions)


@pytest.mark.parametrize(("edit", "expected"), [
    (lambda d: d["questions"][14]["items"][0].update(check="conv.forward.typo"), "conv.forward.typo"),
    (lambda d: d["questions"][14].update(points=99), "99"),
    (lambda d: d["questions"].pop(3), "7.2.3.1"),
    (lambda d: d["questions"][0]["items"][0].update(ko=["(unclosed"]), "(unclosed"),
    (lambda d: d["questions"][0].update(kind="essay"), "essay"),
    (lambda d: d["questions"][14].pop("grades"), "grades"),
    (lambda d: d["questions"][14].update(grades="not a name"), "not a name"),
    (lambda d: d["questions"][21].update(methods="gradient"), "gradient"),
    (lambda d: d["questions"][21].update(network="yes"), "yes"),
    (lambda d: d["questions"][0].update(grades="Relu"), "grades"),
    (lambda d: d["questions"][2]["items"][0].update(points="three"), "three"),
])
def test_a_wrong_rubric_is_an_error_naming_the_value(edit, expected: str) -> None:  # noqa: ANN001
    data = _data()
    edit(data)
    with pytest.raises(RubricError) as err:
        parse_rubric(data, "rubric.toml", set(registry()), required=default_ids())
    assert expected in str(err.value) and "rubric.toml" in str(err.value)


def test_code_questions_say_in_the_rubric_what_they_grade() -> None:
    rubric = load_rubric()
    assert rubric.code_questions()["7.4.3.2"] == ("Convolution", ())
    assert rubric.code_questions()["7.5.1.6"] == ("SimpleConvNet", ("gradient",))
    assert rubric.network_questions() == ("7.5.1.2", "7.5.1.3", "7.5.1.4", "7.5.1.5", "7.5.1.6")
    assert rubric.layer_questions() == {"7.4.3.2": "Convolution", "7.4.4.1": "Pooling"}


def test_a_missing_rubric_file_names_the_path(tmp_path: Path) -> None:
    with pytest.raises(RubricError, match="rubric not found"):
        load_rubric(tmp_path / "none.toml")
