"""Fixtures shared by every test folder: running the grader as an ordinary user (`nobody`)."""

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
    """A Python the `nobody` user may run, with the grader and its packages.

    Where this environment's packages are readable by every user, a venv that sees them; where they
    are not (a Python under /root, as on CI), a venv of its own with this checkout installed in it."""
    system = Path(f"/usr/bin/python{sys.version_info.major}.{sys.version_info.minor}")
    if os.geteuid() != 0 or not system.exists() or shutil.which("setpriv") is None:
        pytest.skip("needs root, setpriv and a system Python of this version to run the grader as another user")
    venv = shared_place / "venv"
    site = next(p for p in map(Path, sys.path) if p.name == "site-packages" and (p / "numpy").is_dir())
    if _readable_by_all(site) and _readable_by_all(Path(__file__).resolve().parents[1]):
        subprocess.run([str(system), "-m", "venv", "--without-pip", str(venv)], check=True)
        lib = venv / "lib" / f"python{sys.version_info.major}.{sys.version_info.minor}" / "site-packages"
        (lib / "grader-tests.pth").write_text(f"import site; site.addsitedir({str(site)!r})\n")
    else:
        repo = shared_place / "repo"
        shutil.copytree(Path(__file__).resolve().parents[1], repo,
                        ignore=shutil.ignore_patterns(".git", "__pycache__", "*.egg-info", "reports", "tests"))
        subprocess.run([str(system), "-m", "venv", str(venv)], check=True)
        done = subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "-e", str(repo)], capture_output=True, text=True,
                              timeout=900)
        if done.returncode != 0:
            pytest.skip(f"could not install the grader for another user: {done.stderr[-500:]}")
    subprocess.run(["chmod", "-R", "a+rX", str(shared_place)], check=True)
    return venv / "bin" / "python"


def _readable_by_all(path: Path) -> bool:
    """Every folder from / down to `path` may be entered by anyone."""
    return all(p.stat().st_mode & 0o001 for p in [path, *path.parents])
