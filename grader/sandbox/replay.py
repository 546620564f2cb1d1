"""Replaying a check's body: its requests answered from answers a batch already fetched.

A batch (`grader/checks/batch.py`) runs a check's body for many examples at once: each round it
replays every unfinished body with the answers it has (`Replay`), and the first request a body
makes that has no answer yet (`NeedAnswer`) goes to the worker with the others' in one request.
A body that asks something else than the first time (`ReplayMismatch`) is not deterministic.
"""

from __future__ import annotations

from typing import Any

from .client import StudentError


class NeedAnswer(BaseException):
    """A replayed body asked something not answered yet: the steps to send in the next batch.

    A BaseException, so that no `except Exception` in a check's body can swallow it."""

    def __init__(self, steps: list[dict[str, Any]]) -> None:
        super().__init__("needs an answer from the worker")
        self.steps = steps


class ReplayMismatch(BaseException):
    """A replayed body asked something else than the first time: it is not deterministic."""


class Replay:
    """Answers a body's requests from the answers a batch already fetched, in the order it asks.

    `offline`: after a fault, the worker is not asked anything more (nor started again).
    """

    def __init__(self, answers: list[tuple[str, Any]], *, offline: bool = False) -> None:
        self.answers = answers
        self.offline = offline
        self.n = 0
        self.prefix: list[dict[str, Any]] = []  # steps that belong to the next request (a seed)

    def ready(self) -> bool:
        return self.n < len(self.answers)

    def answer(self, op: str, payload: dict[str, Any]) -> Any:
        if not self.ready():
            raise NeedAnswer([*self.prefix, {"op": op, "payload": payload}])
        asked, value = self.answers[self.n]
        self.n += 1
        self.prefix = []
        if asked != op:
            raise ReplayMismatch(f"asked {op!r} where the first run asked {asked!r}")
        if isinstance(value, StudentError):
            raise StudentError(value.type_name, value.message, value.frames)
        return value

    def seed(self, seed: int) -> None:
        self.prefix.append({"op": "seed", "payload": {"seed": seed}})
