"""Run by an ordinary user: files that user cannot read are left out with a note, never a traceback."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from classrun_support import SAMPLE, results

NOBODY = "65534"


def as_nobody(python: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GRADE_", "GRADER_"))}
    return subprocess.run(["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", str(python), "-m",
                           "grader.cli", *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=300)


@pytest.fixture()
def guarded(shared_place: Path, request: pytest.FixtureRequest) -> Path:
    """A submission with a file only root may read, a folder only root may enter, and a named pipe."""
    folder = shared_place / request.node.name / "kim_minji"
    folder.mkdir(parents=True)
    shutil.copy(SAMPLE / "kim_minji" / "assignment5.py", folder / "assignment5.py")
    (folder / "secret.py").write_text("PASSWORD = 1\n")
    (folder / "secret.py").chmod(0o600)
    (folder / "private").mkdir()
    (folder / "private" / "notes.md").write_text("# notes\n")
    (folder / "private").chmod(0o700)
    os.mkfifo(folder / "pipe.py")
    folder.parent.chmod(0o777)
    return folder


def test_check_skips_what_it_cannot_read_and_grades_the_rest(guarded: Path, nobody_python: Path,
                                                             full_marks: dict) -> None:
    done = as_nobody(nobody_python, "check", str(guarded), "--json", cwd=guarded.parent)
    assert "Traceback" not in done.stderr and done.returncode in (0, 1), done.stderr
    import json

    result = json.loads(done.stdout)
    notes = " ".join(result["notes"])
    assert "secret.py" in notes and "private" in notes and "pipe.py" in notes
    assert result["status"] == "graded" and "assignment5.py" in result["files"]
    code = {q["id"]: q["points"] for q in result["questions"]}
    assert code["7.4.3.2"] == full_marks["7.4.3.2"] and code["7.4.4.1"] == full_marks["7.4.4.1"]


def test_a_class_run_by_a_user_grades_its_students_with_the_notes(guarded: Path, nobody_python: Path,
                                                                  sample_points: dict) -> None:
    cls = guarded.parent
    shutil.copy(SAMPLE / "han_sumin.py", cls / "han_sumin.py")
    done = as_nobody(nobody_python, str(cls), "--out", str(cls / "out"), cwd=cls)
    assert done.returncode == 0, done.stderr
    students = results(cls / "out")
    assert students["kim_minji"]["points"] == sample_points["kim_minji"]
    assert students["han_sumin"]["points"] == sample_points["han_sumin"]
    assert any("secret.py" in n for n in students["kim_minji"]["notes"])
    assert done.stderr.splitlines()[0].startswith("격리: bubblewrap") or "네임스페이스" in done.stderr.splitlines()[0]
