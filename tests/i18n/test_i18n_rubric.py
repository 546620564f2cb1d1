"""The rubric's English fields (title_en, description_en, hint_en) and the language of a run."""

from __future__ import annotations

import tomllib

import pytest

from grader.checks import registry
from grader.discover.submission import Submission
from grader.i18n import use_lang
from grader.audience import public_rubric
from grader.model import Outcome
from grader.rubric import DEFAULT_RUBRIC, Item, Question, RubricError, load_rubric, parse_rubric
from grader.runner import Options, fingerprint
from grader.scoring import score_question
from i18n_support import HANGUL, ROOT

Q = Question("7.4.4.1", "풀링 계층을 구현하시오.", "code", 10,
             (Item("a", "a", 6, "최댓값", "np.max를 쓰세요.", description_en="the maximum", hint_en="Use np.max."),
              Item("b", "b", 4, "형상", "형상을 확인하세요.")),
             title_en="Implement the pooling layer.")


def _data() -> dict:
    return tomllib.loads(DEFAULT_RUBRIC.read_text("utf-8"))


def test_every_question_has_an_english_title_and_keeps_its_korean_one() -> None:
    rubric = load_rubric()
    assert len(rubric.questions) == 33
    for q in rubric.questions:
        assert HANGUL.search(q.title), q.id
        assert q.title_en and not HANGUL.search(q.title_en), q.id


def test_every_item_with_korean_text_has_its_english_version() -> None:
    for q, item in load_rubric().items():
        for field in ("description", "hint"):
            korean, english = getattr(item, field), getattr(item, f"{field}_en")
            if HANGUL.search(korean):
                assert english and not HANGUL.search(english), (q.id, item.id, field)
            assert field + "_en" not in item.params  # a text field, not a check's parameter


def test_an_english_field_that_is_not_text_is_an_error_naming_it() -> None:
    data = _data()
    data["questions"][0]["title_en"] = 3
    with pytest.raises(RubricError, match=r"question 7\.1\.1: title_en = 3"):
        parse_rubric(data, "r.toml", set(registry()))
    data = _data()
    data["questions"][14]["items"][0]["hint_en"] = ["a"]
    with pytest.raises(RubricError, match=r"item conv\.forward\.shape: hint_en = \['a'\]"):
        parse_rubric(data, "r.toml", set(registry()))
    with use_lang("en"), pytest.raises(RubricError, match="is not a string"):
        parse_rubric(data, "r.toml", set(registry()))


def test_the_scorer_shows_the_korean_text_in_korean_and_the_english_one_in_english() -> None:
    outcomes = {"a": Outcome.fail("x"), "b": Outcome.fail("y")}
    ko = score_question(Q, outcomes)
    assert ko.title == "풀링 계층을 구현하시오."
    assert [(i.description, i.hint) for i in ko.items] == [("최댓값", "np.max를 쓰세요."), ("형상", "형상을 확인하세요.")]
    with use_lang("en"):
        en = score_question(Q, outcomes)
        hidden = score_question(Q, {})
    assert en.title == "Implement the pooling layer."
    # English where the rubric has it, the instructor's Korean otherwise
    assert [(i.description, i.hint) for i in en.items] == [("the maximum", "Use np.max."), ("형상", "형상을 확인하세요.")]
    assert hidden.items[0].message == "A check run at grading."


def test_the_kit_keeps_the_english_fields_and_still_takes_out_hidden_points() -> None:
    text = DEFAULT_RUBRIC.read_text("utf-8")
    # give the hidden item of 7.5.1.4 a point (taken from another item) so the kit must subtract it
    last, hidden = text.index('id = "convnet.layers.last"'), text.index('id = "convnet.layers.pool_shape"')
    text = (text[:last] + text[last:hidden].replace("points = 1", "points = 0", 1)
            + text[hidden:].replace("points = 0", "points = 1", 1))
    full = {q["id"]: q for q in tomllib.loads(text)["questions"]}
    changed = parse_rubric(tomllib.loads(text), "changed.toml", set(registry()))
    public = tomllib.loads(public_rubric(changed, registry()))
    assert public["assignment"]["max_points"] == 99
    by_id = {q["id"]: q for q in public["questions"]}
    assert by_id["7.5.1.4"]["points"] == 5 and full["7.5.1.4"]["points"] == 6
    assert all(q["title_en"] == full[q["id"]]["title_en"] for q in public["questions"])


def test_the_language_is_part_of_a_result_fingerprint() -> None:
    sub = Submission("kim", ROOT / "submissions" / "jung_haeun.py", ["jung_haeun.py"])
    rubric = load_rubric()
    assert Options().lang == "ko"
    assert fingerprint(sub, rubric, Options()) != fingerprint(sub, rubric, Options(lang="en"))
    assert fingerprint(sub, rubric, Options(lang="en")) == fingerprint(sub, rubric, Options(lang="en"))
