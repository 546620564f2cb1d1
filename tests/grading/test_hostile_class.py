"""A class with hostile submissions beside an honest one, graded through the CLI.

Each hostile case must hold: graded at most what it deserves, its report says in words what it did
and what stopped it, the honest student keeps full marks, no report is rewritten, no process is left.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from grader.cli import main
from grading_support import FIXTURES, SAMPLE, question_points

HOSTILE = FIXTURES / "hostile"
MARKER = "hostile-marker-7f3a"
LIMITS = {"GRADE_CALL_SECONDS": "4", "GRADE_MEMORY_BYTES": str(1 << 30), "GRADE_FILE_BYTES": str(8 << 20)}


def _alive_with_marker() -> list[int]:
    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                cmdline = Path(f"/proc/{entry}/cmdline").read_bytes()
            except OSError:
                continue
            if MARKER.encode() in cmdline:
                pids.append(int(entry))
    return pids


@pytest.fixture(scope="module")
def hostile_class(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, Path, str]:
    cls = tmp_path_factory.mktemp("class")
    out = tmp_path_factory.mktemp("reports")
    for f in HOSTILE.glob("*.py"):
        text = f.read_text("utf-8").replace("/tmp/hostile-target", str(out / "results.json"))
        (cls / f.name).write_text(text, "utf-8")
    shutil.copytree(SAMPLE / "kim_minji", cls / "kim_minji")
    result = CliRunner(env=LIMITS).invoke(main, [str(cls), "--out", str(out), "-j", "2"])
    assert result.exit_code == 0, result.output
    digest = hashlib.sha256((out / "results.json").read_bytes()).hexdigest()
    data = json.loads((out / "results.json").read_text("utf-8"))
    return {s["id"]: s for s in data["students"]}, out, digest


def _conv(student: dict) -> tuple[float, str]:
    q = next(q for q in student["questions"] if q["id"] == "7.4.3.2")
    return q["points"], " ".join(i["message"] for i in q["items"])


def test_the_honest_student_keeps_full_marks(hostile_class) -> None:  # noqa: ANN001
    points = question_points(hostile_class[0]["kim_minji"])
    assert [points[q] for q in ("7.4.3.2", "7.4.4.1", "7.5.1.5", "7.5.1.6")] == [14, 11, 5, 8]


@pytest.mark.parametrize(("sid", "words"), [
    ("memory_bomb", ("메모리",)),
    ("disk_bomb", ("파일", "File too large")),
    ("deaf_spinner", ("초 안에 답하지 않았습니다",)),
])
def test_each_limit_is_named_in_the_report(hostile_class, sid: str, words: tuple[str, ...]) -> None:  # noqa: ANN001
    points, messages = _conv(hostile_class[0][sid])
    assert points <= 2  # nothing for the attacked forward beyond what a float output would earn
    assert any(w in messages for w in words), messages[:500]
    assert question_points(hostile_class[0][sid])["7.4.4.1"] == 11  # its honest Pooling is graded in full


def test_forged_results_earn_nothing(hostile_class) -> None:  # noqa: ANN001
    for sid in ("hard_coded", "patches_numpy"):
        s = hostile_class[0][sid]
        q = next(q for q in s["questions"] if q["id"] == "7.4.3.2")
        assert q["points"] == 0
        shape, values = (next(i for i in q["items"] if i["id"] == k) for k in ("conv.forward.shape", "conv.forward.values"))
        # The forged output is caught at its shape or its values, with the input that shows it.
        assert (shape["counterexample"] or values["counterexample"]) is not None
    log = hostile_class[0]["patches_numpy"]["log"]
    assert '"ok": true' in log  # the forged line is kept as a log, nothing more


def test_no_process_is_left_and_no_report_is_rewritten(hostile_class) -> None:  # noqa: ANN001
    _, out, digest = hostile_class
    time.sleep(4)  # the daemon meant to write 3 s after it started
    assert hashlib.sha256((out / "results.json").read_bytes()).hexdigest() == digest
    assert _alive_with_marker() == []
