"""Every entry of a class folder is accounted for: its own grade, or the reason it has none — on every run."""

from __future__ import annotations

import html
import json
import os
import shutil
import tarfile
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

import grader.classrun as classrun
from grader.cli import main
from grader.discover.ids import file_stem

from classrun_support import SAMPLE, copy_sample, grades, points, results, run

DEEP = "x = " + "-" * 200_000 + "1\n"  # parsing it raises MemoryError (or RecursionError): a pathological file
GRADED = {"kim minji", "kim_minji", "lee", "seo", "piped", "deepdir", "deep_only_file_class"}
NOT_GRADABLE = {"deep", "broken", "kim", "empty"}


def odd_class(cls: Path) -> Path:
    cls.mkdir()
    copy_sample("kim_minji", cls / "kim minji")  # a correct submission …
    copy_sample("kang_doyoon.py", cls / "kim_minji.py")  # … and another student whose id differs by "_"
    with zipfile.ZipFile(cls / "lee.zip", "w") as zf:  # what an LMS download holds
        for p in sorted((SAMPLE / "choi_woojin").rglob("*")):
            zf.write(p, f"choi_woojin/{p.relative_to(SAMPLE / 'choi_woojin')}")
    with tarfile.open(cls / "seo.tar.gz", "w:gz") as tf:
        tf.add(SAMPLE / "seo_yuna.py", "seo_yuna.py")
    (cls / "broken.zip").write_bytes(b"PK\x03\x04 this is not an archive")
    (cls / "kim.exe").write_bytes(b"MZ\x90\x00")
    (cls / "empty").mkdir()
    copy_sample("park_seoyeon.py", (cls / "piped").mkdir() or cls / "piped" / "solution.py")
    os.mkfifo(cls / "piped" / "pipe.py")
    os.mkfifo(cls / "piped" / "data")
    copy_sample("yoon_jiwoo.py", (cls / "deepdir").mkdir() or cls / "deepdir" / "solution.py")
    (cls / "deepdir" / "generated.py").write_text(DEEP)
    (cls / "deep.py").write_text(DEEP)
    (cls / "deep_only_file_class.py").write_text((SAMPLE / "han_sumin.py").read_text("utf-8"))
    (cls / ".DS_Store").write_bytes(b"\0")
    (cls / "reports" / ".students").mkdir(parents=True)  # an earlier `grade .`: the grader's output, no student
    (cls / "reports" / "results.json").write_text('{"students": []}')
    return cls


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> dict:
    root = tmp_path_factory.mktemp("odd")
    cls = odd_class(root / "class")
    out = root / "out"
    first = run([str(cls), "--out", str(out), "-j", "2"])
    assert first.returncode == 0, first.stderr
    before = {"results": results(out), "grades": grades(out), "index": (out / "index.html").read_text("utf-8")}
    second = run([str(cls), "--out", str(out), "-j", "2"])
    assert second.returncode == 0, second.stderr
    return {"cls": cls, "out": out, "first": first, "second": second, "before": before}


def test_every_entry_is_a_student_with_a_grade_or_a_reason(graded: dict) -> None:
    students = graded["before"]["results"]
    assert set(students) == GRADED | NOT_GRADABLE  # not .DS_Store, not reports/
    for sid in GRADED:
        assert students[sid]["status"] == "graded" and students[sid]["points"] > 0, sid
    for sid in NOT_GRADABLE:
        assert students[sid]["status"] == "not_gradable" and students[sid]["reason"], sid
    assert "broken.zip" in students["broken"]["reason"] and "압축 파일을 열 수 없습니다" in students["broken"]["reason"]
    assert "kim.exe" in students["kim"]["reason"] and ".zip" in students["kim"]["reason"]
    assert "empty" in students["empty"]["reason"]
    assert any("MemoryError" in n or "RecursionError" in n for n in students["deep"]["notes"])
    assert "reports" in graded["first"].stderr  # said: the output folder inside the class is not a student


def test_ids_that_differ_by_a_space_keep_their_own_grades_and_files(graded: dict, sample_points: dict) -> None:
    students, out = graded["before"]["results"], graded["out"]
    assert students["kim minji"]["points"] == sample_points["kim_minji"]
    assert students["kim_minji"]["points"] == sample_points["kang_doyoon"] != sample_points["kim_minji"]
    assert file_stem("kim minji") != file_stem("kim_minji")
    for sid in ("kim minji", "kim_minji"):
        stem = file_stem(sid)
        saved = json.loads((out / ".students" / f"{stem}.json").read_text("utf-8"))
        export = json.loads((out / "gradescope" / f"{stem}.json").read_text("utf-8"))
        card = (out / "cards" / f"{stem}.html").read_text("utf-8")
        assert saved["id"] == sid and saved["points"] == students[sid]["points"]
        assert export["score"] == students[sid]["points"]
        assert html.escape(sid) in card and f'data-points="{students[sid]["points"]:g}"' in card


