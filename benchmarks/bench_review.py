"""How long a TA waits for one decision in `grade review`, for a class of N answer sheets.

    python benchmarks/bench_review.py --n 100 --decisions 20

Writes N answer sheets whose written answers are drawn from tests/fixtures/written_judged.toml,
grades them (`grade`), then times, in this process: a decision (`ReviewState.decide`: the
gradebook row, every student re-scored, the changed files rewritten) and a question's page, as
medians, with ratios to `python -c "import numpy"`.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
import tomllib
from pathlib import Path

from baseline import REPO, machine_line, numpy_start


def make_sheets(folder: Path, n: int, seed: int = 0) -> None:
    answers = tomllib.loads((REPO / "tests" / "fixtures" / "written_judged.toml").read_text("utf-8"))["answers"]
    by_question: dict[str, list[str]] = {}
    for a in answers:
        by_question.setdefault(a["question"], []).append(a["answer"])
    rng = random.Random(seed)
    folder.mkdir(parents=True)
    for k in range(n):
        parts = [f"# 과제 5 — student_{k:04d}\n"]
        for qid, texts in by_question.items():
            text = rng.choice(texts)
            if rng.random() < 0.5:
                text += rng.choice(["", " 이상입니다.", " (책 7장 참고)"])
            parts.append(f"## {qid}\n{text}\n")
        (folder / f"student_{k:04d}.md").write_text("\n".join(parts), "utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100)
    parser.add_argument("--decisions", type=int, default=20)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(REPO))
    from click.testing import CliRunner

    from grader.cli import main as grade
    from grader.review.app import _app_env  # noqa: F401 - imported before timing
    from grader.review.state import ReviewState
    from grader.review.view import entry_view
    from grader.rubric import load_rubric

    base, _ = numpy_start()
    print(machine_line())
    with tempfile.TemporaryDirectory() as tmp:
        cls, out = Path(tmp) / "class", Path(tmp) / "out"
        make_sheets(cls, args.n)
        started = time.perf_counter()
        result = CliRunner().invoke(grade, [str(cls), "--out", str(out), "-j", "2"])
        assert result.exit_code == 0, result.output
        print(f"graded {args.n} sheets in {time.perf_counter() - started:.1f} s")
        state = ReviewState(out, load_rubric(None), reviewer="bench")
        state.write()  # the first write renders every card once
        targets = [(s.id, q.id) for s in state.result.students for q in s.questions if q.review_state][:args.decisions]
        times = []
        for k, (sid, qid) in enumerate(targets):
            t0 = time.perf_counter()
            state.decide(sid, qid, 0 if k % 2 else state.question(sid, qid).max_points, "bench")
            times.append(time.perf_counter() - t0)
        pages = []
        env = _app_env("ko")
        for qid in ("7.7.1", "8.3.2", "7.2.3.1"):
            t0 = time.perf_counter()
            entries = [entry_view(state, members, g) for g, members in state.queue(qid, "all")]
            env.get_template("app_question.html").render(
                csrf="", nav=None, footer=None, state=state, questions=state.questions(), entries=entries,
                question=next(q for q in state.rubric.questions if q.id == qid), which="all", filters=(),
                previous=None, next=None, proposed=0)
            pages.append(time.perf_counter() - t0)
    d, p = statistics.median(times), statistics.median(pages)
    print(f"numpy import: {base:.3f} s")
    print(f"one decision, {args.n} students: median {d * 1000:.0f} ms ({d / base:.1f}×), max {max(times) * 1000:.0f} ms")
    print(f"a question's page, {args.n} answers: median {p * 1000:.0f} ms ({p / base:.1f}×)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
