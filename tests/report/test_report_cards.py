"""Cards kept up to date one by one, and results.json written student by student: the same bytes as before."""

from __future__ import annotations

import json
from pathlib import Path

from grader.model import ClassResult, to_dict
from grader.report import cards
from grader.report.html import card_names, card_path, render_class
from grader.report.tables import results_json, results_json_chunks
from report_support import make_class


def one_shot(result: ClassResult) -> str:
    """results.json as it was written before it was streamed: the whole class dumped at once."""
    data = to_dict(result)
    for student in data["students"]:
        student.pop("fingerprint", None)
    return json.dumps(data, ensure_ascii=False, indent=1)


def test_results_json_written_student_by_student_is_the_one_shot_dump() -> None:
    result = make_class()
    result.students[0].fingerprint = "f" * 32
    result.students[1].log = 'two\nlines, "quoted", \u2028 and 한글'
    for students in (result.students, result.students[:1], []):
        part = ClassResult(result.assignment, result.grader_version, result.generated, result.max_points, students)
        assert results_json(part) == one_shot(part)
    assert len(list(results_json_chunks(result))) == len(result.students) + 2  # head, one per student, tail
    assert "f" * 32 not in results_json(result)


def _bytes(out: Path, result: ClassResult) -> dict[str, bytes]:
    names = card_names(s.id for s in result.students)
    return {s.id: card_path(out, names[s.id]).read_bytes() for s in result.students}


def test_write_cards_writes_what_render_class_writes(tmp_path: Path) -> None:
    result = make_class()
    for lang in ("ko", "en"):
        render_class(result, tmp_path / f"all-{lang}", lang=lang)
        cards.write_cards(result, tmp_path / lang, lang=lang, names=card_names(s.id for s in result.students))
        assert _bytes(tmp_path / lang, result) == _bytes(tmp_path / f"all-{lang}", result)


def test_only_the_card_of_a_changed_result_is_written_again(tmp_path: Path) -> None:
    result = make_class()
    names = card_names(s.id for s in result.students)
    cards.write_cards(result, tmp_path, lang="ko", names=names)
    before = _bytes(tmp_path, result)
    stamp = {s.id: card_path(tmp_path, names[s.id]).stat().st_mtime_ns for s in result.students}
    changed = result.students[2]
    changed.questions[2].points, changed.questions[2].review_comment = 0.5, "checked by hand"
    result.generated = "2030-01-01T00:00:00+00:00"  # a later run: the footer's time alone rewrites nothing
    cards.write_cards(result, tmp_path, lang="ko", names=names)
    after = _bytes(tmp_path, result)
    assert [s.id for s in result.students if after[s.id] != before[s.id]] == [changed.id]
    assert b"checked by hand" in after[changed.id] and b"2030-01-01" in after[changed.id]
    assert all(card_path(tmp_path, names[s.id]).stat().st_mtime_ns == stamp[s.id]
               for s in result.students if s is not changed)


def test_a_card_without_its_record_or_of_another_size_is_written_again(tmp_path: Path) -> None:
    result = make_class()
    names = card_names(s.id for s in result.students)
    cards.write_cards(result, tmp_path, lang="ko", names=names)
    first, second = (card_path(tmp_path, names[s.id]) for s in result.students[:2])
    good = first.read_bytes(), second.read_bytes()
    (tmp_path / cards.RECORDS / f"{names[result.students[0].id]}.json").unlink()  # interrupted before its record
    second.write_bytes(good[1][:100])  # cut short by hand
    cards.write_cards(result, tmp_path, lang="ko", names=names)
    assert (first.read_bytes(), second.read_bytes()) == good


def test_another_language_is_another_card(tmp_path: Path) -> None:
    result = make_class()
    names = card_names(s.id for s in result.students)
    cards.write_cards(result, tmp_path, lang="ko", names=names)
    cards.write_cards(result, tmp_path, lang="en", names=names)
    assert all(b'<html lang="en">' in page for page in _bytes(tmp_path, result).values())
