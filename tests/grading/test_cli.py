"""The command line: help for every command, exit codes, messages without tracebacks."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from grader.cli import main

from grading_support import SAMPLE


def test_every_command_has_help_with_an_example() -> None:
    runner = CliRunner()
    for args in ([], ["check"], ["run"], ["checks"]):
        result = runner.invoke(main, [*args, "--help"])
        assert result.exit_code == 0, result.output
        assert "Usage" in result.output
    assert "grade submissions/" in runner.invoke(main, ["--help"]).output


def test_a_missing_folder_is_exit_2_with_a_message_naming_it(tmp_path: Path) -> None:
    missing = tmp_path / "nope"
    for args in ([str(missing)], ["check", str(missing)]):
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 2
        assert str(missing) in result.output and "경로가 없습니다" in result.output
        assert "Traceback" not in result.output


def test_an_empty_folder_is_exit_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["check", str(tmp_path)])
    assert result.exit_code == 2
    assert "채점할 파일" in result.output


def test_a_broken_rubric_is_exit_2_naming_the_question_and_the_fix(tmp_path: Path) -> None:
    text = (Path(__file__).resolve().parents[2] / "assignments" / "a5_cnn" / "rubric.toml").read_text("utf-8")
    bad = tmp_path / "bad.toml"
    bad.write_text(text.replace('id = "7.4.3.2"\ntitle', 'id = "7.4.3.2"\ntitle', 1).replace("points = 14", "points = 15", 1), "utf-8")
    result = CliRunner().invoke(main, ["check", str(SAMPLE / "kim_minji"), "--rubric", str(bad)])
    assert result.exit_code == 2
    assert "7.4.3.2" in result.output and "15" in result.output and "Traceback" not in result.output


def test_check_on_a_correct_submission_exits_0() -> None:
    result = CliRunner().invoke(main, ["check", str(SAMPLE / "kim_minji")])
    assert result.exit_code == 0, result.output
    assert "모든 검사를 통과했습니다" in result.output


def test_check_on_a_mistake_exits_1_and_names_the_question() -> None:
    result = CliRunner().invoke(main, ["check", str(SAMPLE / "jung_haeun.py")])
    assert result.exit_code == 1
    assert "△ 7.4.4.1" in result.output  # partial: the shape is right, the values are not
    assert "평균" in result.output  # the message says what went wrong: an average, not a max


def test_checks_lists_every_registered_check() -> None:
    result = CliRunner().invoke(main, ["checks"])
    assert result.exit_code == 0
    for cid in ("conv.forward.values", "pool.forward.values", "convnet.gradient.values", "written.concept"):
        assert cid in result.output


def test_check_can_write_the_card_as_html(tmp_path: Path) -> None:
    card = tmp_path / "card.html"
    result = CliRunner().invoke(main, ["check", str(SAMPLE / "jung_haeun.py"), "--html", str(card)])
    assert result.exit_code == 1
    page = card.read_text("utf-8")
    assert "jung_haeun" in page and "pool.forward.values" in page and "<svg" in page
