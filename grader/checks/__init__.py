"""The grader's checks, registered by id (`REGISTRY`); the rubric names them."""

from __future__ import annotations

from .base import REGISTRY, CheckSpec, Context, Failure, Mismatch, NotChecked, check


def registry() -> dict[str, CheckSpec]:
    """Every check: the engine's (written and numeric answers) and the assignment's, all imported."""
    import importlib

    from ..assignment import current
    from . import answers  # noqa: F401 - importing registers

    for module in current().check_modules:
        importlib.import_module(module)
    return REGISTRY


__all__ = ["REGISTRY", "CheckSpec", "Context", "Failure", "Mismatch", "NotChecked", "check", "registry"]
