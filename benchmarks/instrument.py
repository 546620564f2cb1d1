"""Where a submission's time goes: wrappers around the grader's pieces, installed by the benchmarks only.

`install(log_dir)` wraps functions of `grader.runner` and `grader.sandbox` (the grader itself is
not changed). Each graded submission appends one JSON line to `<log_dir>/<pid>.jsonl`:

    {"id", "total", "seconds": {phase: exclusive seconds}, "requests": {phase: round trips},
     "starts", "worker_peak_kb", "grader_peak_kb"}

Phases: plan (discovery, plan), copy (private copy), worker start (process start until its first
answer: interpreter and numpy import), load (loading the submission's programs), `Q <id>` (the
question's checks in the grader process: Hypothesis, oracles, numerical gradients) and
`Q <id> ↳ worker` (its round trips: wire and the student's compute), cleanup, other.
Works in the pool's forked processes too: the wrappers are inherited.
"""

from __future__ import annotations

import json
import os
import resource
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator

from baseline import process_tree

import grader.classrun as classrun
import grader.runner as runner
from grader.sandbox.client import Worker
from grader.sandbox.session import Session


class _Clock:
    """Exclusive time per phase: a nested phase's time is not counted again in its parent."""

    def __init__(self) -> None:
        self.stack: list[list[Any]] = []  # [label, started, child seconds]
        self.seconds: dict[str, float] = {}
        self.requests: dict[str, int] = {}
        self.starts = 0
        self.worker_peak_kb = 0

    @contextmanager
    def phase(self, label: str) -> Iterator[None]:
        frame = [label, time.perf_counter(), 0.0]
        self.stack.append(frame)
        try:
            yield
        finally:
            self.stack.pop()
            spent = time.perf_counter() - frame[1]
            self.seconds[label] = self.seconds.get(label, 0.0) + spent - frame[2]
            if self.stack:
                self.stack[-1][2] += spent

    def top(self) -> str:
        return self.stack[-1][0] if self.stack else "other"


_clock = _Clock()
_log_dir: Path | None = None
_installed = False


def _wrap(owner: Any, name: str, make: Callable[[Callable[..., Any]], Callable[..., Any]]) -> None:
    original = getattr(owner, name)
    setattr(owner, name, make(original))


def _timed(label: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def make(fn: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with _clock.phase(label):
                return fn(*args, **kwargs)
        return wrapper
    return make


def _vm_hwm_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def _tree_peak_kb(root: int) -> int:
    """The largest VmHWM in the process tree under `root` (a sandbox launcher runs the worker as its child)."""
    return max((_vm_hwm_kb(pid) for pid in process_tree(root)), default=0)


def install(log_dir: Path) -> None:
    """Wrap the grader's pieces; every graded submission then logs its breakdown into `log_dir`."""
    global _log_dir, _installed
    _log_dir = Path(log_dir)
    _log_dir.mkdir(parents=True, exist_ok=True)
    if _installed:
        return
    _installed = True

    _wrap(runner, "make_plan", _timed("plan"))
    import grader.sandbox.client as client

    _wrap(client, "copy_submission", _timed("copy"))  # called by the Workspace the runner starts
    _wrap(Session, "load", _timed("load"))
    _wrap(Worker, "cleanup", _timed("cleanup"))

    def start(fn: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(self: Worker, *args: Any, **kwargs: Any) -> Any:
            with _clock.phase("worker start"):
                wp = fn(self, *args, **kwargs)
                _clock.starts += 1
                try:  # the start is paid by the first request: pay it here, with a no-op
                    self.request("hello", {}, timeout=self.limits.load_seconds)
                except BaseException:  # noqa: BLE001 - a worker that fails to start fails the real request too
                    pass
                return self.current or wp
        return wrapper

    def stop(fn: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(self: Worker, *args: Any, **kwargs: Any) -> Any:
            if self.current is not None:
                _clock.worker_peak_kb = max(_clock.worker_peak_kb, _tree_peak_kb(self.current.proc.pid))
            return fn(self, *args, **kwargs)
        return wrapper

    def request(fn: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(self: Worker, op: str, *args: Any, **kwargs: Any) -> Any:
            parent = _clock.top()
            if parent.startswith("Q "):
                label = parent + " ↳ worker"
                _clock.requests[label] = _clock.requests.get(label, 0) + 1
                with _clock.phase(label):
                    return fn(self, op, *args, **kwargs)
            _clock.requests[parent] = _clock.requests.get(parent, 0) + 1
            return fn(self, op, *args, **kwargs)
        return wrapper

    _wrap(Worker, "start", start)
    _wrap(Worker, "stop", stop)
    _wrap(Worker, "request", request)
    _wrap(Worker, "batch", request)  # a batch of examples is one round trip

    def question(fn: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(q: Any, *args: Any, **kwargs: Any) -> Any:  # one item; its question's items add up
            with _clock.phase(f"Q {q.id}"):
                return fn(q, *args, **kwargs)
        return wrapper

    _wrap(runner, "_grade_item", question)

    def grade(fn: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(sub: Any, *args: Any, **kwargs: Any) -> Any:
            global _clock
            _clock = _Clock()
            started = time.perf_counter()
            with _clock.phase("other"):
                result = fn(sub, *args, **kwargs)
            record = {"id": sub.id, "total": time.perf_counter() - started, "seconds": _clock.seconds,
                      "requests": _clock.requests, "starts": _clock.starts, "worker_peak_kb": _clock.worker_peak_kb,
                      "grader_peak_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}
            if _log_dir is not None:
                with open(_log_dir / f"{os.getpid()}.jsonl", "a", encoding="utf-8") as f:
                    f.write(json.dumps(record) + "\n")
            return result
        return wrapper

    graded = grade(runner.grade_submission)
    runner.grade_submission = graded
    classrun.grade_submission = graded  # grade_class and its pool call it by this name


def read_records(log_dir: Path) -> list[dict[str, Any]]:
    records = []
    for path in sorted(Path(log_dir).glob("*.jsonl")):
        for line in path.read_text("utf-8").splitlines():
            if line.strip():
                records.append(json.loads(line))
    return records


def summarise(records: list[dict[str, Any]]) -> list[tuple[str, float, float, float]]:
    """(phase, mean seconds per submission, share of the total, mean round trips) in order of appearance."""
    n = max(len(records), 1)
    order: list[str] = []
    for r in records:
        for label in r["seconds"]:
            if label not in order:
                order.append(label)
    fixed = ["plan", "copy", "worker start", "load"]
    order = [p for p in fixed if p in order] + sorted(p for p in order if p not in fixed + ["cleanup", "other"]) + \
        [p for p in ("cleanup", "other") if p in order]
    total = sum(sum(r["seconds"].values()) for r in records) / n or 1.0
    rows = []
    idle: list[str] = []
    for label in order:
        mean = sum(r["seconds"].get(label, 0.0) for r in records) / n
        trips = sum(r["requests"].get(label, 0) for r in records) / n
        if label.startswith("Q ") and mean < 0.001 and not trips:
            idle.append(label)  # a question with no checks in this mode (written answers, drawings)
            continue
        rows.append((label, mean, mean / total, trips))
    if idle:
        mean = sum(sum(r["seconds"].get(q, 0.0) for q in idle) for r in records) / n
        rows.insert(len(rows) - sum(p in ("cleanup", "other") for p in order),
                    (f"Q ({len(idle)} other questions)", mean, mean / total, 0.0))
    return rows
