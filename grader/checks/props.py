"""Properties over geometries, driven by Hypothesis from the grader process, shrunk to minimal inputs.

Arrays are made from a seed Hypothesis draws, with small integer values, so a shrunk
counterexample is small in shape and readable in values. Runs are derandomized and use no
example database: the same submission gets the same examples, hence the same points, every run.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import numpy as np
from hypothesis import HealthCheck, Phase, Verbosity, given, settings
from hypothesis import strategies as st

from ..i18n import t
from ..model import Outcome
from ..sandbox.session import StudentError
from .base import Failure, Mismatch
from .oracles import out_size

SETTINGS = dict(
    derandomize=True, database=None, deadline=None, verbosity=Verbosity.quiet, report_multiple_bugs=False,
    suppress_health_check=list(HealthCheck), phases=(Phase.explicit, Phase.generate, Phase.shrink),
)


def run_property(strategy: st.SearchStrategy, body: Callable[[Any], None], *, examples: int = 40) -> Outcome:
    """Run `body` on examples of `strategy`; the first failure, shrunk, becomes the outcome."""

    @settings(max_examples=examples, **SETTINGS)
    @given(strategy)
    def prop(case: Any) -> None:
        body(case)

    try:
        prop()
    except Failure as f:
        return Outcome.fail(f.message, f.counterexample)
    return Outcome.ok()


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


@st.composite
def conv_cases(draw: Any, max_side: int = 7, stride_max: int = 3, pad_max: int = 2) -> ConvCase:
    N = draw(st.integers(1, 3))
    C = draw(st.integers(1, 3))
    FN = draw(st.integers(1, 3))
    FH = draw(st.integers(1, 4))
    FW = draw(st.integers(1, 4))
    stride = draw(st.integers(1, stride_max))
    pad = draw(st.integers(0, pad_max))
    H = draw(st.integers(max(1, FH - 2 * pad), max_side))
    W = draw(st.integers(max(1, FW - 2 * pad), max_side))
    seed = draw(st.integers(0, 2**16))
    return ConvCase(N, C, H, W, FN, FH, FW, stride, pad, seed)


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


@st.composite
def pool_cases(draw: Any, max_side: int = 7) -> PoolCase:
    N = draw(st.integers(1, 3))
    C = draw(st.integers(1, 3))
    PH = draw(st.integers(1, 3))
    PW = draw(st.integers(1, 3))
    stride = draw(st.integers(1, 3))
    H = draw(st.integers(PH, max_side))
    W = draw(st.integers(PW, max_side))
    return PoolCase(N, C, H, W, PH, PW, stride, draw(st.integers(0, 2**16)))


# ── comparing what came back ───────────────────────────────────────────────────────────────────

def as_array(value: Any, what: str, inputs: dict[str, Any]) -> np.ndarray:
    """The student's output as an ndarray of numbers, or a Failure saying what it was instead."""
    if not isinstance(value, np.ndarray):
        raise Failure(t("check.not_array", what=what, kind=_kind(value)), {"input": inputs})
    if value.dtype.kind not in "biuf":
        raise Failure(t("check.not_numeric", what=what, dtype=value.dtype), {"input": inputs})
    return value


def expect_shape(value: np.ndarray, shape: tuple[int, ...], what: str, inputs: dict[str, Any]) -> None:
    if tuple(value.shape) != tuple(shape):
        raise Mismatch(t("check.shape", what=what, shape=tuple(value.shape), expected=tuple(shape)),
                       {"input": inputs, "expected": {"shape": list(shape)}, "actual": {"shape": list(value.shape)}})


def expect_close(value: np.ndarray, expected: np.ndarray, what: str, inputs: dict[str, Any],
                 rtol: float = 1e-6, atol: float = 1e-8) -> None:
    expect_shape(value, expected.shape, what, inputs)
    bad = ~np.isclose(value, expected, rtol=rtol, atol=atol)
    if bad.any():
        idx = tuple(int(i) for i in np.argwhere(bad)[0])
        raise Mismatch(
            t("check.values", what=what, n=int(bad.sum()), index=idx, expected=expected[idx], actual=value[idx]),
            {"input": inputs, "expected": expected, "actual": value, "first_difference": list(idx)},
        )


def student_call(fn: Callable[[], Any], what: str, inputs: dict[str, Any]) -> Any:
    """Run a call into student code; an exception it raises is a failure shown with its input."""
    try:
        return fn()
    except StudentError as exc:
        where = exc.where()
        at = f" ({where})" if where else ""
        raise Failure(t("check.raised", what=what, where=at, type=exc.type_name, message=exc.message),
                      {"input": inputs}) from None


def _kind(value: Any) -> str:
    if value is None:
        return "None"
    return type(value).__name__
