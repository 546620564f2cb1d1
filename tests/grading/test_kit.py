"""`grade kit`: a kit that installs alone in a fresh virtual environment and holds no solution code."""

from __future__ import annotations

import subprocess
import venv
from pathlib import Path

import pytest
from click.testing import CliRunner

from grader.cli import main
from grader.audience import public_rubric
from grader.kit import scan_for_solution
from grader.rubric import DEFAULT_RUBRIC
from grading_support import SAMPLE


@pytest.fixture(scope="module")
def kit(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dest = tmp_path_factory.mktemp("kit") / "kit"
    result = CliRunner().invoke(main, ["kit", str(dest)])
    assert result.exit_code == 0, result.output
    return dest


def test_the_kit_holds_no_reference_no_solution_classes_and_no_hidden_items(kit: Path) -> None:
    assert not list(kit.rglob("reference")) and (kit / "assignments" / "a5_cnn" / "book" / "layers.py").is_file()
    assert scan_for_solution(kit) == []
    text = (kit / "assignments" / "a5_cnn" / "rubric.toml").read_text("utf-8")
    assert "convnet.layers.pool_shape" not in text  # the hidden item


def test_the_scan_finds_planted_solution_code(tmp_path: Path) -> None:
    (tmp_path / "x.py").write_text("class Convolution:\n    pass\n", "utf-8")
    assert scan_for_solution(tmp_path)


def test_the_public_rubric_still_adds_up() -> None:
    import tomllib

    from grader.checks import registry
    from grader.rubric import parse_rubric

    from grader.rubric import load_rubric

    data = tomllib.loads(public_rubric(load_rubric(DEFAULT_RUBRIC), registry()))
    rubric = parse_rubric(data, "kit.toml", set(registry()))
    assert rubric.max_points == 100 and rubric.public  # the hidden item is worth 0 points


def test_the_kit_installs_alone_and_checks_a_correct_and_a_buggy_submission(kit: Path, tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    py = env_dir / "bin" / "python"
    install = subprocess.run([str(py), "-m", "pip", "install", "-q", str(kit)], capture_output=True, text=True, timeout=600)
    assert install.returncode == 0, install.stderr[-2000:]
    grade = env_dir / "bin" / "grade"
    ok = subprocess.run([str(grade), "check", str(SAMPLE / "kim_minji")], capture_output=True, text=True, timeout=300)
    assert ok.returncode == 0, ok.stdout[-3000:] + ok.stderr[-2000:]
    bad = subprocess.run([str(grade), "check", str(SAMPLE / "yoon_jiwoo.py")], capture_output=True, text=True, timeout=300)
    assert bad.returncode == 1
    assert "7.5.1.3" in bad.stdout and "weight_init_std" in bad.stdout
    # The installed package is the kit's, not this checkout's.
    where = subprocess.run([str(py), "-c", "import grader, importlib.util as u; print(grader.__file__, u.find_spec('assignments.a5_cnn.reference'), "
                            "u.find_spec('reference'))"],
                           capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert str(env_dir) in where.stdout and where.stdout.split()[1:] == ["None", "None"]
