"""The self-check in a student's hands: no answer key in the kit or in what it prints, and the TA's verdict.

The kit is built into a temporary folder and run from there, as a student runs it; the TA's run is
`grade` through the CLI. Every item the kit's self-check grades must get the points the TA's run
gives it, on the sample class, the seed sheet and the accuracy class of other people's code.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from accuracy_class import write_class
from grader.audience import code_leaks
from grader.cli import main
from grader.kit import answer_key, scan_for_solution
from grader.rubric import load_rubric
from grading_support import SAMPLE
from kit_support import kit_command, kit_check_json

NOT_GRADED = ("hidden", "not_checked")


@pytest.fixture(scope="module")
def rubric():  # noqa: ANN201
    return load_rubric(None)


@pytest.fixture(scope="module")
def kit(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dest = tmp_path_factory.mktemp("kit") / "kit"
    result = CliRunner().invoke(main, ["kit", str(dest)])
    assert result.exit_code == 0, result.output
    return dest


@pytest.fixture(scope="module")
def accuracy(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    cls = write_class(tmp_path_factory.mktemp("accuracy"))
    out = tmp_path_factory.mktemp("ta")
    result = CliRunner().invoke(main, [str(cls), "--out", str(out), "--workers", "2"])
    assert result.exit_code == 0, result.output
    data = json.loads((out / "results.json").read_text("utf-8"))
    return cls, {s["id"]: s for s in data["students"]}


def _files(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): p.read_text("utf-8", "replace") for p in root.rglob("*")
            if p.is_file() and p.suffix in (".py", ".toml", ".md", ".txt", ".html", ".json")}


# ── nothing in the kit reveals an answer ───────────────────────────────────────────────────────

def test_the_kit_holds_no_piece_of_the_answer_key(kit: Path, rubric) -> None:  # noqa: ANN001
    assert scan_for_solution(kit, rubric) == []
    files = _files(kit)
    key = answer_key(rubric)
    assert len(key) > 60  # concepts, explanations, patterns, values: the scan looks for all of them
    for name, text in files.items():
        assert not [k for k in key if k in text], name
    toml = files["assignments/a5_cnn/rubric.toml"]
    assert not re.search(r"(?m)^\s*(ko|en|expected|explanation)\s*=", toml)
    assert "19, 24, 26, 17" not in "".join(files.values()) and "OH = 6" not in "".join(files.values())


def test_no_reference_line_is_in_the_kit_and_the_scan_would_see_one(kit: Path, tmp_path: Path) -> None:
    for name, text in _files(kit).items():
        assert not code_leaks(text, whole=name.endswith(".py") and not name.endswith("i18n.py")), name
    planted = tmp_path / "kit"
    shutil.copytree(kit, planted)
    hint = planted / "assignments" / "a5_cnn" / "rubric.toml"
    hint.write_text(hint.read_text("utf-8") + '\n# out = out.reshape(N, out_h, out_w, -1).transpose(0, 3, 1, 2)\n',
                    "utf-8")
    assert scan_for_solution(planted)


def test_every_hint_and_code_description_is_free_of_solution_lines_and_values(rubric) -> None:  # noqa: ANN001
    from grader.audience import answer_values, value_leaks
    from grader.checks import registry

    checks = registry()
    for q, item in rubric.items():
        shown = [item.hint, item.hint_en] + ([item.description, item.description_en] if q.kind == "code" else [])
        for text in filter(None, shown):
            assert not code_leaks(text), (item.id, text)
            assert not value_leaks(text, answer_values(item, checks[item.check].answers)), (item.id, text)


def test_a_rubric_whose_hint_gives_the_code_away_is_refused_at_load(tmp_path: Path) -> None:
    from grader.rubric import DEFAULT_RUBRIC, RubricError

    text = DEFAULT_RUBRIC.read_text("utf-8").replace(
        'hint = "loss는 predict로 구한 점수와 정답 t를 손실 계층에 넘겨 얻은 값을 돌려줍니다."',
        'hint = "y = self.predict(x); return self.last_layer.forward(y, t)."')
    bad = tmp_path / "bad.toml"
    bad.write_text(text, "utf-8")
    with pytest.raises(RubricError, match="convnet.loss.*explanation"):
        load_rubric(bad)


def test_the_kit_can_only_check(kit: Path) -> None:
    help_ = kit_command(kit, "--help")
    assert help_.returncode == 0 and "check" in help_.stdout
    assert not re.search(r"(?m)^\s+(kit|checks|run|review)\s", help_.stdout)
    made = kit_command(kit, "kit", str(kit.parent / "again"))
    assert made.returncode == 2 and "grade check" in made.stderr and "Traceback" not in made.stderr


# ── nothing the self-check prints reveals an answer ───────────────────────────────────────────

def _dont_know_sheet(rubric) -> str:  # noqa: ANN001
    return "\n\n".join(f"{q.id} {q.title}\n\n모르겠습니다." for q in rubric.questions)


@pytest.fixture(scope="module")
def outputs(kit: Path, rubric, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:  # noqa: ANN001
    sheet = tmp_path_factory.mktemp("dontknow") / "dont_know.md"
    sheet.write_text(_dont_know_sheet(rubric), "utf-8")
    runs = {}
    for name, path in (("seed", SAMPLE / "seed_047ccd1e.txt"), ("dont_know", sheet), ("jung", SAMPLE / "jung_haeun.py"),
                       ("kang", SAMPLE / "kang_doyoon.py"), ("yoon", SAMPLE / "yoon_jiwoo.py")):
        for lang in ("ko", "en"):
            out = kit_command(kit, "check", str(path), "-v", "--lang", lang)
            assert out.returncode in (0, 1), out.stderr[-2000:]
            runs[f"{name}.{lang}"] = out.stdout
    return runs


def test_what_the_self_check_prints_holds_no_answer(outputs: dict[str, str], rubric) -> None:  # noqa: ANN001
    key = answer_key(rubric)
    for name, text in outputs.items():
        assert not [k for k in key if k in text], name
        assert not code_leaks(text), name
        assert "19, 24, 26, 17" not in text and "OH = 6" not in text and "OW = 7" not in text


def test_pasting_what_the_self_check_prints_earns_no_written_point(outputs: dict[str, str], rubric,  # noqa: ANN001
                                                                  tmp_path: Path) -> None:
    pasted = "\n".join(outputs.values())
    sheet = tmp_path / "pasted.md"
    sheet.write_text("\n\n".join(f"## {q.id}\n\n{pasted}" for q in rubric.questions if q.kind != "code"), "utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, [str(sheet), "--out", str(out)])
    assert result.exit_code == 0, result.output
    student = json.loads((out / "results.json").read_text("utf-8"))["students"][0]
    earned = {q["id"]: q["points"] for q in student["questions"] if q["kind"] in ("written", "numeric", "drawing")}
    assert sum(earned.values()) == 0, {k: v for k, v in earned.items() if v}


# ── the self-check's verdict is the TA's ───────────────────────────────────────────────────────

def _compare(check: dict, ta: dict) -> list[str]:
    """Items the self-check graded whose points differ from the TA's run's."""
    ta_items = {i["id"]: i for q in ta["questions"] for i in q["items"]}
    return [f"{check['id']} {i['id']}: self-check {i['points']} ≠ TA {ta_items[i['id']]['points']}"
            for q in check["questions"] for i in q["items"]
            if i["status"] not in NOT_GRADED and i["points"] != ta_items[i["id"]]["points"]]


def test_the_self_check_gives_every_item_it_grades_the_tas_points_on_the_sample_class(
        kit: Path, sample_results: dict) -> None:
    wrong, graded = [], 0
    for entry in sorted(SAMPLE.iterdir()):
        sid = entry.stem if entry.is_file() else entry.name
        check = kit_check_json(kit, entry)
        graded += sum(i["status"] not in NOT_GRADED for q in check["questions"] for i in q["items"])
        wrong += _compare(check, sample_results[sid])
    assert not wrong
    assert graded > 250  # the self-check grades most code items of the class, not a handful


def test_the_self_check_agrees_with_the_ta_on_other_peoples_code(kit: Path, accuracy: tuple[Path, dict]) -> None:
    cls, ta = accuracy
    wrong = []
    for folder in sorted(cls.iterdir()):
        wrong += _compare(kit_check_json(kit, folder), ta[folder.name])
    assert not wrong


def test_a_book_function_a_sheet_does_not_copy_is_supplied_as_in_the_tas_run(kit: Path) -> None:
    """The seed sheet's Pooling calls the book's im2col without defining it: graded, not a NameError."""
    check = kit_check_json(kit, SAMPLE / "seed_047ccd1e.txt")
    pool = next(q for q in check["questions"] if q["id"] == "7.4.4.1")
    assert pool["points"] == 11 and all(i["passed"] for i in pool["items"])


def test_questions_only_the_tas_run_can_grade_say_so_and_are_left_out(kit: Path) -> None:
    out = kit_command(kit, "check", str(SAMPLE / "seed_047ccd1e.txt"))
    lines = out.stdout.splitlines()
    for qid in ("7.5.1.2", "7.5.1.3", "7.5.1.4", "7.5.1.5", "7.5.1.6"):
        line = next(x for x in lines if x.split(" ", 2)[1:2] == [qid])
        assert line.startswith("⋯") and "조교 채점 때 검사" in line and "/" not in line.split(qid)[-1][-8:]
    summary = lines[-1]
    assert "11 / 14점" in summary  # 7.4.3.2's shape (0/3) and 7.4.4.1 (11/11): only what it graded


# ── what is wrong with the input comes first ──────────────────────────────────────────────────

def test_a_syntax_error_is_said_first_with_its_line(kit: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken.py"
    broken.write_text((SAMPLE / "kim_minji" / "assignment5.py").read_text("utf-8").replace(
        "def forward(self, x):", "def forward(self, x)", 1), "utf-8")
    out = kit_command(kit, "check", str(broken))
    assert out.returncode == 1
    first = [x for x in out.stdout.splitlines() if x.strip()][1]
    assert "SyntaxError" in first and "broken.py:" in first


@pytest.mark.parametrize("text", ["", "7.4.3.2 im2col을 사용해 합성곱 계층을 구현하라.\n\n7.4.4.1 다음은 풀링 계층\n"])
def test_a_sheet_with_nothing_answered_never_passes(kit: Path, tmp_path: Path, text: str) -> None:
    sheet = tmp_path / "sheet.txt"
    sheet.write_text(text, "utf-8")
    out = kit_command(kit, "check", str(sheet))
    assert out.returncode in (1, 2) and "모든 검사를 통과" not in out.stdout
    if out.returncode == 1:
        assert "채점할 수 있는 코드 답이 없습니다" in out.stdout


def test_a_class_folder_is_refused_with_the_command_to_use(kit: Path) -> None:
    out = kit_command(kit, "check", str(SAMPLE))
    assert out.returncode == 2 and "grade check" in out.stderr and "Traceback" not in out.stderr
