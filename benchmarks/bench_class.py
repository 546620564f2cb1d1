"""A class run, timed: seconds per submission for 1 and for 2 workers, where they go, and peak memory.

    python benchmarks/bench_class.py [--n 20] [--seed 0] [--workers 1 2] [--runs 3] [--class DIR] [--verify]

1. `python -m grader.cli CLASS --out FRESH --workers W --fresh` on a generated class (make_class.py),
   a fresh output folder each run: the median wall time per submission, in seconds and as a ratio to
   `python -c "import numpy"`, against the goals with two workers: ≤ 8× (issue 3), ≤ 3× (issue 7);
   and the time from its last student graded to every output written (the reports written after
   grading, watch.py).
2. The same class graded once in this process with the instrumentation (instrument.py), for each
   worker count: the breakdown per submission (plan, copy, worker start, loading the submission,
   each question's checks in the grader and in the worker, saving the result and writing its card
   in the grading process, the reports written at the end) and the peak memory (RSS)
   of the student-code worker, of each grading process and of this (the main) process; goal < 300 MB.
`--verify` also checks that every generated student got the grades of its sample (check_class.py).
`--dask` also grades the class through the Dask backend on a LocalCluster of 2 worker processes
(1 thread each) and reports its time per submission (cluster start excluded) and its grades.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import watch
from baseline import REPO, fmt_times, machine_line, numpy_start, verdict

GOALS = {"issue 3": 8.0, "issue 7": 3.0}
MEMORY_GOAL_MB = 300


def cli_runs(class_dir: Path, n: int, workers: int, runs: int, scratch: Path) -> tuple[list[float], list[float]]:
    """Seconds per submission of each run, and the seconds each spent after its last student (watch.py)."""
    times, tails = [], []
    for r in range(runs):
        out = scratch / f"cli-w{workers}-r{r}"
        argv = [sys.executable, "-m", "grader.cli", str(class_dir), "--out", str(out), "--workers", str(workers), "--fresh"]
        watched = watch.run(argv, out, n, cwd=REPO)
        times.append(watched.seconds / n)
        if watched.reports is not None:
            tails.append(watched.reports)
        if r < runs - 1:
            shutil.rmtree(out, ignore_errors=True)
    return times, tails


def instrumented(class_dir: Path, workers: int, scratch: Path) -> dict:
    """One in-process class run with the instrumentation: records per submission, report time, peaks."""
    import instrument

    import grader.classrun as classrun
    from grader.cli import _options
    from grader.discover.submission import find_submissions
    from grader.rubric import load_rubric

    log = scratch / f"log-w{workers}"
    instrument.install(log)
    original_keep = classrun._keep

    def keep(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202 - saving a student and writing its card, timed
        t0 = time.perf_counter()
        try:
            return original_keep(*args, **kwargs)
        finally:  # in the grading process (the pool's processes inherit this wrapper): one line per student
            with open(log / f"keep-{os.getpid()}.txt", "a", encoding="utf-8") as f:
                f.write(json.dumps([time.perf_counter() - t0, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss]) + "\n")

    classrun._keep = keep
    try:
        subs = find_submissions(class_dir, single=False)
        rubric, options = load_rubric(None), _options("grade")
        out = scratch / f"inproc-w{workers}"
        t0 = time.perf_counter()
        result = classrun.grade_class(subs, rubric, out, options=options, workers=workers, fresh=True)
        graded = time.perf_counter() - t0
        t1 = time.perf_counter()
        classrun.write_outputs(result, rubric, out)
        reports = time.perf_counter() - t1
    finally:
        classrun._keep = original_keep
    records = instrument.read_records(log)
    kept = [json.loads(line) for path in sorted(log.glob("keep-*.txt")) for line in path.read_text("utf-8").splitlines()]
    return {"n": len(subs), "records": records, "graded": graded, "reports": reports,
            "keep": sum(k[0] for k in kept), "keep_peak_kb": max((k[1] for k in kept), default=0),
            "main_peak_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, "results": result}


def print_breakdown(run: dict, workers: int, base: float) -> None:
    import instrument

    n, records = run["n"], run["records"]
    print(f"\nbreakdown per submission, {workers} worker(s), in-process run of {n} submissions "
          f"({run['graded'] / n:.2f} s wall per submission while grading = {run['graded'] / n / base:.1f}× numpy start):")
    print(f"  {'phase':26} {'s/sub':>7} {'share':>6}  round trips/sub")
    for phase, mean, share, trips in instrument.summarise(records):
        print(f"  {phase:26} {mean:7.3f} {share:6.1%}" + (f"  {trips:5.0f}" if trips else ""))
    print(f"  {'save + card (grading)':26} {run['keep'] / n:7.3f}   (the student's result saved and its card written, "
          f"in the process that graded it)")
    print(f"  {'reports (write_outputs)':26} {run['reports'] / n:7.3f}   ({run['reports']:.2f} s for the class)")
    starts = statistics.mean(r["starts"] for r in records) if records else 0
    worker_peak = max((r["worker_peak_kb"] for r in records), default=0) / 1024
    grader_peak = max([r["grader_peak_kb"] for r in records] + [run["keep_peak_kb"]]) / 1024
    main_peak = run["main_peak_kb"] / 1024
    print(f"  worker starts per submission: {starts:.2f}")
    print(f"peak memory (VmHWM / ru_maxrss): student-code worker {worker_peak:.0f} MB, grading process "
          f"{grader_peak:.0f} MB, main process {main_peak:.0f} MB — goal < {MEMORY_GOAL_MB} MB per worker: "
          f"{'meets' if max(worker_peak, grader_peak) < MEMORY_GOAL_MB else 'MISSES'}")


def dask_run(class_dir: Path, workers: int) -> tuple[float, dict]:
    """Seconds per submission through grade_with_dask on a LocalCluster (started before the clock)."""
    from distributed import LocalCluster

    from grader.backends.dask_backend import grade_with_dask
    from grader.cli import _options
    from grader.discover.submission import find_submissions
    from grader.rubric import load_rubric

    subs = find_submissions(class_dir, single=False)
    rubric, options = load_rubric(None), _options("grade")
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0",
                      silence_logs=50) as cluster:
        t0 = time.perf_counter()
        results = {}
        for sub, outcome in grade_with_dask(subs, rubric, options, cluster.scheduler_address):
            if isinstance(outcome, Exception):
                raise RuntimeError(f"{sub.id}: {outcome!r}")
            results[sub.id] = outcome
        seconds = time.perf_counter() - t0
    return seconds / len(subs), results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=20, help="submissions in the generated class [20]")
    parser.add_argument("--seed", type=int, default=0, help="seed of the generated class [0]")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="worker counts to time [1 2]")
    parser.add_argument("--runs", type=int, default=3, help="CLI runs per worker count; the median is reported [3]")
    parser.add_argument("--class", dest="class_dir", type=Path, default=None,
                        help="grade this class folder instead of generating one")
    parser.add_argument("--no-breakdown", action="store_true", help="skip the instrumented in-process runs")
    parser.add_argument("--verify", action="store_true", help="check every student's grades against its sample")
    parser.add_argument("--dask", action="store_true", help="also time the Dask backend on a LocalCluster")
    parser.add_argument("--keep", type=Path, default=None, help="keep the class and the reports in this folder")
    args = parser.parse_args(argv)
    if args.runs < 1 or args.n < 1:
        parser.error("--runs and --n must be at least 1")

    scratch = Path(tempfile.mkdtemp(prefix="bench-class-", dir=args.keep.parent if args.keep else None))
    try:
        class_dir = args.class_dir
        if class_dir is None:
            from make_class import make_class

            class_dir = scratch / "class"
            make_class(class_dir, args.n, seed=args.seed)
        from grader.discover.submission import find_submissions

        # The students graded (expected.json, beside them, is listed by the run as not gradable, not timed).
        n = sum(not s.problem for s in find_submissions(class_dir, single=False))
        print(machine_line())
        base, base_times = numpy_start()
        print(f"numpy start: median {base:.3f} s (runs: {fmt_times(base_times)})")
        print(f"class: {class_dir} ({n} submissions); `grade CLASS --out FRESH --workers W --fresh`, {args.runs} run(s) each")
        medians = {}
        for w in args.workers:
            times, tails = cli_runs(class_dir, n, w, args.runs, scratch)
            medians[w] = statistics.median(times)
            print(f"  {w} worker(s): median {medians[w]:.3f} s per submission = {medians[w] / base:.1f}× numpy start "
                  f"(runs, s/sub: {fmt_times(times)})")
            if tails:
                tail = statistics.median(tails)
                print(f"    reports after grading (last student graded → every output written): median {tail:.2f} s = "
                      f"{tail / base:.1f}× numpy start (runs, s: {fmt_times(tails)})")
        if 2 in medians:
            ratio = medians[2] / base
            print("goals (class time per submission with 2 workers / numpy start): " + f"{ratio:.1f}×  "
                  + "  ".join(f"{issue} ≤ {goal:g}×: {verdict(ratio, goal)}" for issue, goal in GOALS.items()))
        last_run = None
        if not args.no_breakdown:
            for w in args.workers:
                last_run = instrumented(class_dir, w, scratch)
                print_breakdown(last_run, w, base)
        if args.verify:
            from check_class import compare

            if (class_dir / "expected.json").exists():
                if last_run is not None:
                    from grader.model import to_dict

                    results = {s.id: to_dict(s) for s in last_run["results"].students}
                else:
                    last_out = scratch / f"cli-w{args.workers[-1]}-r{args.runs - 1}"
                    data = json.loads((last_out / "results.json").read_text("utf-8"))
                    results = {s["id"]: s for s in data["students"]}
                problems = compare(class_dir, results)
                print(f"\nverify: {n - len(problems)} of {n} students graded exactly like their sample")
                for p in problems[:20]:
                    print("  " + p)
            else:
                print("\nverify: no expected.json in the class folder; nothing to compare")
        if args.dask:
            per_sub, dask_results = dask_run(class_dir, 2)
            print(f"\ndask backend, LocalCluster of 2 worker processes: {per_sub:.3f} s per submission = "
                  f"{per_sub / base:.1f}× numpy start (cluster start excluded)")
            if (class_dir / "expected.json").exists():
                from check_class import compare

                problems = compare(class_dir, dask_results)
                print(f"verify (dask): {n - len(problems)} of {n} students graded exactly like their sample")
                for p in problems[:20]:
                    print("  " + p)
        if args.keep:
            shutil.rmtree(args.keep, ignore_errors=True)
            shutil.move(str(scratch), args.keep)
            print(f"\nclass and reports kept in {args.keep}")
    finally:
        if not args.keep:
            shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
