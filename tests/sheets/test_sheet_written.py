"""Written questions: concept matching with evidence, and the question's own words removed."""

from __future__ import annotations

import re

import pytest

from grader.sheets import compile_patterns, match_concepts, strip_question


def test_concept_found_with_its_evidence(seed, rubric):
    question = next(q for q in rubric["questions"] if q["id"] == "7.3.1.1")
    item = next(i for i in question["items"] if i["id"] == "7.3.1.1.channels")
    outcome = match_concepts(seed.answers["7.3.1.1"].text, item["ko"], item["en"])
    assert outcome.passed
    assert any("채널 수가 변하지 않" in e for e in outcome.evidence)
    assert "채널 수가 변하지 않" in outcome.message


def test_concept_absent_is_zero_with_a_korean_message(seed):
    outcome = match_concepts(seed.answers["8.2.4"].text, ["기울기\\s*소실", "감쇠"], ["vanishing gradient"])
    assert outcome.fraction == 0.0
    assert outcome.evidence == []
    assert "찾지 못했습니다" in outcome.message


def test_matching_ignores_case_line_breaks_and_emphasis():
    assert match_concepts("**Max pooling is\nROBUST** to small shifts", [], ["robust to small"]).passed
    assert match_concepts("채널\n수가 **같아야** 한다", ["채널\\s*수.{0,20}같"], []).passed


def test_seed_written_answers_earn_nearly_every_concept(seed, rubric):
    earned = total = 0.0
    for question in rubric["questions"]:
        if question["kind"] not in ("written", "drawing"):
            continue
        text = strip_question(seed.answers[question["id"]].prose, question["title"])
        for item in question.get("items", []):
            total += item["points"]
            earned += item["points"] * match_concepts(text, item["ko"], item["en"]).fraction
    assert earned == total - 1  # the seed never mentions the vanishing gradient of 8.2.4


def test_copying_the_question_earns_nothing(rubric):
    question = next(q for q in rubric["questions"] if q["id"] == "8.3.2")
    answer = "8.3.2 " + question["title"] + "\n\nGPU가 좋다."
    stripped = strip_question(answer, question["title"])
    assert "CPU보다" not in stripped and "GPU가 좋다." in stripped


def test_question_text_is_removed_even_when_the_sheet_breaks_it_over_lines(seed, rubric):
    question = next(q for q in rubric["questions"] if q["id"] == "7.4.4.1")
    stripped = strip_question(seed.answers["7.4.4.1"].text, question["title"])
    assert "파이썬으로 구현하시오" not in stripped
    assert "행별 최댓값을 구한다" not in stripped
    assert "class Pooling" in stripped


def test_question_with_brackets_and_numbers_is_removed(seed, rubric):
    question = next(q for q in rubric["questions"] if q["id"] == "7.2.4")
    stripped = strip_question(seed.answers["7.2.4"].text, question["title"])
    assert "입력: (5, 6)" not in stripped
    assert "패딩을 키우면 출력 크기는 커진다" in stripped


def test_strip_question_leaves_an_unrelated_answer_alone():
    assert strip_question("풀링은 최댓값을 고른다.", "배치 처리의 장점을 간단히 설명하시오.") == "풀링은 최댓값을 고른다."
    assert strip_question("답", "") == "답"


def test_invalid_pattern_is_an_error_naming_it():
    with pytest.raises(ValueError, match=r"'채널\(수'"):
        compile_patterns(["채널", "채널(수"])
    with pytest.raises(ValueError, match="one string"):
        compile_patterns("채널")
    with pytest.raises(ValueError, match="empty"):
        compile_patterns([""])


def test_compiled_patterns_are_case_insensitive_and_reusable():
    patterns = compile_patterns(["robust"])
    assert patterns[0].flags & re.IGNORECASE
    assert match_concepts("ROBUST", patterns).passed


def test_every_rubric_pattern_compiles(rubric):
    for question in rubric["questions"]:
        for item in question.get("items", []):
            compile_patterns(item.get("ko", []) + item.get("en", []))
