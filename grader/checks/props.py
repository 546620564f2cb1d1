"""Properties over geometries: examples from Hypothesis, run in batches, failures shrunk to minimal inputs.

Arrays are made from a seed Hypothesis draws, with small integer values, so a shrunk
counterexample is small in shape and readable in values. The examples of each property are the
ones a derandomized Hypothesis run generates; they are generated once and shipped with the grader
(`grader/data/cases.json`, see `cases.py`), so every run, on every machine and with any Hypothesis
version, checks the same examples: the same submission gets the same points. They run in batches
(`batch.py`, a few round trips to the worker); only when one fails does Hypothesis run the
property the plain way, to shrink the failure to a minimal counterexample.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

from ..i18n import t
from ..model import Outcome
from ..sandbox.session import ReplayMismatch, Session, StudentError
from .base import Failure, Mismatch, failure_outcome, student_cause
from .batch import run_batched
from .oracles import out_size


def run_property(session: Session, key: str, body: Callable[[Any], None]) -> Outcome:
    """Run `body` on every example of the property `key`; the first failure, shrunk, is the outcome."""
    from .cases import case_list

    cases = case_list(key)
    try:
        run = run_batched(session, cases, body)
    except ReplayMismatch:
        return _shrunk(key, body, set(), None)
    bad, stopped = run.first_error(), run.first_unfinished()
    if run.fault is not None and (bad is None or (stopped is not None and stopped < bad)):
        raise run.fault  # the worker stopped before any example was seen to fail: as a plain run would
    if bad is None:
        return Outcome.ok()
    return _shrunk(key, body, set(cases[:bad]), run.errors[bad])


def _shrunk(key: str, body: Callable[[Any], None], passed: set[Any], error: BaseException | None) -> Outcome:
    """Run the property with Hypothesis (examples already seen to pass are not asked again), which
    finds the failure again and shrinks it. If it does not find it (student code that depends on
    the order of calls), the failing example found in the batch is the outcome, unshrunk."""
    from hypothesis.errors import Flaky

    from .strategies import PROPERTIES, hypothesis_run

    strategy, examples = PROPERTIES[key]

    def again(case: Any) -> None:
        if case not in passed:
            body(case)

    try:
        outcome = hypothesis_run(strategy(), again, examples)
    except Flaky:  # an input that fails once and passes the next time: nothing to shrink
        outcome = None if isinstance(error, Failure) else Outcome.fail(t("check.flaky"))
    if outcome is not None or error is None:
        return outcome or Outcome.ok()
    if isinstance(error, Failure):
        return failure_outcome(error)
    raise error


def ints(rng: np.random.Generator, shape: tuple[int, ...], low: int = -4, high: int = 5) -> np.ndarray:
    return rng.integers(low, high, size=shape).astype(np.float64)


def distinct(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    """Values without ties (max pooling's gradient is then well defined)."""
    n = int(np.prod(shape))
    return (rng.permutation(n).astype(np.float64) - n // 2).reshape(shape) / 2


@dataclass(frozen=True)
class ConvCase:
    N: int
    C: int
    H: int
    W: int
    FN: int
    FH: int
    FW: int
    stride: int
    pad: int
    seed: int

    @property
    def out(self) -> tuple[int, int]:
        return out_size(self.H, self.FH, self.stride, self.pad), out_size(self.W, self.FW, self.stride, self.pad)

    def geometry(self) -> dict[str, Any]:
        return {"x.shape": (self.N, self.C, self.H, self.W), "W.shape": (self.FN, self.C, self.FH, self.FW),
                "stride": self.stride, "pad": self.pad}


@dataclass(frozen=True)
class PoolCase:
    N: int
    C: int
    H: int
    W: int
    PH: int
    PW: int
    stride: int
    seed: int

    @property
    def out(self) -> tuple[int, int]:
        return out_size(self.H, self.PH, self.stride, 0), out_size(self.W, self.PW, self.stride, 0)

    def geometry(self) -> dict[str, Any]:
        return {"x.shape": (self.N, self.C, self.H, self.W), "pool_h": self.PH, "pool_w": self.PW,
                "stride": self.stride, "pad": 0}


@dataclass(frozen=True)
class NetConfig:
    C: int
    size: int
    filter_num: int
    filter_size: int
    pad: int
    stride: int
    hidden: int
    output: int
    std: float = 0.01

    @property
    def conv_out(self) -> int:
        return (self.size - self.filter_size + 2 * self.pad) // self.stride + 1

    @property
    def pool_out(self) -> int:
        return self.filter_num * (self.conv_out // 2) ** 2

    def kwargs(self) -> dict[str, Any]:
        return {"input_dim": (self.C, self.size, self.size),
                "conv_param": {"filter_num": self.filter_num, "filter_size": self.filter_size,
                               "pad": self.pad, "stride": self.stride},
                "hidden_size": self.hidden, "output_size": self.output, "weight_init_std": self.std}

    def shapes(self) -> dict[str, tuple[int, ...]]:
        fn, fs = self.filter_num, self.filter_size
        return {"W1": (fn, self.C, fs, fs), "b1": (fn,), "W2": (self.pool_out, self.hidden), "b2": (self.hidden,),
                "W3": (self.hidden, self.output), "b3": (self.output,)}

    def shown(self) -> dict[str, Any]:
        return {"SimpleConvNet": self.kwargs()}



# ── comparing what came back ───────────────────────────────────────────────────────────────────

def as_array(value: Any, what: str, inputs: dict[str, Any]) -> np.ndarray:
    """The student's output as an ndarray of numbers, or a Failure saying what it was instead."""
    if not isinstance(value, np.ndarray):
        raise Failure(t("check.not_array", what=what, kind=_kind(value)), input=inputs)
    if value.dtype.kind not in "biuf":
        raise Failure(t("check.not_numeric", what=what, dtype=value.dtype), input=inputs)
    return value


def expect_shape(value: np.ndarray, shape: tuple[int, ...], what: str, inputs: dict[str, Any]) -> None:
    if tuple(value.shape) != tuple(shape):
        raise Mismatch(t("check.shape", what=what, shape=tuple(value.shape), expected=tuple(shape)),
                       input=inputs, expected={"shape": list(shape)}, actual={"shape": list(value.shape)})


def expect_close(value: np.ndarray, expected: np.ndarray, what: str, inputs: dict[str, Any],
                 rtol: float = 1e-6, atol: float = 1e-8) -> None:
    expect_shape(value, expected.shape, what, inputs)
    bad = ~np.isclose(value, expected, rtol=rtol, atol=atol)
    if bad.any():
        idx = tuple(int(i) for i in np.argwhere(bad)[0])
        raise Mismatch(t("check.values", what=what, n=int(bad.sum()), index=idx, expected=expected[idx],
                         actual=value[idx]), input=inputs, expected=expected, actual=value, first_difference=list(idx))


def student_call(fn: Callable[[], Any], what: str, inputs: dict[str, Any]) -> Any:
    """Run a call into student code; an exception it raises is a failure shown with its input."""
    try:
        return fn()
    except StudentError as exc:
        where = exc.where()
        at = f" ({where})" if where else ""
        raise Failure(t("check.raised", what=what, where=at, type=exc.type_name, message=exc.message),
                      input=inputs, cause=student_cause(exc)) from None


def _kind(value: Any) -> str:
    if value is None:
        return "None"
    return type(value).__name__
