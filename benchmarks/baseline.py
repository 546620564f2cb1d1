"""The yardstick of every benchmark: the start of `python -c "import numpy"`, measured in the same run.

Figures are printed as ratios to it, so they mean the same on a fast laptop and a loaded CI box.
Shared by bench_check.py and bench_class.py (run as scripts: this folder is on sys.path).
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def timed_run(argv: list[str], *, cwd: Path = REPO, ok: tuple[int, ...] = (0,)) -> tuple[float, int]:
    """Wall seconds and exit code of one subprocess (its output discarded)."""
    started = time.perf_counter()
    proc = subprocess.run(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    seconds = time.perf_counter() - started
    if proc.returncode not in ok:
        raise RuntimeError(f"{' '.join(argv)} exited {proc.returncode}:\n{proc.stderr.decode(errors='replace')[-2000:]}")
    return seconds, proc.returncode


def median_run(argv: list[str], runs: int, **kw: object) -> tuple[float, list[float]]:
    times = [timed_run(argv, **kw)[0] for _ in range(runs)]  # type: ignore[arg-type]
    return statistics.median(times), times


def numpy_start(runs: int = 7) -> tuple[float, list[float]]:
    """Median wall time of `python -c "import numpy"` (one warm-up run first: the page cache)."""
    argv = [sys.executable, "-c", "import numpy"]
    timed_run(argv)
    return median_run(argv, runs)


def machine_line() -> str:
    load = os.getloadavg()
    return (f"machine: {os.cpu_count()} CPUs, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} "
            f"(a load above the CPU count means other jobs shared the machine), Python {sys.version.split()[0]}")


def children_peak_mb() -> float:
    """Peak RSS of the largest finished child process so far (ru_maxrss is in KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def self_peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def verdict(value: float, goal: float) -> str:
    return "meets" if value <= goal else "MISSES"


def fmt_times(times: list[float]) -> str:
    return ", ".join(f"{t:.2f}" for t in times)


def process_tree(root: int) -> list[int]:
    """`root` and every process below it (a sandbox launcher runs the worker as its child)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as f:
                    ppid = int(f.read().rsplit(b")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    out, stack = [], [root]
    while stack:
        pid = stack.pop()
        out.append(pid)
        stack.extend(children.get(pid, []))
    return out
