"""Faults of the machine, not of the student: a grading process killed, the main process killed or stopped.

A grading process that dies costs only the student it was grading (graded again once, then
`not_gradable` with the cause); a main process killed (SIGKILL) or stopped (SIGTERM) leaves no
process and no temporary file behind, and the next run completes the class with the grades of an
uninterrupted run.
"""

from __future__ import annotations

import os
import shutil
import signal
import time
from pathlib import Path

import pytest

from classrun_support import (alive, copy_sample, descendants, points, results, run, run_folders, start, tmp_files,
                              wait_for, with_marker)

FIXTURES = Path(__file__).parent / "fixtures"
CLASS = ("kim_minji", "han_sumin.py", "jung_haeun.py", "kang_doyoon.py", "park_seoyeon.py", "seo_yuna.py")


def make_class(cls: Path, *extra: tuple[str, Path]) -> Path:
    cls.mkdir(parents=True)
    for name in CLASS:
        copy_sample(name, cls / name)
    for name, src in extra:
        shutil.copy(src, cls / name)
    return cls


def grades_of(out: Path) -> dict[str, tuple[str, float, dict[str, float]]]:
    return {sid: (s["status"], s["points"], points(s)) for sid, s in results(out).items()}


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    """The class graded once, start to end: the grades every interrupted run must end with."""
    root = tmp_path_factory.mktemp("whole")
    cls = make_class(root / "class", ("slow.py", FIXTURES / "slow_start.py"))
    done = run([str(cls), "--out", str(root / "out"), "-j", "2"])
    assert done.returncode == 0, done.stderr
    return cls, grades_of(root / "out")


def test_a_submission_that_kills_its_grading_process_costs_only_itself(tmp_path: Path, sample_points: dict) -> None:
    cls = make_class(tmp_path / "class", ("killer.py", FIXTURES / "kills_its_grader.py"))
    done = run([str(cls), "--out", str(tmp_path / "out"), "-j", "2"], env={"GRADER_SANDBOX": "plain"})
    assert done.returncode == 0, done.stderr
    students = results(tmp_path / "out")
    assert set(students) == {"killer", "kim_minji", "han_sumin", "jung_haeun", "kang_doyoon", "park_seoyeon",
                             "seo_yuna"}
    killer = students["killer"]
    assert killer["status"] == "not_gradable"
    assert "2번 모두 중단" in killer["reason"] and "SIGKILL" in killer["reason"]
    assert all(s["status"] == "graded" for sid, s in students.items() if sid != "killer")
    assert all(students[sid]["points"] == sample_points[sid] for sid in students if sid != "killer")
    assert "killer" in done.stderr and "채점 불가" in done.stderr


def _grading_process_of(main: int, stem: str) -> int | None:
    """The grading process (a child of `main`) whose worker is working on the student `stem`."""
    for child in descendants(main):
        try:
            env = Path(f"/proc/{child}/environ").read_bytes()
        except OSError:
            continue
        if f"/grade-{stem}-".encode() in env:  # the worker's HOME is the student's private copy
            pid = child
            while pid and pid != main:
                parent = int(Path(f"/proc/{pid}/stat").read_bytes().rsplit(b")", 1)[1].split()[1])
                if parent == main:
                    return pid
                pid = parent
    return None


def test_killing_one_grading_process_regrades_its_student_and_the_run_goes_on(tmp_path: Path,
                                                                              uninterrupted: tuple[Path, dict]) -> None:
    cls, expected = uninterrupted
    out = tmp_path / "out"
    proc = start([str(cls), "--out", str(out), "-j", "2"])
    found: list[int] = []
    assert wait_for(lambda: bool(found.append(_grading_process_of(proc.pid, "slow")) or found[-1]), 60), \
        "the slow student was never seen being graded"
    os.kill(found[-1], signal.SIGKILL)
    stdout, stderr = proc.communicate(timeout=300)
    assert proc.returncode == 0, stderr
    assert grades_of(out) == expected  # every student, the killed one's included, as if nothing happened
    slow = results(out)["slow"]
    assert any("SIGKILL" in n and "다시 채점" in n for n in slow["notes"])


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM, signal.SIGINT], ids=["SIGKILL", "SIGTERM", "Ctrl-C"])
def test_killing_the_main_process_leaves_nothing_and_the_next_run_completes_the_class(
        tmp_path: Path, uninterrupted: tuple[Path, dict], how: signal.Signals) -> None:
    cls, expected = uninterrupted
    out = tmp_path / "out"
    proc = start([str(cls), "--out", str(out), "-j", "2"], new_group=True)
    # Caught in the middle: some students saved, others being graded (the slow one takes 4 s).
    assert wait_for(lambda: len(list((out / ".students").glob("*.json"))) >= 1 and
                    _grading_process_of(proc.pid, "slow") is not None, 120)
    family = descendants(proc.pid)
    folders = run_folders(proc.pid)
    assert family and folders
    marker = folders[0].name
    if how == signal.SIGINT:
        os.killpg(proc.pid, how)  # what a terminal's Ctrl-C does: the whole foreground group
    else:
        os.kill(proc.pid, how)
    _, stderr = proc.communicate(timeout=60)
    assert wait_for(lambda: not alive(family) and not with_marker(marker), 10), \
        f"left running: {alive(family)} {with_marker(marker)}"
    if how in (signal.SIGTERM, signal.SIGINT):
        assert proc.returncode == (143 if how == signal.SIGTERM else 130)
        assert "중단되었습니다" in stderr and "재사용" in stderr and "Traceback" not in stderr
        assert not run_folders(proc.pid) and not tmp_files(out)  # removed at once
    else:
        assert proc.returncode == -signal.SIGKILL
    saved = len(list((out / ".students").glob("*.json")))
    assert 1 <= saved < len(expected)
    assert not (out / "results.json").exists()  # an interrupted run never writes a partial class
    again = run([str(cls), "--out", str(out), "-j", "2"])
    assert again.returncode == 0, again.stderr
    assert f"{saved}명 재사용" in again.stderr
    assert not run_folders(proc.pid) and not tmp_files(out)  # what the killed run left is swept
    assert grades_of(out) == expected


def test_a_second_run_on_the_same_output_folder_is_refused_with_the_holder(tmp_path: Path,
                                                                           uninterrupted: tuple[Path, dict]) -> None:
    cls, _ = uninterrupted
    out = tmp_path / "out"
    first = start([str(cls), "--out", str(out), "-j", "1"])
    assert wait_for(lambda: (out / ".grade.lock").exists() and f"pid={first.pid}" in
                    (out / ".grade.lock").read_text(), 60)
    second = run([str(cls), "--out", str(out), "-j", "1"])
    assert second.returncode == 2
    assert f"pid {first.pid}" in second.stderr and "다른 --out" in second.stderr and "Traceback" not in second.stderr
    first.kill()  # its lock dies with it: the next run takes it over
    first.communicate(timeout=60)
    time.sleep(0.2)
    third = run([str(cls), "--out", str(out), "-j", "2"])
    assert third.returncode == 0, third.stderr
