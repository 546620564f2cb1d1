"""Fixtures of the class-run tests (helpers are in classrun_support.py)."""

from __future__ import annotations


import pytest


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
