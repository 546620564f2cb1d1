"""The sandbox's start overhead: start a worker and get its `hello`, plainly and in bubblewrap.

    python benchmarks/sandbox_overhead.py [--runs 10]

Prints the mean (and median) time of each, in seconds and as a ratio to `python -c "import numpy"`
measured in the same run (the floor: a worker is a Python that imports numpy), and the extra time a
bubblewrap start costs over a plain one.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from grader.sandbox import bubblewrap  # noqa: E402
from grader.sandbox.client import Worker  # noqa: E402
from grader.sandbox.launch import Launcher, plain_launcher  # noqa: E402


def time_numpy() -> float:
    t = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import numpy"], check=True)  # noqa: S603
    return time.perf_counter() - t


def time_hello(launcher: Launcher) -> float:
    root = Path(tempfile.mkdtemp(prefix="grade-bench-"))
    workdir = root / "submission"
    workdir.mkdir()
    worker = Worker(workdir, launcher=launcher)
    try:
        t = time.perf_counter()
        worker.request("hello")
        return time.perf_counter() - t
    finally:
        worker.cleanup()
        shutil.rmtree(root, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    runs = parser.parse_args().runs
    cases: dict[str, Callable[[], float]] = {
        'python -c "import numpy"': time_numpy,
        "plain launcher: start + hello": lambda: time_hello(plain_launcher),
    }
    if bubblewrap.available():
        best = bubblewrap.flavor()
        cases[f"bubblewrap ({best}): start + hello"] = lambda: time_hello(bubblewrap.bubblewrap_launcher)
        other = "userns" if best == "drop" else "drop"
        if bubblewrap.works(other):  # the one-time probes are not part of any start
            cases[f"bubblewrap ({other}): start + hello"] = lambda: time_hello(bubblewrap.launcher(other))
    else:
        print(f"bubblewrap is not usable here ({bubblewrap.why_not}): plain only")
    for measure in cases.values():  # warm the file cache
        measure()
    times: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(runs):  # interleaved, so a change in the machine's load touches every case alike
        for name, measure in cases.items():
            times[name].append(measure())
    names = list(cases)
    base = statistics.mean(times[names[0]])
    print(f"{runs} runs each, interleaved; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(f"{'':38} {'mean s':>8} {'median s':>9} {'mean/numpy':>11}")
    for name in names:
        mean = statistics.mean(times[name])
        print(f"{name:38} {mean:8.4f} {statistics.median(times[name]):9.4f} {mean / base:11.2f}")
    plain = statistics.mean(times[names[1]])
    for name in names[2:]:
        extra = statistics.mean(times[name]) - plain
        print(f"{name}: {extra * 1000:+.1f} ms per worker start over plain ({extra / plain:+.0%})")


if __name__ == "__main__":
    main()
