"""results.json and grades.csv: the contract's machine-readable outputs."""

from __future__ import annotations

import csv
import io
import json

from ..model import ClassResult, to_dict
from ..rubric import Rubric


def results_json(result: ClassResult) -> str:
    data = to_dict(result)
    for student in data["students"]:
        student.pop("fingerprint", None)
    return json.dumps(data, ensure_ascii=False, indent=1)


def grades_csv(result: ClassResult, rubric: Rubric) -> str:
    """One row per student: id, total, then the points of each question in rubric order."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    qids = [q.id for q in rubric.questions]
    writer.writerow(["id", "total", *qids])
    for s in result.students:
        by_id = {q.id: q.points for q in s.questions}
        writer.writerow([s.id, _num(s.points), *(_num(by_id.get(q, 0.0)) for q in qids)])
    return out.getvalue()


def _num(x: float) -> str:
    return f"{x:g}"
