"""Which assignment the engine grades: a package declaring one `Assignment`, found by entry point.

The engine (`grader/`) knows no chapter, layer or question. An assignment is a package (e.g.
`assignments/a5_cnn/`) holding its rubric, its reference solution, what the book provides, its
check modules and their shipped examples, its names and messages, and the rules that cut its
network class into questions; its `__init__.py` declares them in one `Assignment`. Installed
assignments are listed under the entry-point group `grader.assignments` (`pyproject.toml`:
`[project.entry-points."grader.assignments"] a5 = "assignments.a5_cnn:ASSIGNMENT"`); the
subpackages of an `assignments` package on the path count too (a checkout run without install).

`grade --assignment NAME` (or `GRADE_ASSIGNMENT=NAME`) picks one where several are installed; the only
one installed is the default. NAME may also be a module path, `pkg.module` or `pkg.module:ATTR`.
The choice is kept in the environment, so grading processes and pools started later grade the same.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

GROUP = "grader.assignments"
ENV = "GRADE_ASSIGNMENT"


class AssignmentError(Exception):
    """No assignment, an unknown one, or several without a choice: the message says which exist."""


@dataclass(frozen=True)
class Names:
    """How the names an assignment grades are found in a student's code, however spelled."""

    graded: tuple[str, ...]  # every name a submission may answer, in the order they are chosen
    classes: tuple[str, ...] = ()  # those of them that are classes
    functions: tuple[str, ...] = ()
    aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)  # name -> other names (normal form)
    key_methods: dict[str, tuple[str, ...]] = field(default_factory=dict)  # class -> methods that show it is written
    probed: tuple[str, ...] = ()  # ties among candidates of these are settled by grading each one
    sheet_helpers: tuple[str, ...] = ()  # functions a sheet's code block may define beside a graded class
    provided_folders: tuple[str, ...] = ()  # where the book's own library sits in its layout ("common")


@dataclass(frozen=True)
class Library:
    """Sources a worker is given beside a student's code (the book's library, or the reference)."""

    folder: Path | None  # the package folder (None: not installed, as the reference in the kit)
    modules: tuple[str, ...]  # its modules, loaded in this order
    shown: str  # the folder name error messages show ("book", "reference")


@dataclass(frozen=True)
class Assignment:
    name: str  # what `--assignment` takes ("a5")
    title: str
    package: str  # the declaring package's import name
    root: Path  # its folder
    rubric: Path  # the rubric instructors edit
    book: Library  # what the book provides (the kit ships it)
    book_names: dict[str, tuple[str, str]]  # name -> (module of the book, attribute)
    reference: Library  # the solution (never in the kit)
    reference_package: str  # its import name
    answer_names: dict[str, tuple[str, str]]  # answers the reference gives where a question's code needs them
    layer_names: tuple[str, ...]  # what network questions run on instead of the student's own
    answer_files: dict[str, tuple[str, ...]]  # reference file -> the answer classes in it (never shown a student)
    names: Names
    check_modules: tuple[str, ...]  # imported to register the assignment's checks
    cases: Path  # the checks' shipped examples (`python -m grader.checks.cases`)
    messages: str = ""  # module with MESSAGES: {key: (Korean, English)} of its checks
    slots: str = ""  # module cutting a network class into its questions (see `grader/discover/sheetplan.py`)
    training: str = ""  # "module:function" training the student's network (`--train`)
    beside: dict[str, str] = field(default_factory=dict)  # network method -> program giving the reference's alone
    network_file: str = ""  # the reference module that defines the network class
    kit_name: str = ""  # the kit's project name
    # Names of the assignment's interface (parameters the questions give): a hint may say them, they
    # are no piece of the solution (`grader/audience.py`).
    interface: tuple[str, ...] = ()

    @property
    def has_reference(self) -> bool:
        return self.reference.folder is not None and (self.reference.folder / "__init__.py").is_file()

    def train_function(self) -> Callable[..., Any] | None:
        if not self.training:
            return None
        module, _, attr = self.training.partition(":")
        return getattr(importlib.import_module(module), attr)


def _entry_points() -> dict[str, Any]:
    from importlib import metadata  # not at import: it costs a self-check's start

    found = {}
    for ep in metadata.entry_points(group=GROUP):
        found.setdefault(ep.name, ep)
    return found


def _packaged() -> dict[str, str]:
    """name -> module of the subpackages of `assignments` on the path that declare an ASSIGNMENT."""
    try:
        pkg = importlib.import_module("assignments")
    except ImportError:
        return {}
    out = {}
    for info in pkgutil.iter_modules(getattr(pkg, "__path__", [])):
        if info.ispkg:
            out[info.name] = f"assignments.{info.name}"
    return out


@lru_cache(maxsize=1)
def _installed() -> tuple[tuple[str, str], ...]:
    out = {name: ep.value for name, ep in _entry_points().items()}
    for name, module in _packaged().items():
        if module not in {v.split(":")[0] for v in out.values()}:
            out[name] = module
    return tuple(out.items())


def installed() -> dict[str, str]:
    """Every assignment that can be chosen: name -> where it is declared (looked up once per process)."""
    return dict(_installed())


def _from_module(spec: str) -> Assignment:
    module, _, attr = spec.partition(":")
    try:
        loaded = importlib.import_module(module)
    except ImportError as exc:
        raise AssignmentError(_unknown(spec, f"{type(exc).__name__}: {exc}")) from None
    value = getattr(loaded, attr or "ASSIGNMENT", None)
    if not isinstance(value, Assignment):
        raise AssignmentError(_unknown(spec, f"{module} declares no {attr or 'ASSIGNMENT'} = Assignment(...)"))
    return value


def _unknown(name: str, why: str = "") -> str:
    from .i18n import t

    known = ", ".join(sorted(installed())) or "-"
    return t("assignment.unknown", name=name, known=known) + (f" ({why})" if why else "")


@lru_cache(maxsize=8)
def load(name: str | None = None) -> Assignment:
    """The assignment `name` (an installed name or a module path), else the one `GRADE_ASSIGNMENT`
    names, else the only one installed."""
    from .i18n import t

    name = name or os.environ.get(ENV) or None
    available = installed()
    if name is None:
        if len(available) == 1:
            name = next(iter(available))
        elif not available:
            raise AssignmentError(t("assignment.none"))
        else:
            raise AssignmentError(t("assignment.choose", known=", ".join(sorted(available))))
    if name in available:
        return _from_module(available[name])
    import importlib.util

    try:
        found = importlib.util.find_spec(name.partition(":")[0]) is not None
    except (ImportError, ValueError):
        found = False
    if found:  # a module path: `pkg.module` or `pkg.module:ATTR`
        return _from_module(name)
    raise AssignmentError(_unknown(name))


def current() -> Assignment:
    """The assignment of this run (see `select`)."""
    return load(os.environ.get(ENV) or None)


def select(name: str | None) -> Assignment:
    """Make `name` the assignment of this process and of every process it starts; returns it."""
    chosen = load(name)
    if name:
        os.environ[ENV] = name
    return chosen
