"""Numeric questions: exact values, partial credit, and messages that never reveal an answer."""

from __future__ import annotations

import pytest

from grader.sheets import numeric

OUTPUTS = [19, 24, 26, 17]


def test_seed_7_2_2_1_states_one_output_of_four(seed):
    outcome = numeric.values(seed.answers["7.2.2.1"].text, OUTPUTS)
    assert outcome.fraction == pytest.approx(0.25)
    assert "4개 중 1개" in outcome.message and "(19)" in outcome.message
    for hidden in ("24", "26", "17"):
        assert hidden not in outcome.message


def test_seed_7_2_2_1_working_passes(seed):
    outcome = numeric.working(seed.answers["7.2.2.1"].text, OUTPUTS)
    assert outcome.passed
    assert "3*1+3*2+0*3+5*2" in outcome.message


def test_seed_7_2_4_sizes_and_relation_pass(seed):
    text = seed.answers["7.2.4"].text
    assert numeric.named(text, "OH", 6, 0).passed
    assert numeric.named(text, "OW", 7, 1).passed
    assert numeric.relation(text).fraction == 1.0


def test_seed_7_4_1_1_is_full_marks(seed):
    outcome = numeric.shape_meaning(seed.answers["7.4.1.1"].text, 105, 2, 50, 50)
    assert outcome.fraction == 1.0


@pytest.mark.parametrize("text", [
    "19 24\n26 17", "[[19, 24], [26, 17]]", "출력: 19, 24, 26, 17", "| 19 | 24 |\n| 26 | 17 |",
    "１９　２４\n２６　１７", "a = 19, b = 24, c = 26, d = 17", "$19$ $24$ $26$ $17$",
])
def test_outputs_are_found_however_they_are_written(text):
    assert numeric.values(text, OUTPUTS).fraction == 1.0


def test_operands_of_a_working_do_not_count_as_results():
    outcome = numeric.values("3*1 + 3*2 + 0*3 + 5*2 + 17*0 + 24*0", OUTPUTS)
    assert outcome.fraction == 0.0


def test_wrong_results_are_named_but_the_right_ones_are_not():
    outcome = numeric.values("첫째 = 19\n둘째 = 20", OUTPUTS)
    assert outcome.fraction == pytest.approx(0.25)
    assert "20" in outcome.message
    assert "24" not in outcome.message and "26" not in outcome.message


def test_a_duplicated_expected_value_must_appear_twice():
    assert numeric.values("= 5", [5, 5]).fraction == pytest.approx(0.5)
    assert numeric.values("= 5, = 5", [5, 5]).fraction == 1.0


def test_numbers_with_thousands_separators():
    assert numeric.values("합 = 4,320", [4320]).passed


@pytest.mark.parametrize("text", [
    "3*1+3*2+0*3+5*2 = 19", "3×1 + 3×2 + 0×3 + 5×2", "1. $3 \\times 1 + 3 \\times 2 + 0 \\times 3 + 5 \\times 2 = 19$",
    "(3*1) + (3*2) + (0*3) + (5*2)", "출력 19: 3x1+3x2+0x3+5x2",
])
def test_working_in_any_notation_passes(text):
    assert numeric.working(text, OUTPUTS).passed


def test_working_that_evaluates_to_no_output_fails_and_shows_its_own_value():
    outcome = numeric.working("3*1 + 3*2 = 9", OUTPUTS)
    assert outcome.fraction == 0.0
    assert "9" in outcome.message
    assert not any(str(v) in outcome.message for v in OUTPUTS)


def test_working_needs_both_operators():
    assert not numeric.working("19 = 19", OUTPUTS).passed
    assert "찾지 못했습니다" in numeric.working("출력은 19이다", OUTPUTS).message


