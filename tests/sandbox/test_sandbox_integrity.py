"""What a submission prints is a log, never a result; a worker that dies is replaced by a fresh one."""

from __future__ import annotations

import numpy as np
import pytest

from grader.sandbox.client import WorkerFault

from sandbox_support import wait_until


def test_forged_protocol_frames_on_stdout_change_nothing(student, best_launcher):
    s = student("forged_stdout", best_launcher).setup()
    x = np.arange(9.0).reshape(1, 1, 3, 3)
    out = s.forward(s.convolution(), x)
    np.testing.assert_array_equal(out, x * 2)
    assert s.worker.faults == []
    log = s.worker.log()
    assert "123456" in log and "PASS 7.4.3.2" in log  # kept as the worker's log, for the report


@pytest.mark.parametrize("mode", ["exit0", "sysexit", "segfault", "abort"])
def test_crash_in_forward_is_a_fault_and_the_next_request_gets_a_fresh_worker(student, best_launcher, mode):
    s = student("crash", best_launcher).setup(mode=mode)
    conv = s.convolution()
    first = s.worker.current.proc
    with pytest.raises(WorkerFault) as caught:
        s.forward(conv)
    assert caught.value.kind == "crash"
    if mode == "segfault":
        assert "SIGSEGV" in caught.value.message
    elif mode == "abort":
        assert "SIGABRT" in caught.value.message
    assert first.poll() is not None and s.worker.current is None
    assert wait_until(lambda: not s.survivors(), 3)
    # A fresh worker: it answers, loads the submission again and makes objects.
    assert s.worker.request("hello")["numpy"] == np.__version__
    assert s.worker.starts == 2
    assert s.convolution() is not None
