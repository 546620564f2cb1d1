"""Fixtures of the class-run tests (helpers are in classrun_support.py)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Iterator

import pytest


@pytest.fixture(scope="session")
def shared_place() -> Iterator[Path]:
    """A folder every user may read: what a run as another user grades and writes."""
    root = Path(tempfile.mkdtemp(prefix="grade-classrun-test-"))
    root.chmod(0o755)
    yield root
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def nobody_python(shared_place: Path) -> Path:
    """A Python the `nobody` user may run, seeing this environment's packages (the grader's included)."""
    system = Path(f"/usr/bin/python{sys.version_info.major}.{sys.version_info.minor}")
    if os.geteuid() != 0 or not system.exists() or shutil.which("setpriv") is None:
        pytest.skip("needs root, setpriv and a system Python of this version to run the grader as another user")
    venv = shared_place / "venv"
    subprocess.run([str(system), "-m", "venv", "--without-pip", str(venv)], check=True)
    site = next(p for p in map(Path, sys.path) if p.name == "site-packages" and (p / "numpy").is_dir())
    lib = venv / "lib" / f"python{sys.version_info.major}.{sys.version_info.minor}" / "site-packages"
    (lib / "grader-tests.pth").write_text(f"import site; site.addsitedir({str(site)!r})\n")
    subprocess.run(["chmod", "-R", "a+rX", str(venv)], check=True)
    return venv / "bin" / "python"


SAMPLES = ("kim_minji", "han_sumin.py", "jung_haeun.py", "kang_doyoon.py", "park_seoyeon.py", "seo_yuna.py",
           "yoon_jiwoo.py", "choi_woojin")


@pytest.fixture(scope="session")
def sample_points(tmp_path_factory: pytest.TempPathFactory) -> dict[str, float]:
    """The points each sample submission gets in a plain class run: what it must get wherever it sits."""
    from classrun_support import copy_sample, results, run

    root = tmp_path_factory.mktemp("samples")
    (root / "class").mkdir()
    for name in SAMPLES:
        copy_sample(name, root / "class" / name)
    done = run([str(root / "class"), "--out", str(root / "out"), "-j", "2"])
    assert done.returncode == 0, done.stderr
    return {sid: s["points"] for sid, s in results(root / "out").items()}


@pytest.fixture(scope="session")
def full_marks() -> dict[str, float]:
    """The maximum of each question, from the rubric."""
    from grader.rubric import load_rubric

    return {q.id: q.points for q in load_rubric(None).questions}