@pytest.mark.parametrize("text, oh, ow", [
    ("OH = 6\nOW = 7", 1, 1),
    ("OH=(5+2*2-4)/1+1 = 6, OW=(6+2*2-4)/1+1 = 7", 1, 1),
    ("(OH, OW) = (6, 7)", 1, 1),
    ("OH, OW = 6, 7", 1, 1),
    ("출력 크기는 (6, 7)이다.", 1, 1),
    ("6, 7", 1, 1),
    ("OH ＝ ６, OW ＝ ７", 1, 1),
    ("OH는 6칸, OW는 7칸", 1, 1),
    ("OH: 6픽셀 OW: 7개", 1, 1),
    ("출력 6×7", 1, 1),
    ("OH = (5 + 2*2 - 4)/1 + 1", 1, 0),
    ("OH = 5, OW = 7", 0, 1),
    ("입력: (5, 6), 필터: (4,4)", 0, 0),
    ("OH = (H + 2P - FH)/S + 1 = 6", 1, 0),
])
def test_named_sizes_in_every_notation(text, oh, ow):
    assert numeric.named(text, "OH", 6, 0).fraction == oh
    assert numeric.named(text, "OW", 7, 1).fraction == ow


def test_the_last_equals_of_the_line_is_the_result():
    assert numeric.named("OH = 5 + 2*2 - 4 + 1 = 6", "OH", 6).passed
    assert not numeric.named("OH = 6 - 1 = 5", "OH", 6).passed


def test_named_messages_reveal_nothing():
    wrong = numeric.named("OH = 5", "OH", 6)
    assert "5" in wrong.message and "6" not in wrong.message
    missing = numeric.named("모르겠다", "OH", 6)
    assert "6" not in missing.message and "OH" in missing.message


@pytest.mark.parametrize("text, fraction", [
    ("패딩을 키우면 출력 크기는 커진다. 스트라이드를 키우면 출력 크기는 작아진다.", 1.0),
    ("패딩을 키우면 출력 크기는 커지고 스트라이드를 키우면 작아진다", 1.0),
    ("패딩이 클수록, 스트라이드가 작을수록 출력 크기는 커진다.", 1.0),
    ("패딩과 출력 크기는 비례하고 스트라이드와 출력 크기는 반비례한다.", 1.0),
    ("The larger the padding, the larger the output, and the larger the stride, the smaller the output.", 1.0),
    ("Increasing padding increases the output size; increasing stride decreases it.", 1.0),
    ("패딩을 키우면 출력이 커진다.", 0.5),
    ("스트라이드를 늘리면 출력이 줄어든다.", 0.5),
    ("패딩을 키우면 출력이 작아진다. 스트라이드를 키우면 출력이 커진다.", 0.0),
    ("OH = (H + 2P - FH) / S + 1", 0.0),
])
def test_relation_of_padding_and_stride_to_output_size(text, fraction):
    assert numeric.relation(text).fraction == fraction


def test_relation_says_which_half_is_missing():
    outcome = numeric.relation("패딩을 키우면 출력이 커진다.")
    assert "패딩과 출력 크기의 관계를 찾았습니다" in outcome.message
    assert "스트라이드가 커질 때" in outcome.message


@pytest.mark.parametrize("text, fraction", [
    ("높이 50, 너비 50, 채널 2개인 데이터가 105개라는 뜻이다.", 1.0),
    ("(N, C, H, W) = (105, 2, 50, 50)", 1.0),
    ("(데이터 수, 채널 수, 높이, 너비) = (105, 2, 50, 50)", 1.0),
    ("105개의 데이터가 채널 2개, 50×50 크기", 1.0),
    ("105 samples with 2 channels of height 50 and width 50", 1.0),
    ("이미지 105장, 채널은 2개이며 가로 세로는 각각 50이다", 1.0),
    ("데이터 １０５개, 채널 ２개", 0.5),
    ("데이터의 형상이 (105, 2, 50, 50)이라면", 0.0),
    ("채널 50, 높이 2", 0.0),
])
def test_shape_meaning_a_quarter_per_role(text, fraction):
    assert numeric.shape_meaning(text, 105, 2, 50, 50).fraction == fraction


def test_shape_meaning_names_missing_roles_without_their_values():
    outcome = numeric.shape_meaning("데이터 105개", 105, 2, 50, 50)
    assert outcome.fraction == 0.25
    assert "채널 수, 높이, 너비" in outcome.message
    assert "50" not in outcome.message and " 2" not in outcome.message


def test_values_needs_an_expected_list():
    with pytest.raises(ValueError, match="expected"):
        numeric.values("19", [])
