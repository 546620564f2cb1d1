"""How a worker process is started: plainly, or inside a sandbox.

A launcher turns the worker's command line into the command to run and a function the child runs
before exec (setting limits). The plain launcher only sets resource limits; the sandboxed one
(`bubblewrap.py`) adds namespaces and a private file system.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Protocol

from .limits import Limits


class Launcher(Protocol):
    def __call__(self, argv: list[str], workdir: Path, limits: Limits,
                 fds: tuple[int, ...]) -> tuple[list[str], Callable[[], None] | None]: ...


def plain_launcher(argv: list[str], workdir: Path, limits: Limits,
                   fds: tuple[int, ...]) -> tuple[list[str], Callable[[], None] | None]:
    """Resource limits and a scrubbed environment only (macOS, Windows, or no bubblewrap)."""
    return argv, limits.apply
