"""Exports a course needs: Gradescope's autograder results (per student) and a CSV for LMS import."""

from __future__ import annotations

import csv
import io
import json

from ..i18n import t
from ..model import ClassResult, StudentResult
from ..reviews import waiting


def gradescope(student: StudentResult) -> str:
    """Gradescope's `results.json` for one student: one test per question, messages as output."""
    tests = []
    for q in student.questions:
        lines = [f"{'✓' if i.passed else '✗'} {i.description} ({i.points:g}/{i.max_points:g})"
                 + (f"\n    {i.message}" if i.message and not i.passed else "")
                 + ("\n    " + t("export.hint", hint=i.hint) if i.hint and not i.passed else "")
                 for i in q.items if i.status != "hidden"]
        if waiting(q):  # the one definition (grader/reviews.py): proposed points are not final
            lines.append(t("export.review_pending"))
        tests.append({"name": f"{q.id} {q.title}", "number": q.id, "score": q.points, "max_score": q.max_points,
                      "status": "passed" if q.status == "pass" else "failed", "output": "\n".join(lines),
                      "visibility": "visible"})
    return json.dumps({"score": student.points, "output": "\n".join(student.notes), "tests": tests,
                       "visibility": "visible", "stdout_visibility": "hidden"}, ensure_ascii=False, indent=1)


def lms_csv(result: ClassResult) -> str:
    """`Student ID,Total,Max` for an LMS gradebook import (UTF-8 with BOM, which Excel and most LMSs read)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["Student ID", "Total", "Max"])
    for s in result.students:
        writer.writerow([s.id, f"{s.points:g}", f"{s.max_points:g}"])
    return "\ufeff" + out.getvalue()
