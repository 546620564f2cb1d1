"""Submissions that hang, crash or return garbage fail those items, with a message; nothing else suffers."""

from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner

from grader.cli import main
from grading_support import FIXTURES, SAMPLE, question_points


@pytest.fixture(scope="module")
def fault_class(tmp_path_factory: pytest.TempPathFactory) -> dict:
    cls = tmp_path_factory.mktemp("class")
    for name in ("hangs_in_forward.py", "crashes_in_forward.py", "returns_garbage.py"):
        shutil.copy(FIXTURES / name, cls / name)
    shutil.copytree(SAMPLE / "kim_minji", cls / "kim_minji")
    out = tmp_path_factory.mktemp("out")
    # A short call limit keeps the hanging submission quick; environment variables set the limits.
    result = CliRunner(env={"GRADE_CALL_SECONDS": "3"}).invoke(main, [str(cls), "--out", str(out), "--workers", "2"])
    assert result.exit_code == 0, result.output
    data = json.loads((out / "results.json").read_text("utf-8"))
    return {s["id"]: s for s in data["students"]}


def _items(student: dict, qid: str) -> list[dict]:
    return next(q for q in student["questions"] if q["id"] == qid)["items"]


def test_a_hanging_forward_fails_its_question_with_the_time_limit_named(fault_class: dict) -> None:
    s = fault_class["hangs_in_forward"]
    assert question_points(s)["7.4.3.2"] == 0
    messages = " ".join(i["message"] for i in _items(s, "7.4.3.2"))
    assert "시간 제한" in messages and "3초" in messages
    # The hang is waited for once: the question's other items wait for the item that hung, and say so.
    waiting = [i for i in _items(s, "7.4.3.2") if i["status"] == "not_checked"]
    assert len(waiting) >= 3 and all("conv.forward.shape" in i["message"] and "시간 제한" in i["message"]
                                     for i in waiting)
    assert question_points(s)["7.4.4.1"] == 11  # the rest is graded on a fresh worker


def test_a_crash_and_a_segfault_fail_only_their_questions(fault_class: dict) -> None:
    s = fault_class["crashes_in_forward"]
    conv = " ".join(i["message"] for i in _items(s, "7.4.3.2"))
    pool = " ".join(i["message"] for i in _items(s, "7.4.4.1"))
    assert "스스로 종료" in conv
    assert "SIGSEGV" in pool
    assert any("sys.exit" in n for n in s["notes"])  # noted, and the definitions were still graded


def test_garbage_outputs_are_failures_with_clear_messages(fault_class: dict) -> None:
    s = fault_class["returns_garbage"]
    conv = _items(s, "7.4.3.2")[0]["message"]
    assert "numpy 배열이 아니라 str" in conv
    pool = _items(s, "7.4.4.1")[0]["message"]
    assert "받을 수 없습니다" in pool and "exceeds the limit" in pool
    assert question_points(s)["7.5.1.3"] == 0  # an object whose __eq__ always says True earns nothing


def test_the_honest_student_beside_them_keeps_full_code_marks(fault_class: dict) -> None:
    points = question_points(fault_class["kim_minji"])
    assert [points[q] for q in ("7.4.3.2", "7.4.4.1", "7.5.1.6")] == [14, 11, 8]
