"""Does a generated class grade like its samples? Compares a class run with the samples graded one by one.

    python benchmarks/make_class.py /tmp/c1000 --n 1000
    grade /tmp/c1000 --out /tmp/r1000 --workers 2
    python benchmarks/check_class.py /tmp/c1000 /tmp/r1000

Each student of the generated class must get, question by question and item by item, the points,
status and pass/fail of the sample it derives from (`expected.json`). Messages are not compared:
they name files and lines, which the variation moves. Exit 0 when every student matches.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent


def grade_signature(student: dict[str, Any]) -> dict[str, Any]:
    """What must be equal: total, status, and per question its points, status and items' outcomes."""
    return {
        "points": student["points"], "status": student["status"],
        "questions": {q["id"]: (q["points"], q["status"], tuple((i["id"], i["points"], i["passed"], i["status"])
                                                              for i in q["items"]))
                      for q in student["questions"]},
    }


def differences(a: dict[str, Any], b: dict[str, Any]) -> list[str]:
    """Where two signatures differ, in words."""
    out = []
    if a["points"] != b["points"] or a["status"] != b["status"]:
        out.append(f"total {a['points']} ({a['status']}) ≠ {b['points']} ({b['status']})")
    for qid in sorted(set(a["questions"]) | set(b["questions"])):
        qa, qb = a["questions"].get(qid), b["questions"].get(qid)
        if qa != qb:
            out.append(f"{qid}: {qa[:2] if qa else None} ≠ {qb[:2] if qb else None}"
                       + ("" if not (qa and qb) or qa[:2] != qb[:2] else " (items differ)"))
    return out


def grade_samples(samples: Path, ids: set[str], workers: int = 2) -> dict[str, dict[str, Any]]:
    """The samples graded as a class (their own fresh output folder), as result dicts."""
    from grader.classrun import grade_class
    from grader.cli import _options
    from grader.discover.submission import find_submissions
    from grader.model import to_dict
    from grader.rubric import load_rubric

    subs = [s for s in find_submissions(samples, single=False) if s.id in ids]
    missing = ids - {s.id for s in subs}
    if missing:
        raise SystemExit(f"Error: samples not found in {samples}: {', '.join(sorted(missing))}")
    with tempfile.TemporaryDirectory(prefix="samples-") as out:
        result = grade_class(subs, load_rubric(None), Path(out), options=_options("grade"), workers=workers, fresh=True)
    return {s.id: to_dict(s) for s in result.students}


def compare(class_dir: Path, results: dict[str, dict[str, Any]], samples: Path = REPO / "submissions",
            reference: dict[str, dict[str, Any]] | None = None) -> list[str]:
    """Mismatches between the generated students' results and their samples' (empty: all equal)."""
    expected: dict[str, str] = json.loads((class_dir / "expected.json").read_text("utf-8"))
    reference = reference or grade_samples(samples, set(expected.values()))
    problems = []
    for sid, sample in sorted(expected.items()):
        if sid not in results:
            problems.append(f"{sid}: not in the results")
            continue
        diff = differences(grade_signature(results[sid]), grade_signature(reference[sample]))
        if diff:
            problems.append(f"{sid} (from {sample}): " + "; ".join(diff))
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("class_dir", type=Path, help="the generated class (with expected.json)")
    parser.add_argument("reports", type=Path, help="the folder `grade CLASS --out` wrote (results.json)")
    parser.add_argument("--samples", type=Path, default=REPO / "submissions")
    args = parser.parse_args(argv)
    data = json.loads((args.reports / "results.json").read_text("utf-8"))
    problems = compare(args.class_dir, {s["id"]: s for s in data["students"]}, args.samples)
    for p in problems:
        print(p)
    n = len(json.loads((args.class_dir / "expected.json").read_text("utf-8")))
    print(f"{n - len(problems)} of {n} students graded exactly like their sample"
          + ("" if not problems else f"; {len(problems)} differ"))
    return 0 if not problems else 1


if __name__ == "__main__":
    sys.exit(main())
