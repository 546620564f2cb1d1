"""Fixtures of the sandbox tests (helpers are in sandbox_support.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterator

import pytest

from grader.sandbox import bubblewrap, namespaces
from grader.sandbox.launch import Launcher
from grader.sandbox.limits import Limits

from sandbox_support import Student


@pytest.fixture
def student(tmp_path: Path) -> Iterator[Callable[..., Student]]:
    made: list[Student] = []

    def make(hostile: str, launcher: Launcher, limits: Limits | None = None) -> Student:
        s = Student(tmp_path, hostile, launcher, limits)
        made.append(s)
        return s

    yield make
    for s in made:
        s.close()


@pytest.fixture(scope="session")
def best_launcher() -> Launcher:
    """What the grader would use here: bubblewrap where it works, else the plain launcher."""
    return bubblewrap.launcher_for("grade")[0]


@pytest.fixture(scope="session")
def bwrap_launcher() -> Launcher:
    if not bubblewrap.available():
        pytest.skip(f"bubblewrap is not usable here: {bubblewrap.why_not}")
    return bubblewrap.bubblewrap_launcher


@pytest.fixture(params=["drop", "userns", "namespaces-root", "namespaces-userns"])
def flavor_launcher(request: pytest.FixtureRequest) -> Launcher:
    """Each way of sandboxing that works on this machine ("drop" and "namespaces-root" need root;
    "namespaces-…" are the kernel's namespaces used without bubblewrap)."""
    if request.param.startswith("namespaces-"):
        how = request.param.removeprefix("namespaces-")
        if not namespaces.works(how):
            pytest.skip(f"Linux namespaces ({how}) are not usable here: {namespaces.why_not}")
        return namespaces.launcher(how)
    if not bubblewrap.works(request.param):
        pytest.skip(f"bubblewrap flavor {request.param!r} is not usable here: {bubblewrap.why_not}")
    return bubblewrap.launcher(request.param)


@pytest.fixture(params=["bubblewrap", "namespaces"])
def sandbox_launcher(request: pytest.FixtureRequest) -> Launcher:
    """Each sandbox: bubblewrap (its best flavor here) and the namespaces used without it."""
    if request.param == "namespaces":
        if not namespaces.works():
            pytest.skip(f"Linux namespaces are not usable here: {namespaces.why_not}")
        return namespaces.namespaces_launcher
    if not bubblewrap.available():
        pytest.skip(f"bubblewrap is not usable here: {bubblewrap.why_not}")
    return bubblewrap.bubblewrap_launcher

