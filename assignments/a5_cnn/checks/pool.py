"""7.4.4.1 — Pooling.forward (max pooling, pad 0: the geometry the assignment defines)."""

from __future__ import annotations

import numpy as np

from grader.i18n import t
from grader.model import Outcome
from grader.checks.base import Context, Failure, Mismatch, check, property_check
from .oracles import max_pool
from .geometry import PoolCase
from grader.checks.props import as_array, expect_close, expect_shape, ints, student_call


def _strategies():  # noqa: ANN202 - Hypothesis is imported only to generate the examples or to shrink
    from . import strategies

    return strategies


def _forward(ctx: Context, case: PoolCase, x: np.ndarray) -> np.ndarray:
    inputs = {**case.geometry(), "x": x}
    s = ctx.session
    layer = student_call(lambda: s.new(ctx.program, "Pooling", case.PH, case.PW, case.stride, 0),
                         "Pooling(pool_h, pool_w, stride, pad=0)", inputs)
    out = student_call(lambda: s.call(layer, "forward", x), "Pooling.forward(x)", inputs)
    return as_array(out, "Pooling.forward(x)", inputs)


@property_check("pool.forward.shape", cases=lambda: _strategies().pool_cases(), examples=50, case_type=PoolCase,
                needs=("Pooling",))
def pool_forward_shape(ctx: Context, case: PoolCase) -> None:
    """The output has shape (N, C, OH, OW)."""
    x = ints(np.random.default_rng(case.seed), (case.N, case.C, case.H, case.W))
    out = _forward(ctx, case, x)
    expect_shape(out, (case.N, case.C, *case.out), "Pooling.forward(x)", case.geometry())


@property_check("pool.forward.values", cases=lambda: _strategies().pool_cases(), examples=50, case_type=PoolCase,
                needs=("Pooling",), after=("pool.forward.shape",))
def pool_forward_values(ctx: Context, case: PoolCase) -> None:
    """Each output is the maximum of its window, channel by channel."""
    x = ints(np.random.default_rng(case.seed), (case.N, case.C, case.H, case.W))
    out = _forward(ctx, case, x)
    expected = max_pool(x, case.PH, case.PW, case.stride)
    inputs = {**case.geometry(), "x": x}
    if out.shape == expected.shape and not np.allclose(out, expected):
        windows_mean = _mean_pool(x, case)
        if np.allclose(out, windows_mean):
            raise Mismatch(t("check.pool.mean"), input=inputs, expected=expected, actual=out)
    expect_close(out, expected, "Pooling.forward(x)", inputs)


def _mean_pool(x: np.ndarray, case: PoolCase) -> np.ndarray:
    OH, OW = case.out
    out = np.empty((case.N, case.C, OH, OW))
    s = case.stride
    for i in range(OH):
        for j in range(OW):
            out[:, :, i, j] = x[:, :, i * s:i * s + case.PH, j * s:j * s + case.PW].mean(axis=(2, 3))
    return out


@check("pool.forward.pure", needs=("Pooling",), after=("pool.forward.shape",))
def pool_forward_pure(ctx: Context) -> Outcome:
    """forward leaves its input x unchanged."""
    s = ctx.session
    case = PoolCase(2, 3, 6, 5, 2, 2, 2, 11)
    x = ints(np.random.default_rng(11), (2, 3, 6, 5))
    inputs = {**case.geometry(), "x": x}
    x_ref = s.put(x)
    layer = student_call(lambda: s.new(ctx.program, "Pooling", 2, 2, 2, 0), "Pooling(2, 2, 2)", inputs)
    student_call(lambda: s.call(layer, "forward", x_ref), "Pooling.forward(x)", inputs)
    after = s.get(x_ref)
    if not (isinstance(after, np.ndarray) and np.array_equal(after, x)):
        raise Failure(t("check.modified_x"), input=inputs)
    return Outcome.ok()


@check("pool.forward.dtype", needs=("Pooling",), after=("pool.forward.shape",))
def pool_forward_dtype(ctx: Context) -> Outcome:
    """Fractional input gives a floating-point ndarray."""
    case = PoolCase(1, 2, 4, 4, 2, 2, 2, 0)
    x = np.random.default_rng(5).standard_normal((1, 2, 4, 4)) / 3
    out = _forward(ctx, case, x)
    if out.dtype.kind != "f":
        raise Failure(t("check.float", dtype=out.dtype), input={"x": x})
    return Outcome.ok()
