"""results.json and grades.csv: the contract's machine-readable outputs."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from collections.abc import Iterator
from typing import Any

from ..model import ClassResult, StudentResult, json_default, to_dict
from ..rubric import Rubric

_STUDENTS = '"students": ['


def results_json(result: ClassResult) -> str:
    return "".join(results_json_chunks(result))


def student_json(student: StudentResult) -> str:
    """One student's entry of results.json, as `results_json_chunks` writes it (before re-indenting)."""
    return json.dumps(student, default=_without_fingerprint, ensure_ascii=False, indent=1)


def results_json_chunks(result: ClassResult, encoded: dict[str, str] | None = None) -> Iterator[str]:
    """results.json in pieces, one student at a time, for writing as it is made.

    The same text as `json.dumps(to_dict(result), ensure_ascii=False, indent=1)` without the
    fingerprints, but never the whole class as one dict and one string: the one-shot dump of a
    class of 300 needed ~110 MB more than the results themselves (the indenting encoder keeps
    every small piece until it joins them). A student's text is re-indented by the two levels of
    the list it sits in; JSON strings hold no raw newline, so every newline is the encoder's own.
    `encoded` may give a student's `student_json` already made (the review app re-encodes only
    the students a decision changed).
    """
    head = json.dumps(to_dict(dataclasses.replace(result, students=[])), ensure_ascii=False, indent=1)
    if not result.students:
        yield head
        return
    cut = head.rindex(_STUDENTS) + len(_STUDENTS)
    yield head[:cut]
    for k, student in enumerate(result.students):
        text = encoded[student.id] if encoded and student.id in encoded else student_json(student)
        yield ("\n  " if k == 0 else ",\n  ") + text.replace("\n", "\n  ")
    yield "\n " + head[cut:]  # "]\n}"


def _without_fingerprint(obj: Any) -> Any:
    """A student's fields but its fingerprint (internal: it decides what a rerun reuses), other results' all."""
    data = json_default(obj)
    if isinstance(obj, StudentResult):
        data.pop("fingerprint", None)
    return data


def grades_csv(result: ClassResult, rubric: Rubric) -> str:
    """One row per student: id, total, then the points of each question in rubric order, then the
    student's status (`graded`, `not_gradable`) and, for a student not graded, the reason."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    qids = [q.id for q in rubric.questions]
    writer.writerow(["id", "total", *qids, "status", "reason"])
    for s in result.students:
        by_id = {q.id: q.points for q in s.questions}
        writer.writerow([s.id, _num(s.points), *(_num(by_id.get(q, 0.0)) for q in qids), s.status,
                         s.reason if s.status != "graded" else ""])
    return out.getvalue()


def _num(x: float) -> str:
    return f"{x:g}"
