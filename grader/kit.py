"""`grade kit DIR`: the student kit — a pip-installable project giving `grade check`, without the solution.

The kit holds the grader package and the rubric with hidden items removed. It never holds the
reference solution: the self-check works from definitions, numerical gradients and shapes.
"""

from __future__ import annotations

import re
import shutil
import tomllib
from pathlib import Path

from . import __version__
from .i18n import t
from .rubric import DEFAULT_RUBRIC

PACKAGE = Path(__file__).resolve().parent
# What must never be in a kit: the reference's classes and its col2im, and the reference package.
FORBIDDEN = (re.compile(r"^class (Convolution|Pooling|SimpleConvNet)\b", re.M), re.compile(r"^def col2im\b", re.M),
             re.compile(r"\bfrom reference\b|\bimport reference\b"))


class KitError(Exception):
    pass


def public_rubric(text: str) -> str:
    """The rubric without hidden items; question and assignment points reduced to match."""
    data = tomllib.loads(text)
    out: list[str] = []
    removed_total = 0.0
    blocks = re.split(r"(?m)^(?=\s*\[\[questions(?:\.items)?\]\])", text)
    removed: dict[str, float] = {}
    current = ""
    for block in blocks:
        head = block.lstrip()
        if head.startswith("[[questions]]"):
            m = re.search(r'(?m)^id\s*=\s*"([^"]+)"', block)
            current = m.group(1) if m else ""
        if head.startswith("[[questions.items]]") and re.search(r"(?m)^\s*hidden\s*=\s*true", block):
            pts = re.search(r"(?m)^\s*points\s*=\s*([0-9.]+)", block)
            removed[current] = removed.get(current, 0.0) + float(pts.group(1) if pts else 0)
            continue
        out.append(block)
    text = "".join(out)
    for qid, pts in removed.items():
        if not pts:
            continue
        removed_total += pts
        pattern = re.compile(rf'(id = "{re.escape(qid)}"\ntitle = .*\nkind = .*\npoints = )([0-9.]+)')
        text = pattern.sub(lambda m: f"{m.group(1)}{float(m.group(2)) - pts:g}", text, count=1)
    if removed_total:
        max_points = float(data["assignment"]["max_points"]) - removed_total
        text = re.sub(r"(?m)^max_points = [0-9.]+", f"max_points = {max_points:g}", text, count=1)
    return text


def build_kit(dest: Path, rubric: Path | None = None) -> Path:
    """Write the kit into `dest` (created; must be empty or absent). Returns `dest`."""
    if dest.exists() and any(dest.iterdir()):
        raise KitError(t("kit.not_empty", dest=dest))
    dest.mkdir(parents=True, exist_ok=True)
    # The review app (grader/review/) is the TA's: the kit's `grade` has no `review` command.
    shutil.copytree(PACKAGE, dest / "grader", ignore=_kit_ignore)
    data = dest / "grader" / "data"
    data.mkdir(exist_ok=True)
    (data / "assignment5.toml").write_text(public_rubric((rubric or DEFAULT_RUBRIC).read_text("utf-8")), "utf-8")
    (dest / "pyproject.toml").write_text(_PYPROJECT.format(version=__version__), "utf-8")
    (dest / "README.md").write_text(t("kit.readme"), "utf-8")
    leaks = scan_for_solution(dest)
    if leaks:
        raise KitError(t("kit.leak", leaks=", ".join(leaks)))
    return dest


def _kit_ignore(folder: str, names: list[str]) -> set[str]:
    skipped = set(shutil.ignore_patterns("__pycache__", "*.pyc", "kit.py")(folder, names))
    if Path(folder).resolve() == PACKAGE:
        skipped |= {"review"} & set(names)
    return skipped


def scan_for_solution(root: Path) -> list[str]:
    leaks = []
    if (root / "reference").exists():
        leaks.append("reference/")
    for path in root.rglob("*"):
        if path.suffix in (".py", ".toml", ".md", ".txt", ".html") and path.is_file():
            text = path.read_text("utf-8", "replace")
            for pattern in FORBIDDEN:
                if pattern.search(text):
                    leaks.append(f"{path.relative_to(root)}: {pattern.pattern}")
            if path.name.endswith(".toml") and re.search(r"(?m)^\s*hidden\s*=\s*true", text):
                leaks.append(f"{path.relative_to(root)}: hidden item")
    return leaks


_PYPROJECT = """[build-system]
requires = ["setuptools>=61"]
build-backend = "setuptools.build_meta"

[project]
name = "dl-assignment5-check"
version = "{version}"
description = "Self-check for Deep Learning Assignment #5 (grade check my_folder/)"
requires-python = ">=3.11"
dependencies = ["numpy>=1.24", "hypothesis>=6.100", "jinja2>=3.1", "click>=8.1", "nbformat>=5.9", "pygments>=2.15"]

[project.scripts]
grade = "grader.cli:main"

[tool.setuptools.packages.find]
include = ["grader*"]

[tool.setuptools.package-data]
grader = ["data/*", "report/templates/*"]
"""
