"""Processes a submission starts: bounded, and none outlives the grading of that submission."""

from __future__ import annotations

import time

import numpy as np
import pytest

from grader.sandbox import bubblewrap
from grader.sandbox.client import WorkerFault

from sandbox_support import limits, marked, sandboxed, wait_until


def test_fork_swarm_is_contained_and_reaped(student, best_launcher):
    s = student("fork_swarm", best_launcher).setup(count=200, seconds=60)
    started = s.forward(s.convolution())
    assert started >= 1
    # The swarm is really there (so the check below would see survivors)...
    assert wait_until(lambda: len(s.survivors()) >= min(started, 20), 5)
    if sandboxed(best_launcher) and bubblewrap.flavor() == "drop":
        # ...and, run by its own unprivileged uid, held by the process limit.
        assert started < s.limits.processes
    s.worker.stop()
    assert wait_until(lambda: not s.survivors(), 5), f"left running: {s.survivors()}"


def test_daemon_cannot_outlive_its_grading(student, sandbox_launcher):
    s = student("daemon", sandbox_launcher)
    late = s.workdir / "late.txt"  # its own copy: visible out here, so only the kill can stop this one
    targets = [s.reports / "results.json", late, s.original / "late.txt"]
    s.setup(delay=3, targets=[str(t) for t in targets])
    x = np.ones((1, 1, 3, 3))
    started = time.monotonic()
    np.testing.assert_array_equal(s.forward(s.convolution(), x), x)
    assert wait_until(lambda: bool(marked(s.marker)), 2), "the daemon did not start"
    s.worker.stop()  # what the grader does when it is done with the submission
    assert wait_until(lambda: not s.survivors(), 2), f"left running: {s.survivors()}"
    time.sleep(max(0.0, started + 4 - time.monotonic()))
    assert not late.exists() and not (s.original / "late.txt").exists()
    assert s.untouched() == {"original": True, "classmate": True, "reports": True}


def test_ignoring_sigterm_in_an_endless_loop_times_out(student, best_launcher):
    s = student("sigterm_loop", best_launcher, limits(call_seconds=2)).setup()
    conv = s.convolution()
    process = s.worker.current.proc
    started = time.monotonic()
    with pytest.raises(WorkerFault) as caught:
        s.forward(conv)
    assert caught.value.kind == "timeout"
    assert time.monotonic() - started < 2 + 6
    assert process.poll() is not None  # killed and reaped
    assert s.worker.current is None
    assert wait_until(lambda: not s.survivors(), 3), f"left running: {s.survivors()}"
    # The next request gets a fresh worker.
    assert s.worker.request("hello")["numpy"] == np.__version__
    assert s.worker.starts == 2