def test_a_pipe_inside_a_folder_is_skipped_with_a_note_and_the_rest_graded(graded: dict, sample_points: dict) -> None:
    piped = graded["before"]["results"]["piped"]
    assert piped["points"] == sample_points["park_seoyeon"]
    assert any("pipe.py" in n and "FIFO" in n for n in piped["notes"])
    assert piped["files"] == ["solution.py"]


def test_a_pathological_file_costs_only_itself(graded: dict, sample_points: dict) -> None:
    deepdir = graded["before"]["results"]["deepdir"]
    assert deepdir["status"] == "graded" and deepdir["points"] == sample_points["yoon_jiwoo"]
    assert any("generated.py" in n for n in deepdir["notes"])


def test_archives_are_graded_as_the_folder_they_hold(graded: dict, sample_points: dict) -> None:
    students = graded["before"]["results"]
    assert students["lee"]["points"] == sample_points["choi_woojin"]  # choi_woojin's work, zipped
    assert students["seo"]["points"] == sample_points["seo_yuna"]
    assert any("lee.zip" in n for n in students["lee"]["notes"])


def test_grades_csv_and_the_overview_list_every_entry_with_its_reason(graded: dict) -> None:
    rows, index = graded["before"]["grades"], graded["before"]["index"]
    assert set(rows) == GRADED | NOT_GRADABLE
    for sid in NOT_GRADABLE:
        assert rows[sid]["status"] == "not_gradable" and rows[sid]["reason"] == graded["before"]["results"][sid]["reason"]
        assert html.escape(graded["before"]["results"][sid]["reason"], quote=False) in index
    assert all(rows[sid]["status"] == "graded" and rows[sid]["reason"] == "" for sid in GRADED)


def test_the_next_run_gives_every_entry_the_same_and_says_it_reused_them(graded: dict) -> None:
    again = results(graded["out"])
    before = graded["before"]["results"]
    assert {s: (r["status"], r["points"], points(r), r["reason"]) for s, r in again.items()} == \
        {s: (r["status"], r["points"], points(r), r["reason"]) for s, r in before.items()}
    stderr = graded["second"].stderr
    assert f"{len(GRADED) + 1}명 재사용, 0명 채점" in stderr  # and `deep`, graded to find nothing
    assert stderr.splitlines()[0].startswith("격리: ")
    assert "남은 시간" not in stderr  # no progress line per reused student


def test_a_class_made_of_files_survives_a_pathological_one(tmp_path: Path, sample_points: dict) -> None:
    cls = tmp_path / "class"
    cls.mkdir()
    (cls / "deep.py").write_text(DEEP)
    (cls / "from_layers.py").write_text("from layers import *\n" + DEEP)
    copy_sample("han_sumin.py", cls / "han_sumin.py")
    done = run([str(cls), "--out", str(tmp_path / "out"), "-j", "1"])
    assert done.returncode == 0, done.stderr
    students = results(tmp_path / "out")
    assert set(students) == {"deep", "from_layers", "han_sumin"}
    assert students["han_sumin"]["points"] == sample_points["han_sumin"]


def test_a_later_grader_error_keeps_each_student_its_own_previous_grade(tmp_path: Path, sample_points: dict,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    cls = tmp_path / "class"
    cls.mkdir()
    copy_sample("kim_minji", cls / "kim minji")
    copy_sample("kang_doyoon.py", cls / "kim_minji.py")
    out = tmp_path / "out"
    first = CliRunner().invoke(main, [str(cls), "--out", str(out), "-j", "2"])
    assert first.exit_code == 0, first.output
    original = classrun.grade_submission

    def breaks(sub, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202 - inherited by the grading processes
        raise RuntimeError("the grader broke")

    monkeypatch.setattr(classrun, "grade_submission", breaks)
    again = CliRunner().invoke(main, [str(cls), "--out", str(out), "-j", "2", "--fresh"])
    assert again.exit_code == 0, again.output
    monkeypatch.setattr(classrun, "grade_submission", original)
    kept = results(out)
    assert kept["kim minji"]["points"] == sample_points["kim_minji"]
    assert kept["kim_minji"]["points"] == sample_points["kang_doyoon"]
    assert all("이전 채점 결과를 유지했습니다" in " ".join(s["notes"]) for s in kept.values())
    shutil.rmtree(out)
