"""Submissions that take the answers from their own worker's memory earn nothing.

The kit is public: a student can read that the TA's run gives a worker the reference's layers and
parts of its network. The student's own code (its layers, its network's methods) must never share a
process with the reference's version of what it is graded on: these submissions look for it in
`sys.modules` and with `gc.get_objects()`, and delegate to it if they find it.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from grader.cli import main
from grading_support import FIXTURES, SAMPLE, question_points

THIEVES = FIXTURES / "thieves"


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    cls = tmp_path_factory.mktemp("class")
    for f in THIEVES.iterdir():
        shutil.copy(f, cls / f.name)
    shutil.copytree(SAMPLE / "kim_minji", cls / "kim_minji")
    out = tmp_path_factory.mktemp("out")
    result = CliRunner().invoke(main, [str(cls), "--out", str(out), "-j", "2"])
    assert result.exit_code == 0, result.output
    return {s["id"]: s for s in json.loads((out / "results.json").read_text("utf-8"))["students"]}


def test_layers_taken_from_memory_earn_nothing(graded: dict) -> None:
    points = question_points(graded["steals_layers_from_memory"])
    assert points["7.4.3.2"] == 0 and points["7.4.4.1"] == 0


def test_network_methods_taken_from_memory_earn_nothing(graded: dict) -> None:
    points = question_points(graded["steals_network_from_memory"])
    assert [points[q] for q in ("7.5.1.2", "7.5.1.3", "7.5.1.4", "7.5.1.5", "7.5.1.6")] == [0, 0, 0, 0, 0]


def test_a_sheet_cannot_take_another_questions_reference_part(graded: dict) -> None:
    points = question_points(graded["steals_slot_from_memory"])
    assert points["7.5.1.2"] == 4  # its own, honest part
    assert [points[q] for q in ("7.5.1.3", "7.5.1.5", "7.5.1.6")] == [0, 0, 0]


def test_the_honest_student_beside_them_keeps_full_code_marks(graded: dict) -> None:
    points = question_points(graded["kim_minji"])
    assert [points[q] for q in ("7.4.3.2", "7.4.4.1", "7.5.1.2", "7.5.1.3", "7.5.1.4", "7.5.1.5", "7.5.1.6")] == \
        [14, 11, 4, 5, 6, 5, 8]


def test_the_students_own_code_and_the_reference_never_share_a_worker(tmp_path: Path) -> None:
    """A program of the student's and the isolated network run in different processes."""
    from grader.cli import _options
    from grader.discover.plan import make_plan
    from grader.discover.submission import find_submissions
    from grader.runner import start_workspace
    from grader.sandbox.session import Session

    sub = find_submissions(SAMPLE / "kim_minji", single=True)[0]
    options = _options("grade")
    plan = make_plan(sub, with_reference=True)
    with start_workspace(sub, options) as ws:
        for spec in plan.programs.values():
            if spec.root:
                spec.root = str(ws.workdir)
        session = Session(ws.worker, plan.programs, spawn=ws.spawn)
        assert session.has("student", "Convolution")
        own = session.worker.current.proc.pid
        assert not any(name.startswith("_reference") for name in session.loaded)
        assert session.has("isolated", "SimpleConvNet")
        net = session.worker.current.proc.pid
        assert net != own and "_reference" in session.loaded
        assert session.has("student", "Pooling") and session.worker.current.proc.pid == own
        session.close()
