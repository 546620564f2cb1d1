"""Many examples, few round trips: a check's body run for every case, its worker calls batched.

A body talks to the worker through the session as if it were alone. Here it runs for all cases
at once, in rounds: each round replays every unfinished body with the answers it already has and
collects the next request each one needs; they all go to the worker in one batch. A body whose
calls are k deep costs k round trips, however many cases there are. Bodies must be deterministic
given their case and the answers, which checks are (their randomness is seeded by the case);
one that is not raises `ReplayMismatch`, and the caller runs it the plain way instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Sequence

from ..sandbox.replay import NeedAnswer, Replay
from ..sandbox.session import Session, WorkerFault


@dataclass
class Batched:
    """What became of each case: finished or not, what its body returned, the exception it raised."""

    finished: list[bool]
    errors: list[BaseException | None]  # None: the body returned
    values: list[Any]
    fault: WorkerFault | None = None  # the worker stopped (a hang, a crash): later cases are unfinished

    def first_error(self) -> int | None:
        return next((i for i, e in enumerate(self.errors) if e is not None), None)

    def first_unfinished(self) -> int | None:
        return next((i for i, done in enumerate(self.finished) if not done), None)

    def value(self, i: int) -> Any:
        """Case i's return value; its exception, or the fault that stopped it, raised as a plain run would."""
        if not self.finished[i]:
            assert self.fault is not None
            raise self.fault
        error = self.errors[i]
        if error is not None:
            raise error
        return self.values[i]


def run_batched(session: Session, cases: Sequence[Any], body: Callable[[Any], Any]) -> Batched:
    """Run `body(case)` for every case; a WorkerFault while loading a program propagates."""
    answers: list[list[tuple[str, Any]]] = [[] for _ in cases]
    run = Batched([False] * len(cases), [None] * len(cases), [None] * len(cases))
    while True:
        asks: list[tuple[int, list[dict[str, Any]]]] = []
        for i, case in enumerate(cases):
            if run.finished[i]:
                continue
            try:
                with session.replaying(Replay(answers[i], offline=run.fault is not None)):
                    run.values[i] = body(case)
                run.finished[i] = True
            except NeedAnswer as need:
                asks.append((i, need.steps))
            except Exception as exc:  # noqa: BLE001 - a Failure, or whatever the plain run would have seen
                run.errors[i] = exc
                run.finished[i] = True
        if not asks or run.fault is not None:
            return run
        got, run.fault = session.worker.batch([steps for _, steps in asks])
        for (i, steps), answer in zip(asks, got):
            answers[i].append((steps[-1]["op"], answer))


def each(session: Session, cases: Sequence[Any], body: Callable[[Any], Any]) -> list[Any]:
    """`[body(case) for case in cases]`, batched: a case's exception is raised when its turn comes
    (in case order, as the plain loop would), and a fault of the worker where the plain loop would
    have met it."""
    run = run_batched(session, cases, body)
    return [run.value(i) for i in range(len(cases))]
