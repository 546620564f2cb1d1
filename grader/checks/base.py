"""Checks: declared with a decorator, run against a submission's worker, concluding an `Outcome`.

A check is a function `(ctx) -> Outcome`. It may raise `Mismatch` (a wrong value, with the
minimal input that shows it) or `Failure` (anything else wrong, in words); a student exception
or a worker fault is turned into an outcome by the runner. Checks never trust the worker's
judgement: they receive plain values and compare them here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from ..model import Outcome
from ..sandbox.session import Session

CheckFn = Callable[["Context"], Outcome | None]


class Failure(Exception):
    """A check's failure in words: what is wrong, for the student."""

    def __init__(self, message: str, counterexample: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.counterexample = counterexample


class Mismatch(Failure):
    """A value that differs from what the definition gives, with the input that shows it."""


@dataclass(frozen=True)
class CheckSpec:
    id: str
    fn: CheckFn
    needs: tuple[str, ...] = ()  # names the submission must define ("Convolution")
    program: str = "code"  # "code": the question's program; "student": own layers; "text": the answer text
    params: tuple[str, ...] = ()  # rubric item keys the check reads (expected values, names)
    doc: str = ""


REGISTRY: dict[str, CheckSpec] = {}


def check(id: str, *, needs: tuple[str, ...] = (), program: str = "code",
          params: tuple[str, ...] = ()) -> Callable[[CheckFn], CheckFn]:
    """Register a check under `id` (the rubric's item id or `check` name)."""

    def register(fn: CheckFn) -> CheckFn:
        if id in REGISTRY:
            raise ValueError(f"check id {id!r} is registered twice")
        REGISTRY[id] = CheckSpec(id, fn, needs, program, params, (fn.__doc__ or "").strip())
        return fn

    return register


@dataclass
class Context:
    """What a check may use: the session, the question's program, the rubric item, the answer text."""

    session: Session
    program: str
    qid: str
    item: dict[str, Any]
    text: str = ""  # written and numeric answers
    with_reference: bool = False
    isolated: bool = True
    notes: list[str] = field(default_factory=list)
    cache: dict[str, Any] = field(default_factory=dict)  # shared by the checks of one submission

    def param(self, key: str, default: Any = None) -> Any:
        return self.item.get(key, default)
