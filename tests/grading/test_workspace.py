"""A submission's workspace: its private copy and a worker started at once, always closed."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import grader.runner as runner
from grader.discover.submission import find_submissions
from grader.rubric import load_rubric
from grader.runner import Options
from grader.sandbox.client import Workspace

from grading_support import SAMPLE


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat", "rb") as f:
        return f.read().rsplit(b")", 1)[1].split()[0] != b"Z"


def test_the_worker_is_started_before_any_request_and_gone_after_close() -> None:
    ws = Workspace(SAMPLE / "kim_minji", "kim")
    pid = ws.worker.current.proc.pid
    copy = ws.workdir
    assert _alive(pid) and (copy / "assignment5.py").exists()
    assert ws.worker.request("hello", {})["numpy"]  # the started worker answers
    ws.close()
    assert not _alive(pid) and not copy.exists()


def test_a_grader_error_before_grading_still_stops_the_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[Workspace] = []
    original = runner.start_workspace
    monkeypatch.setattr(runner, "start_workspace", lambda *a: started.append(original(*a)) or started[-1])

    def broken_plan(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug in the planner")

    monkeypatch.setattr(runner, "make_plan", broken_plan)
    sub = find_submissions(SAMPLE / "kim_minji", single=True)[0]
    with pytest.raises(RuntimeError, match="planner"):
        runner.grade_submission(sub, load_rubric(None), Options(mode="check"))
    (ws,) = started
    assert ws.worker.current is None and not Path(ws.workdir).exists()
