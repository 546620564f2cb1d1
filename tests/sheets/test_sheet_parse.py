"""Splitting a sheet into answers by question number (the seed, Markdown, headings)."""

from __future__ import annotations

import pytest

from grader.sheets import parse_sheet


def test_every_question_of_the_seed_is_found(seed, question_ids):
    assert sorted(seed.answers) == sorted(question_ids)
    assert len(seed.answers) == 33
    assert seed.notes == []


def test_seed_section_title_and_question_with_the_same_number_are_one_answer(seed):
    answer = seed.answers["7.2.4"]
    assert answer.text.startswith("7.2.4 스트라이드")
    assert "7.2.4 패딩, 스트라이드와 출력 크기의 관계" in answer.text
    assert answer.body.startswith("1. 패딩을 키우면 출력 크기는 커진다.")
    assert answer.line == 57


def test_seed_7_2_5_is_the_text_under_its_section_heading(seed):
    answer = seed.answers["7.2.5"]
    assert answer.text.startswith("7.2.5 3차원 데이터의 합성곱 연산")
    assert "입력 데이터의 채널 수와 필터의 채널 수가 같아야 한다" in answer.text
    assert answer.body.startswith("1. 2차원과 비교하면"), "the question's own paragraph is skipped"


def test_section_headings_end_the_answer_before_them(seed):
    assert "7.2.3 패딩" not in seed.answers["7.2.2.1"].text
    assert "7.5 CNN 구현하기" not in seed.answers["7.4.4.1"].text
    assert "Chapter 8" not in seed.answers["7.7.1"].text
    assert "class SimpleConvNet" not in seed.answers["7.4.4.1"].text


def test_seed_code_blocks_are_found_with_their_lines_and_templates(seed):
    blocks = seed.answers["7.4.3.2"].code_blocks
    assert [b.line for b in blocks] == [139, 145, 150, 154, 163, 167]
    assert [b.template for b in blocks] == [True, True, True, False, False, False]
    assert [b.template for b in seed.answers["7.5.1.6"].code_blocks] == [True, True, False]


def test_drawing_question_without_text_has_an_empty_body(seed):
    assert seed.answers["7.2.6.1"].body.strip() == ""


def test_prose_leaves_the_code_out(seed):
    prose = seed.answers["7.4.3.1"].prose
    assert "input_data - (데이터 수" in prose
    assert "```" not in prose


@pytest.mark.parametrize("heading", [
    "7.2.4 패딩", "## 7.2.4", "### 7.2.4 패딩과 스트라이드", "**7.2.4**", "**7.2.4 패딩**", "Q7.2.4",
    "Q.7.2.4 답", "7.2.4)", "7.2.4.", "7.2.4번.", "문제 7.2.4", "[7.2.4]", "- 7.2.4", "   7.2.4:",
])
def test_question_numbers_are_recognised_in_every_usual_form(heading, question_ids):
    sheet = parse_sheet(f"{heading}\n패딩을 키우면 출력이 커진다.\n", question_ids)
    assert list(sheet.answers) == ["7.2.4"]
    assert "출력이 커진다" in sheet.answers["7.2.4"].text


@pytest.mark.parametrize("line", ["7.2.4에서 본 것처럼", "7.2.4.9 없는 문항", "17.2.4 다른 과목", "0.5 점"])
def test_numbers_that_are_not_question_headings_are_ignored(line, question_ids):
    sheet = parse_sheet(f"7.2.3.1 패딩의 목적\n출력 크기 유지\n{line}\n", question_ids)
    assert list(sheet.answers) == ["7.2.3.1"]


def test_markdown_sheet_is_split_by_its_headings(markdown):
    assert markdown.format == "markdown"
    assert set(markdown.answers) == {"7.1.1", "7.2.2.1", "7.2.4", "7.4.3.2", "7.5.1.2", "7.5.1.3",
                                     "7.5.1.4", "7.5.1.5", "7.5.1.6", "8.3.2"}
    assert markdown.answers["8.3.2"].text.startswith("Q8.3.2) GPU는")


def test_range_heading_gives_its_text_to_every_question_of_the_range(markdown):
    range_ids = ("7.5.1.2", "7.5.1.3", "7.5.1.4", "7.5.1.5", "7.5.1.6")
    texts = {markdown.answers[q].text for q in range_ids}
    assert len(texts) == 1
    for q in range_ids:
        assert markdown.answers[q].group == range_ids
        assert len(markdown.answers[q].code_blocks) == 1


@pytest.mark.parametrize("heading", ["7.5.1.2-7.5.1.6", "7.5.1.2 ~ 6", "7.5.1.2–7.5.1.6", "## 7.5.1.2 to 7.5.1.6"])
def test_range_headings_in_other_spellings(heading, question_ids):
    sheet = parse_sheet(f"{heading}\n```python\nx = 1\n```\n", question_ids)
    assert sorted(sheet.answers) == ["7.5.1.2", "7.5.1.3", "7.5.1.4", "7.5.1.5", "7.5.1.6"]


def test_tilde_fence_holds_the_code_of_the_markdown_sheet(markdown):
    (block,) = markdown.answers["7.4.3.2"].code_blocks
    assert block.lang == "python"
    assert block.source.startswith("class Convolution:")
    assert not block.template


def test_ids_only_from_the_given_list(question_ids):
    sheet = parse_sheet("7.2.4 패딩\n답\n9.9.9 다른 문항\n답2\n", ["7.2.4"])
    assert list(sheet.answers) == ["7.2.4"]
    assert "답2" in sheet.answers["7.2.4"].text  # 9.9.9 is no section of this assignment's chapters
