"""`--lang` end to end: `grade check … --lang en` speaks English, the default stays the Korean it was."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from grader.cli import _options, main
from grader.i18n import current_lang, t
from i18n_support import HANGUL, ROOT

JUNG = ROOT / "submissions" / "jung_haeun.py"
QUOTED = re.compile(r"‘[^’]*’")  # a phrase quoted from the student's answer


def _sandbox_note() -> str:
    """The sandbox's one-line note comes from the launcher (grader/sandbox/bubblewrap.py), not from a check."""
    return _options("check").sandbox_note


@pytest.fixture(scope="module")
def english() -> str:
    result = CliRunner().invoke(main, ["check", str(JUNG), "--lang", "en"])
    assert result.exit_code == 1, result.output
    return result.output


@pytest.fixture(scope="module")
def korean() -> str:
    result = CliRunner().invoke(main, ["check", str(JUNG)])
    assert result.exit_code == 1, result.output
    return result.output


def test_check_in_english_says_what_went_wrong_in_english(english: str) -> None:
    assert "Assignment #5 self-check — jung_haeun" in english
    assert "The output is the mean of each window, not its maximum (average pooling). Max pooling uses np.max." in english
    assert "✗ Each output is the maximum of its window, channel by channel — stride, non-square windows" in english
    assert "△ 7.4.4.1 The following is the flow of the forward pass" in english
    assert "Smallest failing input: " in english and "Expected: " in english and "Hint: Each window gives one maximum" in english
    assert "※ 1 more check runs at grading (not disclosed in the self-check)." in english
    assert "22 code items graded by the self-check: 34 / 43 pts — Some checks did not pass." in english


def test_check_in_english_has_no_korean_but_the_students_own(english: str) -> None:
    text = QUOTED.sub("", english.replace(_sandbox_note(), ""))
    assert not [line for line in text.splitlines() if HANGUL.search(line)]


def test_check_in_korean_by_default_is_unchanged(korean: str) -> None:
    lines = korean.splitlines()
    assert lines[0] == "과제 #5 자가 점검 — jung_haeun"
    assert "      출력이 각 창의 최댓값이 아니라 평균입니다 (평균 풀링). 최대 풀링은 np.max를 씁니다." in lines
    assert "    ✗ 출력이 채널별로 각 창(window)의 최댓값이다 — 스트라이드, 정사각형이 아닌 창" in lines
    assert "    참고: 자가 점검에서는 참조 구현이 없어 여러분의 계층으로 검사합니다." in lines
    assert "※ 채점 때에는 검사 1개가 더 실행됩니다 (자가 점검에서는 공개되지 않음)." in lines
    assert "서술형·그림 문항 23개 중 0개의 답을 찾았습니다 (채점은 조교가 확인합니다; 자세히: --verbose)." in lines
    assert lines[-1] == "자가 점검이 채점한 코드 항목 22개: 34 / 43점 — 통과하지 못한 검사가 있습니다."
    assert any(line.startswith("△ 7.4.4.1 다음은 풀링 계층 구현의 forward 처리 흐름이다.") for line in lines)
    assert any(line.startswith("      힌트: 창 하나에서 최댓값 하나가 나와야 합니다.") for line in lines)


def test_the_language_of_a_command_does_not_outlive_it(english: str) -> None:
    assert current_lang() == "ko" and t("status.fail") == "실패"


def test_json_and_the_card_of_an_english_check_are_english(tmp_path: Path) -> None:
    card = tmp_path / "card.html"
    result = CliRunner().invoke(main, ["check", str(JUNG), "--lang", "en", "--json", "--html", str(card)])
    data = json.loads(result.output)
    pool = next(q for q in data["questions"] if q["id"] == "7.4.4.1")
    assert pool["title"].startswith("The following is the flow of the forward pass")
    values = next(i for i in pool["items"] if i["id"] == "pool.forward.values")
    assert values["message"].startswith("The output is the mean of each window")
    assert values["hint"].startswith("Each window gives one maximum")
    page = card.read_text("utf-8")
    assert 'lang="en"' in page and "The output is the mean of each window" in page


@pytest.mark.parametrize(("args", "words"), [
    ([], "경로가 없습니다 (no such file or folder). 과제 폴더의 경로를 확인하세요."),
    (["--lang", "en"], "no such file or folder. Check the path of the assignment folder."),
])
def test_bad_input_is_in_the_language_of_the_command(tmp_path: Path, args: list[str], words: str) -> None:
    for command in (["check"], []):
        result = CliRunner().invoke(main, [*command, str(tmp_path / "nope"), *args])
        assert result.exit_code == 2 and words in result.output, result.output


def test_a_broken_rubric_is_reported_in_english_with_lang_en(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[assignment]\nmax_points = 1\n", "utf-8")
    result = CliRunner().invoke(main, ["check", str(JUNG), "--rubric", str(bad), "--lang", "en"])
    assert result.exit_code == 2
    assert "there is no [[questions]]. Write a [[questions]] table for each question." in result.output


@pytest.mark.slow
def test_a_class_graded_in_english_has_english_messages_notes_and_exports(tmp_path: Path) -> None:
    cls = tmp_path / "class"
    cls.mkdir()
    for name in ("jung_haeun.py", "seed_047ccd1e.txt"):
        shutil.copy(ROOT / "submissions" / name, cls / name)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, [str(cls), "--out", str(out), "-j", "2", "--lang", "en"])
    assert result.exit_code == 0, result.output
    students = json.loads((out / "results.json").read_text("utf-8"))["students"]
    note = _sandbox_note()
    korean = []
    for s in students:
        korean += [n for n in s["notes"] if n != note and HANGUL.search(n)]
        for q in s["questions"]:
            korean += [n for n in q["notes"] if HANGUL.search(n)]
            korean += [q["title"]] if HANGUL.search(q["title"]) else []
            for i in q["items"]:
                korean += [v for v in (i["description"], QUOTED.sub("", i["message"] or ""), i["hint"])
                           if v and HANGUL.search(v)]
    assert not korean
    sheet = next(s for s in students if s["id"] == "seed_047ccd1e")
    conv = next(q for q in sheet["questions"] if q["id"] == "7.4.3.2")
    assert "seed_047ccd1e.txt line 177" in " ".join(i["message"] for i in conv["items"])  # the line in the sheet
    scope = json.loads(next((out / "gradescope").glob("jung_haeun*.json")).read_text("utf-8"))
    assert any("Hint: " in test["output"] for test in scope["tests"])
