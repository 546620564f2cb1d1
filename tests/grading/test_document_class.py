"""Documents in the sample class: the seed as Word and as PDF grades as the seed's text, and shows its drawings."""

from __future__ import annotations

import csv
import json
import re
import shutil
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from grader.cli import main
from grading_support import SAMPLE, question_points

DOCUMENTS = ("seed_047ccd1e_docx", "seed_047ccd1e_pdf")
DRAWINGS = ("7.2.6.1", "7.4.2.2", "8.2.4")
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "documents"))


def outcome(student: dict) -> dict[str, tuple]:
    """Each question's points and status, and each item's points and pass."""
    return {q["id"]: (q["points"], q["status"], [(i["id"], i["points"], i["passed"]) for i in q["items"]])
            for q in student["questions"]}


@pytest.mark.parametrize("sid", DOCUMENTS)
def test_the_seed_as_a_document_gets_the_points_of_the_seed_text_on_every_question(sample_results: dict,
                                                                                    sid: str) -> None:
    text, document = outcome(sample_results["seed_047ccd1e"]), outcome(sample_results[sid])
    assert set(document) == set(text)
    for qid in text:
        assert document[qid] == text[qid], qid  # the seed's bugs cost the same points in the same items
    assert sample_results[sid]["points"] == sample_results["seed_047ccd1e"]["points"]


@pytest.mark.parametrize("sid", DOCUMENTS)
def test_the_seed_documents_bugs_are_found_where_the_text_has_them(sample_results: dict, sid: str) -> None:
    p = question_points(sample_results[sid])
    assert p["7.4.3.2"] == 0 and p["7.4.4.1"] == 11 and p["7.5.1.4"] == 0 and p["7.2.2.1"] == pytest.approx(1.75)


@pytest.mark.parametrize("sid", DOCUMENTS)
def test_each_drawing_of_a_seed_document_is_on_its_question_and_stored(sample_results: dict, sample_reports: Path,
                                                                       sid: str) -> None:
    questions = {q["id"]: q for q in sample_results[sid]["questions"]}
    for qid in DRAWINGS:
        pictures = questions[qid]["pictures"]
        assert len(pictures) == 1 and questions[qid]["status"] == "manual", qid
        stored = sample_reports / pictures[0]["file"]
        assert stored.is_file() and stored.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert pictures[0]["file"].startswith(f"media/{sid}/") and pictures[0]["width"] == 640
    # the assignment's own figures (under the section titles of 7.6.1 and 7.6.2) belong to no question
    assert len(sample_results[sid]["pictures"]) == 2
    assert not questions["7.5.1.6"]["pictures"] and not questions["7.6.1.1"]["pictures"]


class _Images(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str]] = []  # (question section id, src)
        self.section = ""

    def handle_starttag(self, tag: str, attrs: list) -> None:  # noqa: ANN401
        a = dict(attrs)
        if tag == "section":
            self.section = a.get("id", "")
        if tag == "img":
            self.found.append((self.section, a.get("src", "")))


@pytest.mark.parametrize("sid", DOCUMENTS)
def test_the_card_shows_each_drawing_under_its_question(sample_reports: Path, sid: str) -> None:
    parser = _Images()
    parser.feed((sample_reports / "cards" / f"{sid}.html").read_text("utf-8"))
    shown = {section: src for section, src in parser.found}
    for qid in DRAWINGS:
        src = shown[f"q-{qid}"]
        assert (sample_reports / "cards" / src).resolve().is_file(), src
    review = (sample_reports / "review.html").read_text("utf-8")
    assert re.search(rf'data-student="{sid}".*?<img src="media/{sid}/', review, re.S)


@pytest.fixture(scope="module")
def screenshot_class(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    from documents_support import docx_sheet, hwpx_sheet

    cls = tmp_path_factory.mktemp("class")
    (cls / "screenshot.docx").write_bytes(docx_sheet(code_as="picture"))
    (cls / "hangul.hwpx").write_bytes(hwpx_sheet())
    (cls / "binary.hwp").write_bytes(hwpx_sheet(binary=True))
    shutil.copy(SAMPLE / "baek_seoyun.md", cls)
    out = tmp_path_factory.mktemp("out")
    result = CliRunner().invoke(main, [str(cls), "--out", str(out), "-j", "2"])
    assert result.exit_code == 0, result.output
    return out, {s["id"]: s for s in json.loads((out / "results.json").read_text("utf-8"))["students"]}


def test_code_handed_in_as_a_screenshot_goes_to_review_with_a_note(screenshot_class: tuple[Path, dict]) -> None:
    out, students = screenshot_class
    q = next(q for q in students["screenshot"]["questions"] if q["id"] == "7.4.4.1")
    assert q["status"] == "manual" and q["review"] and q["points"] == 0
    assert "코드가 그림으로 제출됨: 조교 검토" in q["notes"] and len(q["pictures"]) == 1
    queue = list(csv.DictReader((out / "review-queue.csv").open(encoding="utf-8")))
    assert {"screenshot", "7.4.4.1"} <= {r["student"] for r in queue} | {r["question"] for r in queue}
    assert 'data-student="screenshot"' in (out / "review.html").read_text("utf-8")


@pytest.mark.parametrize("sid", ["hangul", "binary"])
def test_a_hangul_sheet_is_graded(screenshot_class: tuple[Path, dict], sid: str) -> None:
    _, students = screenshot_class
    student = students[sid]
    assert student["status"] == "graded"
    p = question_points(student)
    assert p["7.4.4.1"] == 11  # its Pooling, in D2Coding paragraphs, is right
    assert p["7.4.1.1"] == 2  # the written answer about the shape
    drawing = next(q for q in student["questions"] if q["id"] == "7.2.6.1")
    assert drawing["status"] == "manual" and len(drawing["pictures"]) == 1
