"""A second assignment, installed as its own package beside Assignment #5, graded through the CLI.

`toy_sigmoid/` (three questions of our own: a function, a layer class, a written question) is
installed the way pip installs a package — its folder and a `.dist-info` naming its entry point
in the `grader.assignments` group — into a folder put on the path. No line of the engine knows it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
CLASS = HERE / "class"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site folder holding the toy package and its distribution's metadata (entry point included)."""
    site = tmp_path_factory.mktemp("site")
    shutil.copytree(HERE / "toy_sigmoid", site / "toy_sigmoid", ignore=shutil.ignore_patterns("__pycache__"))
    info = site / "toy_sigmoid-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: toy-sigmoid\nVersion: 0.1\n", "utf-8")
    (info / "entry_points.txt").write_text("[grader.assignments]\ntoy = toy_sigmoid:ASSIGNMENT\n", "utf-8")
    return site


def grade(site: Path, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("GRADE_ASSIGNMENT", "PYTHONPATH")}
    env.update(PYTHONPATH=str(site), NO_COLOR="1")
    return subprocess.run([sys.executable, "-m", "grader.cli", *args], capture_output=True, text=True, env=env,
                          cwd=cwd or site, timeout=600)


def test_the_toy_is_found_by_its_entry_point_beside_assignment_5(site: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(site)}
    env.pop("GRADE_ASSIGNMENT", None)
    done = subprocess.run([sys.executable, "-c", "from grader.assignment import installed, load; "
                           "print(sorted(installed()), load('toy').title, load('a5').name)"],
                          capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "['a5', 'toy'] Assignment T — 시그모이드 a5"


def test_with_two_installed_a_run_names_them_and_asks_for_a_choice(site: Path) -> None:
    done = grade(site, "check", str(CLASS / "park_good"))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "a5, toy" in done.stderr and "--assignment" in done.stderr
    wrong = grade(site, "--assignment", "a4", "check", str(CLASS / "park_good"))
    assert wrong.returncode == 2 and "'a4'" in wrong.stderr and "a5, toy" in wrong.stderr


def test_the_toy_class_is_graded_end_to_end(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "reports"
    done = grade(site, "--assignment", "toy", str(CLASS), "--out", str(out), "-j", "1")
    assert done.returncode == 0, done.stderr[-3000:]
    students = {s["id"]: s for s in json.loads((out / "results.json").read_text("utf-8"))["students"]}
    assert set(students) == {"park_good", "choi_bug"}
    good, bug = students["park_good"], students["choi_bug"]
    assert (good["points"], good["max_points"]) == (10, 10)
    assert any("SigmoidLayer" in n for n in good["notes"])  # the student's own name for the class, recognised
    items = {i["id"]: i for q in bug["questions"] for i in q["items"]}
    assert {k: items[k]["status"] for k in items} == {
        "toy.sigmoid.shape": "pass", "toy.sigmoid.values": "fail", "toy.layer.forward": "pass",
        "toy.layer.backward": "fail", "1.3.saturate": "fail", "1.3.product": "fail"}
    assert bug["points"] == 3
    assert items["toy.sigmoid.values"]["counterexample"]["expected"][0][1] == pytest.approx(0.119203, abs=1e-6)
    index = (out / "index.html").read_text("utf-8")
    assert "1.2" in index and "choi_bug" in index
    cards = sorted((out / "cards").glob("*.html"))
    assert len(cards) == 2 and "시그모이드 계층" in " ".join(c.read_text("utf-8") for c in cards)


def test_the_toy_self_check_agrees_with_the_ta_and_its_kit_holds_no_reference(site: Path, tmp_path: Path) -> None:
    check = grade(site, "--assignment", "toy", "check", str(CLASS / "choi_bug"), "--json")
    assert check.returncode == 1, check.stderr[-2000:]
    verdict = {i["id"]: i["status"] for q in json.loads(check.stdout)["questions"] for i in q["items"]
               if q["kind"] == "code"}
    assert verdict == {"toy.sigmoid.shape": "pass", "toy.sigmoid.values": "fail", "toy.layer.forward": "pass",
                       "toy.layer.backward": "fail"}
    # not installed, only on the path: chosen by its module path
    by_module = grade(HERE, "--assignment", "toy_sigmoid", "check", str(CLASS / "choi_bug"), "--json")
    assert by_module.returncode == 1, by_module.stderr[-2000:]
    assert {i["id"]: i["status"] for q in json.loads(by_module.stdout)["questions"] for i in q["items"]
            if q["kind"] == "code"} == verdict
    kit = tmp_path / "kit"
    made = grade(site, "--assignment", "toy", "kit", str(kit))
    assert made.returncode == 0, made.stderr[-2000:]
    assert (kit / "toy_sigmoid" / "checks.py").is_file() and not list(kit.rglob("reference"))
    rubric = (kit / "toy_sigmoid" / "rubric.toml").read_text("utf-8")
    assert "포화" not in rubric and "grades = \"Sigmoid\"" in rubric  # no concept of the answer; what is graded
    # The kit alone (this checkout's grader and assignments out of sight) gives the same verdict.
    sys.path.insert(0, str(ROOT / "tests" / "grading"))
    try:
        from kit_support import kit_check_json
    finally:
        sys.path.pop(0)
    alone = kit_check_json(kit, CLASS / "choi_bug", "--assignment", "toy_sigmoid")
    assert {i["id"]: i["status"] for q in alone["questions"] for i in q["items"] if q["kind"] == "code"} == verdict


def test_no_line_of_the_engine_names_the_toy() -> None:
    for path in (ROOT / "grader").rglob("*.py"):
        text = path.read_text("utf-8")
        assert "toy_sigmoid" not in text and "Sigmoid" not in text, path
