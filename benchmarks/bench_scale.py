"""The scale run: a generated class of thousands graded by the CLI, memory watched, grades verified.

    python benchmarks/bench_scale.py --n 1000 --workers 2 [--seed 0] [--keep DIR]

Generates the class (make_class.py), runs `python -m grader.cli CLASS --out OUT --workers W --fresh`
while sampling the RSS of every process of the run twice a second (the grader, its pool, the
student-code workers and their sandboxes) and the peak (VmHWM) of the main process, then checks that every student got the grades of its
sample (check_class.py). Prints the time per submission (and as a ratio to the numpy start), the
time from the last student graded to every output written (the reports written after grading,
watch.py), the largest RSS of any one process, of the main process at the start, at its peak while
grading, at its peak overall and at the end (does it grow with the class?), and the largest total
of the whole tree.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import watch
from baseline import REPO, machine_line, numpy_start, process_tree


def _status_kb(pid: int, field: str = "VmRSS") -> int:
    """A memory figure of /proc/PID/status in KiB: VmRSS (now) or VmHWM (the peak so far)."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def _rss_kb(pid: int) -> int:
    return _status_kb(pid)


def report_line(watched: watch.Watched, base: float) -> str:
    """The time after the last student was graded: the reports the run still had to write."""
    if watched.reports is None:
        return "reports after grading: not measured (the progress or the done line was not seen on stderr)"
    return (f"reports after grading (last student graded → every output written): {watched.reports:.2f} s = "
            f"{watched.reports / base:.1f}× numpy start")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1000, help="submissions [1000]")
    parser.add_argument("--workers", type=int, default=2, help="--workers of the class run [2]")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--keep", type=Path, default=None, help="keep the class and the reports here")
    args = parser.parse_args(argv)
    from make_class import make_class

    scratch = Path(tempfile.mkdtemp(prefix="bench-scale-"))
    try:
        class_dir, out = scratch / "class", scratch / "reports"
        make_class(class_dir, args.n, seed=args.seed)
        print(machine_line())
        base, _ = numpy_start()
        argv_run = [sys.executable, "-m", "grader.cli", str(class_dir), "--out", str(out), "--workers", str(args.workers), "--fresh"]
        proc, watched = watch.start(argv_run, out, args.n, cwd=REPO)
        peak_one = peak_total = 0
        main_rss: list[int] = []
        grading_peak = 0  # the main process while its pool is alive (afterwards it writes the reports)
        main_hwm = 0  # its VmHWM: the peak between two samples too (up to the last sample before it exits)
        while proc.poll() is None:
            pids = process_tree(proc.pid)
            sizes = [_rss_kb(p) for p in pids]
            peak_one, peak_total = max(peak_one, max(sizes, default=0)), max(peak_total, sum(sizes))
            main_rss.append(_rss_kb(proc.pid))
            main_hwm = max(main_hwm, _status_kb(proc.pid, "VmHWM"))
            if len(pids) > 1:
                grading_peak = max(grading_peak, main_hwm)
            time.sleep(0.5)
        try:
            watch.finish(proc, watched)
        except RuntimeError as exc:
            print(f"Error: {exc}", file=sys.stderr)
            return 1
        seconds = watched.seconds
        per = seconds / args.n
        rss = [r for r in main_rss if r]
        print(f"{args.n} submissions, {args.workers} workers: {seconds:.0f} s, {per:.3f} s per submission = "
              f"{per / base:.1f}× numpy start ({base:.3f} s)")
        print(report_line(watched, base))
        print(f"memory (RSS sampled every 0.5 s; the main process's peaks are its VmHWM): largest process {peak_one / 1024:.0f} MB, whole run at most "
              f"{peak_total / 1024:.0f} MB; main process {rss[0] / 1024 if rss else 0:.0f} MB at the start, "
              f"{max(main_hwm, max(rss, default=0)) / 1024:.0f} MB at most ({grading_peak / 1024:.0f} MB at most while grading, the rest "
              f"while writing the reports), {rss[-1] / 1024 if rss else 0:.0f} MB at the end")
        from check_class import compare

        data = json.loads((out / "results.json").read_text("utf-8"))
        problems = compare(class_dir, {s["id"]: s for s in data["students"]})
        print(f"verify: {args.n - len(problems)} of {args.n} students graded exactly like their sample")
        for p in problems[:20]:
            print("  " + p)
        if args.keep:
            shutil.rmtree(args.keep, ignore_errors=True)
            shutil.move(str(scratch), args.keep)
            print(f"class and reports kept in {args.keep}")
        return 0 if not problems else 1
    finally:
        if not args.keep:
            shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
