"""Answer sheets and notebooks in the sample class: every question scored or marked for review."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from grader.cli import main
from grading_support import SAMPLE, question_points

SHEETS = ("seed_047ccd1e", "baek_seoyun", "song_jimin", "seed_047ccd1e_docx", "seed_047ccd1e_pdf")


def test_the_seed_sheet_gets_the_outcome_its_bugs_deserve(sample_results: dict) -> None:
    p = question_points(sample_results["seed_047ccd1e"])
    assert p["7.4.3.2"] == 0  # output size without `// stride + 1`
    assert p["7.4.4.1"] == 11  # its Pooling is right
    assert p["7.5.1.3"] < 5  # W2 and W3 with the convolution's shape
    assert p["7.5.1.4"] == 0  # conv_params, 'w3'
    assert p["7.5.1.6"] < 8  # .dw and lower-case keys
    assert p["7.2.4"] == 4  # right
    assert p["7.2.2.1"] == pytest.approx(1.75)  # one output of four (0.75) and the working (1)


@pytest.mark.parametrize("sid", SHEETS)
def test_every_question_of_a_sheet_or_notebook_gets_a_score_or_a_review_mark(sample_results: dict, sid: str) -> None:
    student = sample_results[sid]
    assert student["status"] == "graded"
    for q in student["questions"]:
        assert q["status"] in ("pass", "partial", "fail", "missing", "manual")
        if q["status"] not in ("missing", "manual"):
            assert q["answer"].strip(), (sid, q["id"])
        if q["kind"] == "drawing" and sid == "seed_047ccd1e":
            assert q["status"] == "manual"  # its pictures were lost in the export: a person looks


def test_a_seed_answer_is_shown_as_the_student_wrote_it(sample_results: dict) -> None:
    q = next(q for q in sample_results["seed_047ccd1e"]["questions"] if q["id"] == "7.4.3.2")
    assert "out_h = (H + 2*self.pad - FH)" in q["answer"]
    msg = " ".join(i["message"] for i in q["items"])
    assert "seed_047ccd1e.txt 177행" in msg  # the line in the student's own sheet


def test_a_notebook_is_graded_with_its_magics_dropped(sample_results: dict) -> None:
    s = sample_results["song_jimin"]
    assert all(question_points(s)[q] == full for q, full in (("7.4.3.2", 14), ("7.5.1.6", 8)))
    assert any("IPython" in n for n in s["notes"])


def test_a_markdown_pooling_without_transpose_loses_only_its_values(sample_results: dict) -> None:
    q = next(q for q in sample_results["baek_seoyun"]["questions"] if q["id"] == "7.4.4.1")
    failed = {i["id"] for i in q["items"] if not i["passed"]}
    assert failed == {"pool.forward.values"}


def test_a_review_changes_exactly_the_questions_it_names_and_survives_regrading(tmp_path: Path) -> None:
    cls = tmp_path / "class"
    cls.mkdir()
    shutil.copy(SAMPLE / "seed_047ccd1e.txt", cls)
    shutil.copy(SAMPLE / "baek_seoyun.md", cls)
    out = tmp_path / "out"
    runner = CliRunner()
    assert runner.invoke(main, [str(cls), "--out", str(out), "-j", "1"]).exit_code == 0
    before = {s["id"]: question_points(s) for s in json.loads((out / "results.json").read_text("utf-8"))["students"]}
    queue = list(csv.DictReader((out / "review-queue.csv").open(encoding="utf-8")))
    assert {"seed_047ccd1e", "7.2.6.1"} <= {r["student"] for r in queue} | {r["question"] for r in queue}
    (out / "reviews.csv").write_text("student,question,points,comment\n"
                                     "seed_047ccd1e,7.2.6.1,1,그림이 정확함\n"
                                     "baek_seoyun,7.4.4.1,8,transpose만 빠짐\n", "utf-8")
    for _ in range(2):  # applied on the next run, and again on the one after
        result = runner.invoke(main, [str(cls), "--out", str(out), "-j", "1"])
        assert result.exit_code == 0, result.output
        after = {s["id"]: question_points(s) for s in json.loads((out / "results.json").read_text("utf-8"))["students"]}
        assert after["seed_047ccd1e"]["7.2.6.1"] == 1 and after["baek_seoyun"]["7.4.4.1"] == 8
        changed = {(sid, q) for sid in after for q in after[sid] if after[sid][q] != before[sid][q]}
        assert changed == {("seed_047ccd1e", "7.2.6.1"), ("baek_seoyun", "7.4.4.1")}
        rows = {r["id"]: r for r in csv.DictReader((out / "grades.csv").open(encoding="utf-8"))}
        assert float(rows["baek_seoyun"]["7.4.4.1"]) == 8


def test_a_bad_review_line_is_exit_2_naming_the_line(tmp_path: Path) -> None:
    cls = tmp_path / "class"
    cls.mkdir()
    shutil.copy(SAMPLE / "baek_seoyun.md", cls)
    shutil.copy(SAMPLE / "seed_047ccd1e.txt", cls)
    out = tmp_path / "out"
    out.mkdir()
    (out / "reviews.csv").write_text("student,question,points,comment\nbaek_seoyun,7.4.4.1,99,\n", "utf-8")
    result = CliRunner().invoke(main, [str(cls), "--out", str(out), "-j", "1"])
    assert result.exit_code == 2 and "reviews.csv:2" in result.output and "99" in result.output
