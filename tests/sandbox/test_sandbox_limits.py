"""Memory and disk bombs: stopped by the limits, reported, and the worker (or a fresh one) answers again."""

from __future__ import annotations

import numpy as np
import pytest

from grader.sandbox import bubblewrap
from grader.sandbox.client import StudentError, WorkerFault

from sandbox_support import limits


def _stopped(s, conv):
    """Run the bomb; it must end in a reported error or fault, never in a value."""
    with pytest.raises((StudentError, WorkerFault)) as caught:
        s.forward(conv)
    return caught.value


@pytest.mark.parametrize("mode, memory", [("big", 2 << 30), ("grow", 512 << 20)])
def test_memory_bomb_is_stopped_and_reported(student, best_launcher, mode, memory):
    s = student("memory_bomb", best_launcher, limits(memory_bytes=memory)).setup(mode=mode)
    error = _stopped(s, s.convolution())
    if isinstance(error, StudentError):
        assert error.type_name == "MemoryError"
        assert "GiB" in error.message  # the report names the limit
    else:
        assert error.kind in ("memory", "crash")
    assert s.worker.request("hello")["numpy"] == np.__version__  # the grader carries on


def test_disk_bomb_is_stopped_by_the_file_size_limit(student, best_launcher):
    s = student("disk_bomb", best_launcher).setup(mode="file")
    error = _stopped(s, s.convolution())
    if isinstance(error, StudentError):  # Python ignores SIGXFSZ: the write fails with EFBIG
        assert error.type_name == "OSError" and "too large" in error.message.lower()
    else:
        assert error.kind == "crash" and "SIGXFSZ" in error.message
    assert (s.workdir / "big.bin").stat().st_size <= s.limits.file_bytes
    assert s.worker.request("hello")["numpy"] == np.__version__


def test_the_sandbox_tmp_is_small(student, sandbox_launcher):
    s = student("disk_bomb", sandbox_launcher).setup(mode="tmp")
    error = _stopped(s, s.convolution())
    if "--size" in bubblewrap._options():
        assert isinstance(error, StudentError) and error.type_name == "OSError"
        assert "no space" in error.message.lower()
