"""`grade kit DIR`: the student kit — a pip-installable project giving `grade check`, without the answer key.

The kit holds the engine (`grader/`, without the TA's review app) and the assignment's package
without its reference solution (its checks compare with definitions, not with the solution; the
book's library it supplies is the assignment's `book/`), its rubric replaced by the public one
(`audience.public_rubric`: no concept, keyword, expected value, explanation or hidden item). Before it is written out, the kit is scanned for every piece of the answer key
(`scan_for_solution`); a kit that would hold one is refused.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

from . import __version__
from .audience import code_leaks, public_rubric
from .i18n import t
from .rubric import Rubric

PACKAGE = Path(__file__).resolve().parent


def forbidden() -> tuple[re.Pattern[str], ...]:
    """Never in a kit: the classes the code questions grade (the answers), an import of the reference."""
    from .assignment import current
    from .rubric import default_rubric

    answers = sorted({q.grades for q in default_rubric().questions if q.kind == "code"})
    reference = current().reference_package
    return (re.compile(r"^\s*class (" + "|".join(map(re.escape, answers)) + r")\b", re.M),
            re.compile(r"\bfrom reference\b|\bimport reference\b|\b" + re.escape(reference) + r"\b"))


ANSWER_FIELDS = re.compile(r"(?m)^\s*(ko|en|expected|explanation|explanation_en|count|channels|height|width|hidden|pairs)\s*=")
SCANNED = (".py", ".toml", ".md", ".txt", ".html", ".css", ".json", ".cfg")


class KitError(Exception):
    pass


def build_kit(dest: Path, rubric: Rubric) -> Path:
    """Write the kit into `dest` (created; must be empty or absent). Returns `dest`."""
    from .checks import registry

    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise KitError(t("kit.not_empty", dest=dest))
    from .assignment import current

    assignment = current()
    dest.mkdir(parents=True, exist_ok=True)
    # The review app (grader/review/) is the TA's: the kit's `grade` has no `review` command.
    shutil.copytree(PACKAGE, dest / "grader", ignore=_kit_ignore)
    data = dest / "grader" / "data"
    data.mkdir(exist_ok=True)
    (data / "kit").write_text("This grader is a student kit: `grade check` only.\n", "utf-8")
    # The assignment's package, without its reference, its rubric the public one.
    parts = assignment.package.split(".")
    for n in range(1, len(parts)):  # the packages above it (`assignments/__init__.py`)
        above = dest.joinpath(*parts[:n])
        above.mkdir(parents=True, exist_ok=True)
        init = assignment.root.parents[len(parts) - n - 1] / "__init__.py"
        (above / "__init__.py").write_text(init.read_text("utf-8") if init.is_file() else "", "utf-8")
    home = dest.joinpath(*parts)
    reference = assignment.reference.folder
    shutil.copytree(assignment.root, home, ignore=_assignment_ignore(reference))
    (home / assignment.rubric.relative_to(assignment.root)).write_text(public_rubric(rubric, registry()), "utf-8")
    data_files = sorted(str(p.relative_to(home)) for p in home.rglob("*") if p.is_file() and p.suffix != ".py")
    (dest / "pyproject.toml").write_text(_PYPROJECT.format(
        version=__version__, title=assignment.title.replace('"', "'"), name=assignment.kit_name or f"{assignment.name}-check", top=parts[0],
        assignment=assignment.name, package=assignment.package,
        data=", ".join(f'"{f}"' for f in data_files)), "utf-8")
    (dest / "README.md").write_text(t("kit.readme"), "utf-8")
    leaks = scan_for_solution(dest, rubric)
    if leaks:
        shutil.rmtree(dest / "grader", ignore_errors=True)
        raise KitError(t("kit.leak", leaks=", ".join(leaks[:5])))
    return dest


def _kit_ignore(folder: str, names: list[str]) -> set[str]:
    skipped = set(shutil.ignore_patterns("__pycache__", "*.pyc", "kit.py")(folder, names))
    if Path(folder).resolve() == PACKAGE:
        skipped |= {"review"} & set(names)
    return skipped


def _assignment_ignore(reference: Path | None):  # noqa: ANN202
    """What of the assignment's package stays out of the kit: its reference (and bytecode). A folder
    named `reference` anywhere in the kit makes `scan_for_solution` refuse it all the same."""
    skip = {reference.resolve()} if reference is not None else set()

    def ignore(folder: str, names: list[str]) -> set[str]:
        out = set(shutil.ignore_patterns("__pycache__", "*.pyc")(folder, names))
        return out | {n for n in names if (Path(folder) / n).resolve() in skip}

    return ignore


def answer_key(rubric: Rubric) -> list[str]:
    """The texts of the rubric a kit must never hold: explanations, the concepts of written answers,
    keyword patterns that are more than a plain word, and the expected values as the answers write them."""
    from .checks import registry

    checks = registry()
    key: list[str] = []
    for q, item in rubric.items():
        key += [s for s in (item.explanation, item.explanation_en) if s]
        if q.kind in ("written", "drawing"):
            key += [s for s in (item.description, item.description_en) if s]
        for pattern in list(item.params.get("ko", [])) + list(item.params.get("en", [])):
            if re.search(r"[\\|.(){}\[\]*+?]", pattern) or len(pattern) >= 12:
                key.append(pattern)
        key += [v for v in _value_texts(item, checks[item.check].answers) if v not in q.title]  # not what it asks
    return sorted(set(key))


def _value_texts(item: Any, answers: tuple[str, ...]) -> list[str]:
    values = [item.params[k] for k in answers if k in item.params]
    flat = [v for value in values for v in (value if isinstance(value, list) else [value])
            if isinstance(v, (int, float)) and not isinstance(v, bool)]
    if len(flat) > 1:
        return [", ".join(f"{v:g}" for v in flat)]  # "19, 24, 26, 17"; "105, 2, 50, 50"
    name = item.params.get("name")
    return [f"{name} = {flat[0]:g}"] if flat and name else []


def scan_for_solution(root: Path, rubric: Rubric | None = None) -> list[str]:
    """Where under `root` a piece of the answer key sits ("file: what"); empty when there is none."""
    leaks = [f"{p.relative_to(root)}/" for p in sorted(root.rglob("reference")) if p.is_dir()]
    patterns = forbidden()
    key = answer_key(rubric) if rubric is not None else []
    for path in sorted(root.rglob("*")):
        if path.suffix not in SCANNED or not path.is_file():
            continue
        rel = path.relative_to(root)
        text = path.read_text("utf-8", "replace")
        leaks += [f"{rel}: {p.pattern}" for p in patterns if p.search(text)]
        if path.suffix == ".toml":
            leaks += [f"{rel}: {m.group(1)} =" for m in ANSWER_FIELDS.finditer(text)]
        leaks += [f"{rel}: {k[:40]}" for k in key if k in text]
        if path.suffix in (".toml", ".md", ".html") or path.name in ("i18n.py", "messages.py"):  # what students read
            leaks += [f"{rel}: {c}" for c in code_leaks(text)]
        elif path.suffix == ".py":  # the grader's own code: no line of the solution in it
            leaks += [f"{rel}: {c}" for c in code_leaks(text, whole=True)]
    return leaks


_PYPROJECT = """[build-system]
requires = ["setuptools>=61"]
build-backend = "setuptools.build_meta"

[project]
name = "{name}"
version = "{version}"
description = "Self-check for {title} (grade check my_folder/)"
requires-python = ">=3.11"
dependencies = ["numpy>=1.24", "hypothesis==6.170.17", "jinja2>=3.1", "click>=8.1", "nbformat>=5.9", "pygments>=2.15",
                "python-docx>=1.1", "pdfplumber>=0.11", "pypdf>=4.0", "pillow>=10.0", "python-hwpx>=6.9,<7",
                "defusedxml>=0.7"]

[project.scripts]
grade = "grader.cli:main"

[project.entry-points."grader.assignments"]
{assignment} = "{package}:ASSIGNMENT"

[tool.setuptools.packages.find]
include = ["grader*", "{top}*"]

[tool.setuptools.package-data]
grader = ["data/*", "report/templates/*"]
"{package}" = [{data}]
"""
