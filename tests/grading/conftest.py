"""Fixtures of the grader's tests: the sample class graded once through the CLI, and small submissions."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from grader.cli import main

from grading_support import FIXTURES, SAMPLE


@pytest.fixture(scope="session")
def sample_reports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample class graded by `grade submissions/ --out …` (once for the whole test session)."""
    out = tmp_path_factory.mktemp("reports")
    result = CliRunner().invoke(main, [str(SAMPLE), "--out", str(out), "--workers", "2"])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="session")
def sample_results(sample_reports: Path) -> dict:
    data = json.loads((sample_reports / "results.json").read_text("utf-8"))
    return {s["id"]: s for s in data["students"]}


@pytest.fixture()
def submission(tmp_path: Path):  # noqa: ANN201
    """Copy a fixture submission (by file name under tests/grader/fixtures) into a fresh folder."""

    def make(name: str) -> Path:
        src = FIXTURES / name
        dest = tmp_path / src.name
        shutil.copy(src, dest)
        return dest

    return make
