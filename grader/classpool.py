"""Grading processes for a class: one submission at a time each, replaced when one dies.

Unlike a `ProcessPoolExecutor` — where one process killed breaks the whole pool and every pending
future — each process here has its own channel, so a death is known to be the death of the one
student that process was grading. That student is graded again once, on a fresh process; dying a
second time, it is reported with the cause (`Died`) and the class goes on. A process that grades
one student for far longer than its limits allow is killed and counted as dead.

Every process asks the kernel to kill it when the main process dies (`die_with_parent`), ignores
Ctrl-C (the main process stops the pool) and closes its copies of the run's output lock.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
import traceback
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any

from .i18n import t

ATTEMPTS = 2  # a student whose grading process dies is graded again once


@dataclass(frozen=True)
class Died:
    """The grading process died (twice) while grading this student: why, in words."""

    cause: str


@dataclass(frozen=True)
class Raised:
    """The grading function raised (a grader error): the traceback."""

    trace: str


@dataclass
class _Slot:
    proc: Any  # multiprocessing.Process
    conn: Connection
    task: Any = None  # (key, item) being graded
    started: float = 0.0


def _serve(conn: Connection, work: Callable[[Any], Any], parent: int) -> None:
    """The body of a grading process: grade what arrives, send back the result, until told to stop."""
    from .outdir import forget_inherited_locks
    from .sandbox.lifetime import die_with_parent

    die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    forget_inherited_locks()
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        key, item = message
        try:
            reply: tuple[Any, str, Any] = (key, "ok", work(item))
        except Exception:  # noqa: BLE001 - a grader error costs this student only
            reply = (key, "raised", traceback.format_exc(limit=4))
        conn.send(reply)


def cause_of(exitcode: int | None) -> str:
    """How a grading process ended, in words: `SIGKILL 신호로 종료`, `종료 코드 1`."""
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = str(-exitcode)
        return t("fault.pool.signal", signal=name)
    return t("fault.pool.exit", code=exitcode)


def run(items: list[Any], work: Callable[[Any], Any], workers: int, *, key: Callable[[Any], str],
        watchdog: float | None = None,
        retried: Callable[[Any, str], None] | None = None) -> Iterator[tuple[Any, Any, float]]:
    """Grade `items` in `workers` processes; yield `(item, result, seconds)` as each finishes.

    `result` is what `work(item)` returned, or `Raised`, or `Died` for an item whose process died
    `ATTEMPTS` times. `watchdog`: seconds after which a process still grading one item is killed.
    `retried(item, cause)` is told when an item is graded again because its process died.
    Closing the iterator (or an exception in the caller, Ctrl-C) kills every process at once.
    """
    ctx = multiprocessing.get_context("fork" if hasattr(os, "fork") else "spawn")
    queue = deque(items)
    tries: dict[str, int] = {}
    slots: list[_Slot] = []

    def start() -> _Slot:
        mine, theirs = ctx.Pipe(duplex=True)
        proc = ctx.Process(target=_serve, args=(theirs, work, os.getpid()), daemon=True)
        proc.start()
        theirs.close()
        slot = _Slot(proc, mine)
        slots.append(slot)
        return slot

    def retire(slot: _Slot) -> None:
        slots.remove(slot)
        slot.conn.close()
        if slot.proc.is_alive():
            slot.proc.kill()
        slot.proc.join(timeout=5)

    try:
        for _ in range(min(workers, len(queue))):
            start()
        while queue or any(s.task is not None for s in slots):
            for slot in list(slots):
                if slot.task is None and queue:
                    item = queue.popleft()
                    try:
                        slot.conn.send((key(item), item))
                    except OSError:  # it died idle: not this student's fault
                        queue.appendleft(item)
                        retire(slot)
                        start()
                        continue
                    slot.task, slot.started = (key(item), item), time.monotonic()
            busy = [s for s in slots if s.task is not None]
            ready = set(wait([s.conn for s in busy] + [s.proc.sentinel for s in busy], timeout=1.0))
            for slot in list(busy):
                if slot.conn in ready:
                    try:
                        _key, status, value = slot.conn.recv()
                    except (EOFError, OSError):
                        _key, status, value = None, "", None  # died while sending: its sentinel is ready too
                    if status:
                        item = slot.task[1]
                        slot.task = None
                        yield item, (value if status == "ok" else Raised(value)), time.monotonic() - slot.started
                        continue
                if slot.proc.sentinel in ready or not slot.proc.is_alive():
                    slot.proc.join(timeout=5)
                    yield from _death(slot, slot.proc.exitcode, tries, queue, retire, start, retried=retried)
                elif watchdog is not None and time.monotonic() - slot.started > watchdog:
                    slot.proc.kill()
                    slot.proc.join(timeout=5)
                    yield from _death(slot, None, tries, queue, retire, start, retried=retried,
                                      cause=t("fault.pool.watchdog", seconds=round(watchdog)))
    finally:
        for slot in list(slots):
            if slot.task is None and slot.proc.is_alive():
                try:
                    slot.conn.send(None)
                except OSError:
                    pass
        deadline = time.monotonic() + 2
        for slot in list(slots):
            if slot.task is None:
                slot.proc.join(timeout=max(0.0, deadline - time.monotonic()))
            retire(slot)


def _death(slot: _Slot, exitcode: int | None, tries: dict[str, int], queue: deque, retire: Callable[[_Slot], None],
           start: Callable[[], _Slot], cause: str = "",
           retried: Callable[[Any, str], None] | None = None) -> Iterator[tuple[Any, Any, float]]:
    """A process died while grading: the student again once (first in line), else `Died`; a new process."""
    k, item = slot.task
    seconds = time.monotonic() - slot.started
    slot.task = None
    retire(slot)
    start()
    tries[k] = tries.get(k, 0) + 1
    cause = cause or cause_of(exitcode)
    if tries[k] < ATTEMPTS:
        queue.appendleft(item)
        if retried is not None:
            retried(item, cause)
        return
    yield item, Died(cause), seconds
