"""The student's self-check, timed: `grade check` on a correct and on a buggy submission.

    python benchmarks/bench_check.py [--runs 5] [--breakdown] [--profile out.prof]

Prints, for this machine, the median wall time of `python -c "import numpy"` and of
`python -m grader.cli check PATH` (a fresh process each run, as a student runs it), in seconds
and as ratios to the numpy start, against the goals: ≤ 25× (issue 3) and ≤ 10× (issue 7).
`--breakdown` also grades both in this process with the instrumentation (benchmarks/instrument.py);
`--profile FILE` runs cProfile over an in-process self-check of the correct submission.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import tempfile
from pathlib import Path

from baseline import REPO, fmt_times, machine_line, median_run, numpy_start, verdict

GOALS = {"issue 3": 25.0, "issue 7": 10.0}


def cli_check(path: Path) -> list[str]:
    return [sys.executable, "-m", "grader.cli", "check", str(path)]


def breakdown(paths: dict[str, Path]) -> None:
    import instrument

    import grader.runner as runner
    from grader.cli import _options
    from grader.discover.submission import find_submissions
    from grader.rubric import load_rubric

    log = Path(tempfile.mkdtemp(prefix="bench-check-"))
    instrument.install(log)  # wraps runner.grade_submission: look it up after this
    rubric, options = load_rubric(None), _options("check")
    for label, path in paths.items():
        for f in log.glob("*.jsonl"):
            f.unlink()
        runner.grade_submission(find_submissions(path, single=True)[0], rubric, options)
        records = instrument.read_records(log)
        print(f"\nbreakdown of the {label} self-check in one process ({path.name}, "
              f"{records[0]['starts']} worker start(s), worker peak {records[0]['worker_peak_kb'] / 1024:.0f} MB):")
        for phase, mean, share, trips in instrument.summarise(records):
            print(f"  {phase:26} {mean:6.3f} s  {share:5.1%}" + (f"  {trips:4.0f} round trips" if trips else ""))


def profile(path: Path, out: Path) -> None:
    from grader.cli import _options
    from grader.discover.submission import find_submissions
    from grader.rubric import load_rubric
    from grader.runner import grade_submission

    rubric, options = load_rubric(None), _options("check")
    sub = find_submissions(path, single=True)[0]
    prof = cProfile.Profile()
    prof.runcall(grade_submission, sub, rubric, options)
    prof.dump_stats(out)
    text = io.StringIO()
    stats = pstats.Stats(prof, stream=text).strip_dirs().sort_stats("cumulative")
    stats.print_stats(30)
    print(f"\ncProfile of an in-process self-check of {path.name} (top 30 by cumulative time; full: {out}):")
    print("\n".join(text.getvalue().splitlines()[:60]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="runs of each command; the median is reported [5]")
    parser.add_argument("--correct", type=Path, default=REPO / "submissions" / "kim_minji")
    parser.add_argument("--buggy", type=Path, default=REPO / "submissions" / "jung_haeun.py")
    parser.add_argument("--breakdown", action="store_true", help="also time the pieces of each self-check")
    parser.add_argument("--profile", type=Path, default=None, help="write a cProfile of the correct self-check here")
    args = parser.parse_args(argv)
    if args.runs < 3:
        parser.error(f"--runs={args.runs} is too few for a median; give 3 or more")
    for path in (args.correct, args.buggy):
        if not path.exists():
            parser.error(f"{path} does not exist")

    print(machine_line())
    base, base_times = numpy_start(max(args.runs, 7))
    print(f"numpy start   python -c 'import numpy'      median {base:.3f} s  (runs: {fmt_times(base_times)})")
    imports, imp_times = median_run([sys.executable, "-c", "import grader.runner, grader.report.terminal"], args.runs)
    print(f"grader import python -c 'import grader.runner' median {imports:.3f} s = {imports / base:.1f}×  "
          f"(runs: {fmt_times(imp_times)})")
    rows = []
    for label, path, code in (("correct", args.correct, 0), ("buggy", args.buggy, 1)):
        med, times = median_run(cli_check(path), args.runs, ok=(code,))
        rows.append((label, path, med))
        print(f"grade check   {label:8} {path.name:18} median {med:.3f} s = {med / base:.1f}× numpy start  "
              f"(runs: {fmt_times(times)}; exit {code})")
    print("goals (self-check time / numpy start):")
    for label, _path, med in rows:
        ratio = med / base
        print(f"  {label:8} {ratio:5.2f}×  " + "  ".join(f"{issue} ≤ {goal:g}×: {verdict(ratio, goal)}"
                                                     for issue, goal in GOALS.items()))
    if args.breakdown:
        breakdown({"correct": args.correct, "buggy": args.buggy})
    if args.profile:
        profile(args.correct, args.profile)
    return 0


if __name__ == "__main__":
    sys.exit(main())
