"""Cards written as each student finishes, through `grade CLASS`: the same bytes as the end-of-run rendering.

A class of two is graded once with two workers; each test works on its own copy of that output
folder, so a rerun resumes from it as a TA's next run would.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import grader.classrun as classrun
from grader.cli import main
from grader.model import class_from_dict
from grader.report.cards import RECORDS
from grader.report.html import card_names, render_class

from grading_support import SAMPLE, question_points

STUDENTS = ("kim_minji", "jung_haeun.py")


def grade(cls: Path, out: Path, *args: str) -> None:
    result = CliRunner().invoke(main, [str(cls), "--out", str(out), "--workers", "2", *args])
    assert result.exit_code == 0, result.output


def results(out: Path) -> dict[str, dict]:
    return {s["id"]: s for s in json.loads((out / "results.json").read_text("utf-8"))["students"]}


def cards_of(out: Path) -> dict[str, bytes]:
    return {p.stem: p.read_bytes() for p in sorted((out / "cards").glob("*.html"))}


def end_of_run(out: Path, tmp: Path, lang: str = "ko") -> dict[str, bytes]:
    """The cards as the whole class rendered at the end of the run would be (from its results.json)."""
    render_class(class_from_dict(json.loads((out / "results.json").read_text("utf-8"))), tmp, lang=lang)
    return cards_of(tmp)


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The class graded with two workers; the cards on disk when the end of the run began to write."""
    cls = tmp_path_factory.mktemp("class")
    for name in STUDENTS:
        (shutil.copytree if (SAMPLE / name).is_dir() else shutil.copy)(SAMPLE / name, cls / name)
    out = tmp_path_factory.mktemp("out")
    seen: dict[str, bytes] = {}
    original = classrun.write_outputs

    def write_outputs(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        seen.update(cards_of(out))
        return original(*args, **kwargs)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(classrun, "write_outputs", write_outputs)
        grade(cls, out)
    return {"class": cls, "out": out, "seen_before_end": seen}


@pytest.fixture()
def rerun(graded: dict, tmp_path: Path) -> Path:
    """A copy of the graded output folder (saved results, cards and their records included)."""
    out = tmp_path / "out"
    shutil.copytree(graded["out"], out)
    return out


def test_cards_are_written_while_grading_and_match_the_end_of_run_rendering(graded: dict, tmp_path: Path) -> None:
    out = graded["out"]
    names = card_names(results(out))
    assert set(graded["seen_before_end"]) == set(names.values())  # every card was there before the end began
    assert graded["seen_before_end"] == cards_of(out) == end_of_run(out, tmp_path)
    assert {p.stem for p in (out / RECORDS).glob("*.json")} == set(names.values())


def test_the_sample_class_cards_match_the_end_of_run_rendering(sample_reports: Path, tmp_path: Path) -> None:
    assert cards_of(sample_reports) == end_of_run(sample_reports, tmp_path)


def test_a_changed_review_changes_the_card_on_the_next_run(graded: dict, rerun: Path, tmp_path: Path) -> None:
    before = cards_of(rerun)
    reviews = rerun / "reviews.csv"
    reviews.write_text("student,question,points,comment\njung_haeun,7.4.4.1,9,checked by hand\n", "utf-8")
    grade(graded["class"], rerun)
    reviewed = cards_of(rerun)
    assert b"checked by hand" in reviewed["jung_haeun"] and reviewed["jung_haeun"] != before["jung_haeun"]
    assert reviewed["kim_minji"] == before["kim_minji"]  # unchanged: kept as it was, its footer's time included
    assert reviewed["jung_haeun"] == end_of_run(rerun, tmp_path / "1")["jung_haeun"]
    reviews.write_text("student,question,points,comment\njung_haeun,7.4.4.1,10,looked again\n", "utf-8")
    grade(graded["class"], rerun)
    again = cards_of(rerun)["jung_haeun"]
    assert b"looked again" in again and b"checked by hand" not in again
    assert question_points(results(rerun)["jung_haeun"])["7.4.4.1"] == 10
    reviews.unlink()  # the review withdrawn: the machine's card again (written by this run: its time)
    grade(graded["class"], rerun)
    withdrawn = cards_of(rerun)["jung_haeun"]
    assert b"looked again" not in withdrawn and withdrawn == end_of_run(rerun, tmp_path / "2")["jung_haeun"]
    assert question_points(results(rerun)["jung_haeun"]) == question_points(results(graded["out"])["jung_haeun"])


def test_a_rerun_with_lang_en_rewrites_the_cards_in_english(graded: dict, rerun: Path, tmp_path: Path) -> None:
    grade(graded["class"], rerun, "--lang", "en")
    pages = cards_of(rerun)
    assert set(pages) == {"kim_minji", "jung_haeun"}
    for page in pages.values():
        text = page.decode("utf-8")
        assert '<html lang="en">' in text and "Report card" in text and "성적표" not in text
    assert pages == end_of_run(rerun, tmp_path, lang="en")


def test_a_grader_error_keeps_the_previous_result_and_its_card_shows_it(graded: dict, rerun: Path, tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    before = results(rerun)["jung_haeun"]
    original = classrun.grade_submission

    def breaks_on_jung(sub, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202 - inherited by the pool's processes
        if sub.id == "jung_haeun":
            raise RuntimeError("the grader broke")
        return original(sub, *args, **kwargs)

    monkeypatch.setattr(classrun, "grade_submission", breaks_on_jung)
    grade(graded["class"], rerun, "--fresh")
    kept = results(rerun)["jung_haeun"]
    assert kept["status"] == "graded" and not kept["error"]
    assert question_points(kept) == question_points(before)
    card = cards_of(rerun)["jung_haeun"].decode("utf-8")
    assert "이전 채점 결과를 유지했습니다" in card and "the grader broke" not in card
    assert f'data-points="{kept["points"]:g}"' in card
    assert cards_of(rerun) == end_of_run(rerun, tmp_path)


def test_the_tas_reviews_are_on_the_card_the_grading_process_writes(tmp_path: Path) -> None:
    """Reviews are applied as each student finishes: its card is written once, with the decision on it."""
    cls = tmp_path / "class"
    cls.mkdir()
    for name in STUDENTS:
        (shutil.copytree if (SAMPLE / name).is_dir() else shutil.copy)(SAMPLE / name, cls / name)
    out = tmp_path / "out"
    out.mkdir()
    (out / "reviews.csv").write_text("student,question,points,comment\njung_haeun,7.4.4.1,9,checked by hand\n", "utf-8")
    seen: dict[str, bytes] = {}
    original = classrun.write_outputs

    def write_outputs(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        seen.update(cards_of(out))
        return original(*args, **kwargs)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(classrun, "write_outputs", write_outputs)
        grade(cls, out)
    assert b"checked by hand" in seen["jung_haeun"]  # on the card before the end of the run began
    assert seen == cards_of(out)  # and the end of the run rewrote none
    assert question_points(results(out)["jung_haeun"])["7.4.4.1"] == 9
