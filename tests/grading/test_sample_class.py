"""The sample class through `grade submissions/`: the expected points of every student.

A correct submission gets every code point; each typical mistake loses points on its own
question and nowhere else — except the end-to-end item of 7.5.1.6, which runs the student's own layers.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from grading_support import question_points

CODE = {"7.4.3.2": 14, "7.4.4.1": 11, "7.5.1.2": 4, "7.5.1.3": 5, "7.5.1.4": 6, "7.5.1.5": 5, "7.5.1.6": 8}
END_TO_END = 2.0

# student → {question: points} for the questions that lose points; every other code question is full.
EXPECTED = {
    "kim_minji": {},
    "lee_junho": {},
    "park_seoyeon": {},
    "oh_taeyang": {},
    "choi_woojin": {"7.4.3.2": 0.0},  # output size without the stride: the shape fails, the rest waits for it
    "jung_haeun": {"7.4.4.1": 5.0, "7.5.1.6": 8 - END_TO_END - 1},  # average pooling, forward and backward
    "kang_doyoon": {"7.4.3.2": 6.0, "7.5.1.6": 8 - END_TO_END},  # transposed reshape (its backward is right)
    "yoon_jiwoo": {"7.5.1.3": 3.0},  # weights without weight_init_std
    "han_sumin": {"7.5.1.6": 7.0},  # lower-case gradient keys
    "seo_yuna": {"7.5.1.6": 2.0},  # forgotten layers.reverse(): the gradient raises
}


@pytest.mark.parametrize("sid", sorted(EXPECTED))
def test_each_sample_student_gets_the_expected_code_points(sample_results: dict, sid: str) -> None:
    points = question_points(sample_results[sid])
    for qid, full in CODE.items():
        assert points[qid] == EXPECTED[sid].get(qid, full), f"{sid} {qid}"


def test_a_mistake_costs_points_on_its_own_question_only(sample_results: dict) -> None:
    for sid, losses in EXPECTED.items():
        points = question_points(sample_results[sid])
        lost = {q for q, full in CODE.items() if points[q] < full}
        assert lost == set(losses), sid


def test_results_json_follows_the_contract(sample_reports: Path) -> None:
    data = json.loads((sample_reports / "results.json").read_text("utf-8"))
    assert data["assignment"] == "assignment5" and data["max_points"] == 100
    assert {"grader_version", "generated", "students"} <= set(data)
    student = next(s for s in data["students"] if s["id"] == "kang_doyoon")
    assert student["status"] == "graded" and student["max_points"] == 100
    assert student["files"] == ["kang_doyoon.py"]
    q = next(q for q in student["questions"] if q["id"] == "7.4.3.2")
    assert q["kind"] == "code" and q["status"] == "partial" and "class Convolution" in q["answer"]
    assert q["title"].startswith("im2col을 사용해 합성곱 계층을 구현하라")
    item = next(i for i in q["items"] if i["id"] == "conv.forward.values")
    assert item["passed"] is False and item["points"] == 0 and item["max_points"] == 6
    ce = item["counterexample"]
    assert {"input", "expected", "actual"} <= set(ce)
    # Shrunk: the smallest geometry that shows a transposed reshape has two filters and two positions.
    assert ce["input"]["x.shape"][0] == 1 and ce["input"]["W.shape"][0] == 2


def test_grades_csv_has_one_row_per_student_and_a_column_per_question(sample_reports: Path, sample_results: dict) -> None:
    rows = list(csv.reader((sample_reports / "grades.csv").open(encoding="utf-8")))
    assert rows[0][:3] == ["id", "total", "7.1.1"] and len(rows[0]) == 2 + 33 + 2
    assert rows[0][-2:] == ["status", "reason"]
    by_id = {r[0]: r for r in rows[1:]}
    assert set(by_id) == set(sample_results)
    assert float(by_id["kim_minji"][1]) == sample_results["kim_minji"]["points"]
    assert by_id["kim_minji"][-2:] == ["graded", ""]


def test_module_level_demo_code_is_noted_and_does_not_sink_the_submission(sample_results: dict) -> None:
    notes = " ".join(sample_results["lee_junho"]["notes"])
    assert "train_convnet.py" in notes and "dataset" in notes
    assert "matplotlib" in notes


def test_a_cp949_file_is_graded_with_a_note(sample_results: dict) -> None:
    assert any("CP949" in n and "hw5.py" in n for n in sample_results["oh_taeyang"]["notes"])


def test_grading_is_reproducible(sample_results: dict, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from grader.cli import main

    from grading_support import SAMPLE

    out = tmp_path / "again"
    result = CliRunner().invoke(main, [str(SAMPLE / "kang_doyoon.py"), "--out", str(out), "--fresh", "--workers", "1"])
    assert result.exit_code == 0, result.output
    again = json.loads((out / "results.json").read_text("utf-8"))["students"][0]
    first = sample_results["kang_doyoon"]
    assert [q["points"] for q in again["questions"]] == [q["points"] for q in first["questions"]]
    pick = lambda s: [i.get("counterexample") for q in s["questions"] for i in q["items"]]  # noqa: E731
    assert pick(again) == pick(first)


def test_the_failing_items_are_those_the_sample_authors_expected(sample_results: dict) -> None:
    """tests/fixtures/expected_sample.toml was written with an independent implementation."""
    import tomllib

    from grading_support import ROOT

    expected = tomllib.loads((ROOT / "tests" / "fixtures" / "expected_sample.toml").read_text("utf-8"))
    for sid, exp in expected.items():
        code = [q for q in sample_results[sid]["questions"] if q["kind"] == "code"]
        failing = {i["id"] for q in code for i in q["items"] if not i["passed"] and i["status"] != "skipped"}
        must = set(exp.get("failing_items", []))
        may = set(exp.get("may_fail_items", [])) | ({"convnet.end_to_end"} if exp.get("end_to_end_fails") else set())
        may |= {"conv.backward", "pool.backward"} if exp.get("backward_wrong") else set()
        assert must <= failing <= must | may, (sid, sorted(failing))
        lost = {q["id"] for q in code if q["points"] < q["max_points"]}
        assert set(exp.get("wrong_questions", [])) <= lost, sid
