"""`grade doctor`: what this machine gives the grader, in words, the first thing a TA runs."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from grader.sandbox import bubblewrap

from classrun_support import ROOT, run


def test_doctor_names_the_isolation_the_browser_the_versions_and_the_limits() -> None:
    done = run(["doctor"])
    assert done.returncode == 0, done.stderr
    out = done.stdout
    for words in ("bubblewrap (drop)", "bubblewrap (userns)", "namespaces (root)", "namespaces (userns)",
                  "채점에 쓰는 것", "Chromium", "numpy", "hypothesis", "GRADE_CALL_SECONDS", "GRADE_MEMORY_BYTES         2G",
                  "rubric.toml: 33 / 100", f"Python {sys.version_info.major}.{sys.version_info.minor}"):
        assert words in out, words
    english = run(["doctor", "--lang", "en"]).stdout
    assert "Isolation of the students' code" in english and "what a run uses" in english


def test_doctor_says_when_a_limit_would_stop_a_run() -> None:
    done = run(["doctor"], env={"GRADE_CALL_SECONDS": "nan"})
    assert done.returncode == 1 and "GRADE_CALL_SECONDS='nan'" in done.stdout and "Traceback" not in done.stderr


def test_doctor_without_bwrap_says_the_namespaces_are_used() -> None:
    target = bubblewrap.bwrap_path()
    if target is None or os.geteuid() != 0 or shutil.which("unshare") is None:
        pytest.skip("hiding bwrap needs it installed, root and unshare")
    done = subprocess.run(["unshare", "--mount", "--propagation", "private", "sh", "-c",
                           'mount --bind /dev/null "$0" && exec "$@"', target, sys.executable, "-m", "grader.cli",
                           "doctor"], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "✗ bubblewrap (drop)" in done.stdout and "bwrap is not installed" in done.stdout
    assert "→ 채점에 쓰는 것: namespaces-root — bubblewrap이 없어 리눅스 네임스페이스로 격리" in done.stdout
