"""What a sandboxed submission can see and reach: its own copy, numpy, nothing of the grader's or classmates'."""

from __future__ import annotations

import os
import select
import socket
from pathlib import Path

import numpy as np
import pytest

from grader.sandbox import bubblewrap
from grader.sandbox.launch import plain_launcher

from sandbox_support import REPO, naive_convolution


@pytest.mark.parametrize("which", ["best", "plain"])
def test_honest_submission_loads_and_answers(student, best_launcher, which):
    launcher = best_launcher if which == "best" else plain_launcher
    s = student("honest", launcher).setup()
    hello = s.worker.request("hello")
    assert hello["numpy"] == np.__version__
    rng = np.random.default_rng(5)
    W, b = rng.standard_normal((3, 2, 3, 3)), rng.standard_normal(3)
    x = rng.standard_normal((2, 2, 7, 6))
    conv = s.convolution(W, b, stride=2, pad=1)
    out = s.forward(conv, x)
    np.testing.assert_allclose(out, naive_convolution(x, W, b, 2, 1), rtol=1e-12, atol=1e-12)
    assert s.worker.log() == ""  # nothing went wrong starting Python and numpy in the sandbox


def test_honest_submission_in_each_flavor(student, flavor_launcher):
    s = student("honest", flavor_launcher).setup()
    x = np.arange(16.0).reshape(1, 1, 4, 4)
    out = s.forward(s.convolution(), x)
    np.testing.assert_array_equal(out, naive_convolution(x, np.ones((1, 1, 2, 2)), np.zeros(1), 1, 0))


def test_reference_rubric_and_classmates_are_invisible(student, flavor_launcher):
    a5 = REPO / "assignments" / "a5_cnn"
    secrets = [a5 / "reference" / "layers.py", a5 / "reference", a5 / "rubric.toml", a5 / "checks", REPO / "grader" / "checks",
               REPO / "pyproject.toml"]
    assert (a5 / "reference" / "layers.py").is_file() and (a5 / "rubric.toml").is_file()  # they exist out here
    s = student("read_secrets", flavor_launcher)
    worker_py = REPO / "grader" / "sandbox" / "worker.py"
    worker_bytes = worker_py.read_bytes()
    extra = [REPO / "submissions", REPO / "reports"]
    reads = [*secrets, *[p for p in extra if p.exists()], s.classmate / "solution.py", s.classmate, s.original,
             s.reports / "results.json", Path("/home"), Path("/var/log"), Path("/run"), Path("/sys/kernel"),
             Path("/etc/shadow"), Path("/etc/ssh")]
    writes = [worker_py, REPO / "reports" / f"{s.marker}.txt", s.reports / "results.json",
              s.classmate / "solution.py", s.original / "solution.py", Path("/usr") / f"{s.marker}.txt",
              Path("/etc/passwd"), Path("/tmp") / f"{s.marker}.txt"]
    s.setup(read=[str(p) for p in reads], write=[str(p) for p in writes], pids=[os.getpid()])
    out = s.forward(s.convolution())

    for path in reads:
        assert out[f"read {path}"] == "FileNotFoundError", (path, out[f"read {path}"])
    for path in writes[:-1]:
        assert out[f"write {path}"] != "ok", path
    # Only the sandbox's own /tmp is writable outside the copy, and it is not the machine's.
    assert out[f"write /tmp/{s.marker}.txt"] == "ok"
    assert not (Path("/tmp") / f"{s.marker}.txt").exists()
    assert not (REPO / "reports" / f"{s.marker}.txt").exists()
    assert not (Path("/usr") / f"{s.marker}.txt").exists()
    assert worker_py.read_bytes() == worker_bytes  # the entry point was not rewritten
    assert "rewritten" not in Path("/etc/passwd").read_text()
    # Its own copy is writable; the original submission, the classmate and the reports are untouched.
    assert out["write own copy"] == "ok"
    assert "rewritten by a student" in (s.workdir / "solution.py").read_text()
    assert s.untouched() == {"original": True, "classmate": True, "reports": True}
    # The grader's processes cannot even be named (a pid namespace of its own).
    assert out[f"signal {os.getpid()}"] == "ProcessLookupError"


def test_no_connection_leaves_the_sandbox(student, flavor_launcher, tmp_path):
    s = student("network", flavor_launcher)
    tcp = socket.socket()
    tcp.bind(("127.0.0.1", 0))
    tcp.listen(8)
    port = tcp.getsockname()[1]
    unix_path = str(tmp_path / "grader.sock")
    unix = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    unix.bind(unix_path)
    unix.listen(8)
    abstract = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    abstract.bind("\0" + s.marker)
    abstract.listen(8)
    listeners = [tcp, unix, abstract]
    try:
        s.setup(tcp=[["127.0.0.1", port], ["1.1.1.1", 80]], unix=[unix_path], abstract=[s.marker])
        out = s.forward(s.convolution())
        assert all(v != "connected" for k, v in out.items() if k != "dns"), out
        assert out["dns"] != "resolved"
        ready, _, _ = select.select(listeners, [], [], 0.3)
        assert ready == [], "a listener outside the sandbox saw a connection"
    finally:
        for sock in listeners:
            sock.close()


def test_available_is_remembered():
    first = bubblewrap.available()
    before = bubblewrap.flavor.cache_info()
    assert bubblewrap.available() is first
    after = bubblewrap.flavor.cache_info()
    assert (after.hits, after.misses) == (before.hits + 1, before.misses)  # no second probe


def test_kernel_knobs_and_the_sandbox_root_are_read_only(student, flavor_launcher):
    s = student("kernel_knobs", flavor_launcher).setup()
    out = s.forward(s.convolution())
    for key in ("kernel/core_pattern", "kernel/panic", "vm/drop_caches", "kernel/hostname",
                "/pwned", "/etc/pwned", "/dev/pwned", "rlimit"):
        assert out[key] != "ok" and out[key] != "writable", (key, out[key])
    assert out["/dev/shm"] == "ok"  # a small /dev/shm of its own, for multiprocessing
