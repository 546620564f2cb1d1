"""7.4.3.2 — Convolution.forward, and im2col/col2im where the student wrote them."""

from __future__ import annotations

from typing import Any

import numpy as np
from grader.i18n import t
from grader.model import Outcome
from grader.checks.base import Context, Failure, Mismatch, check, property_check
from .oracles import convolve, unfold
from .geometry import ConvCase
from grader.checks.props import as_array, expect_close, expect_shape, ints, student_call


def _strategies():  # noqa: ANN202 - Hypothesis is imported only to generate the examples or to shrink
    from . import strategies

    return strategies


def _arrays(case: ConvCase, bias: bool = False) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(case.seed)
    x = ints(rng, (case.N, case.C, case.H, case.W))
    W = ints(rng, (case.FN, case.C, case.FH, case.FW), -2, 3)
    b = (np.arange(case.FN, dtype=np.float64) + 1) * 10 if bias else np.zeros(case.FN)
    return x, W, b


def _forward(ctx: Context, case: ConvCase, x: np.ndarray, W: np.ndarray, b: np.ndarray) -> np.ndarray:
    inputs = {**case.geometry(), "x": x, "W": W, "b": b}
    s = ctx.session
    layer = student_call(lambda: s.new(ctx.program, "Convolution", W, b, case.stride, case.pad),
                         "Convolution(W, b, stride, pad)", inputs)
    out = student_call(lambda: s.call(layer, "forward", x), "Convolution.forward(x)", inputs)
    return as_array(out, "Convolution.forward(x)", inputs)


@property_check("conv.forward.shape", cases=lambda: _strategies().conv_cases(), examples=50, case_type=ConvCase,
                needs=("Convolution",))
def conv_forward_shape(ctx: Context, case: ConvCase) -> None:
    """The output has shape (N, FN, OH, OW) for any geometry."""
    x, W, b = _arrays(case)
    out = _forward(ctx, case, x, W, b)
    expect_shape(out, (case.N, case.FN, *case.out), "Convolution.forward(x)", case.geometry())


@property_check("conv.forward.values", cases=lambda: _strategies().conv_cases(), examples=50, case_type=ConvCase,
                needs=("Convolution",), after=("conv.forward.shape",))
def conv_forward_values(ctx: Context, case: ConvCase) -> None:
    """Values equal the definition (bias zero): stride, pad, non-square, several channels and filters."""
    x, W, b = _arrays(case)
    out = _forward(ctx, case, x, W, b)
    expected = convolve(x, W, b, case.stride, case.pad)
    if out.size == expected.size and out.shape != expected.shape:
        # Same numbers, wrong arrangement? Say so: that is the transposed-reshape mistake.
        raise Mismatch(t("check.conv.reshape", shape=out.shape, expected=expected.shape),
                       input={**case.geometry(), "x": x, "W": W}, expected=expected, actual=out)
    expect_close(out, expected, "Convolution.forward(x)", {**case.geometry(), "x": x, "W": W})


@property_check("conv.forward.bias", cases=lambda: _strategies().conv_cases(max_side=5), examples=20, case_type=ConvCase,
                needs=("Convolution",), after=("conv.forward.shape",))
def conv_forward_bias(ctx: Context, case: ConvCase) -> None:
    """Adding a bias b adds b[f] to every output of filter f."""
    x, W, b0 = _arrays(case)
    _, _, b = _arrays(case, bias=True)
    plain = _forward(ctx, case, x, W, b0)
    biased = _forward(ctx, case, x, W, b)
    inputs = {**case.geometry(), "x": x, "W": W, "b": b}
    if plain.shape != biased.shape or plain.ndim != 4:
        raise Failure(t("check.conv.bias_shape"), input=inputs)
    expected = plain + b.reshape(1, -1, 1, 1) if plain.shape[1] == case.FN else None
    if expected is None:
        raise Failure(t("check.conv.bias_axis", fn=case.FN, shape=plain.shape), input=inputs)
    expect_close(biased, expected, t("check.conv.with_bias"), inputs)


@check("conv.forward.pure", needs=("Convolution",), after=("conv.forward.shape",))
def conv_forward_pure(ctx: Context) -> Outcome:
    """forward leaves its input x and the weights W it was given unchanged (the very arrays passed in)."""
    s = ctx.session
    for case in (ConvCase(2, 3, 5, 6, 2, 3, 2, 1, 1, 7), ConvCase(1, 2, 6, 5, 3, 2, 3, 2, 0, 8)):
        x, W, b = _arrays(case, bias=True)
        inputs = {**case.geometry(), "x": x, "W": W, "b": b}
        x_ref, W_ref = s.put(x), s.put(W)  # kept in the worker: whatever attribute the layer keeps W under
        layer = student_call(lambda: s.new(ctx.program, "Convolution", W_ref, b, case.stride, case.pad),
                             "Convolution(...)", inputs)
        student_call(lambda: s.call(layer, "forward", x_ref), "Convolution.forward(x)", inputs)
        after_x = s.get(x_ref)
        if not (isinstance(after_x, np.ndarray) and np.array_equal(after_x, x)):
            raise Failure(t("check.modified_x"), input=inputs)
        after_W = s.get(W_ref)
        if not (isinstance(after_W, np.ndarray) and after_W.shape == W.shape and np.array_equal(after_W, W)):
            raise Failure(t("check.conv.modified_W"), input=inputs)
    return Outcome.ok()


@check("conv.forward.dtype", needs=("Convolution",), after=("conv.forward.shape",))
def conv_forward_dtype(ctx: Context) -> Outcome:
    """Fractional inputs give a floating-point ndarray (nothing rounded to integers)."""
    case = ConvCase(2, 2, 5, 5, 2, 3, 3, 1, 0, 3)
    rng = np.random.default_rng(3)
    x = rng.standard_normal((2, 2, 5, 5)) / 3
    W = rng.standard_normal((2, 2, 3, 3)) / 3
    b = np.array([0.25, -0.5])
    out = _forward(ctx, case, x, W, b)
    if out.dtype.kind != "f":
        raise Failure(t("check.float", dtype=out.dtype), input={**case.geometry(), "x": x, "W": W, "b": b})
    return Outcome.ok()


@property_check("im2col.values", cases=lambda: _strategies().conv_cases(max_side=6), examples=30, case_type=ConvCase,
                needs=("im2col",), program="student")
def im2col_values(ctx: Context, case: ConvCase) -> None:
    """im2col unfolds to (N·OH·OW, C·FH·FW), rows (n, y, x), columns (c, ky, kx)."""
    s = ctx.session
    x, _, _ = _arrays(case)
    inputs = {**case.geometry(), "x": x}
    col = student_call(lambda: s.new(ctx.program, "im2col", x, case.FH, case.FW, case.stride, case.pad),
                       "im2col(input_data, filter_h, filter_w, stride, pad)", inputs)
    col = as_array(col, "im2col(...)", inputs)
    expect_close(col, unfold(x, case.FH, case.FW, case.stride, case.pad), "im2col(...)", inputs)


@property_check("col2im.adjoint", cases=lambda: _strategies().conv_cases(max_side=6), examples=30, case_type=ConvCase,
                needs=("col2im",), program="student")
def col2im_adjoint(ctx: Context, case: ConvCase) -> None:
    """col2im is the adjoint of im2col: ⟨im2col(x), c⟩ = ⟨x, col2im(c)⟩ (overlaps summed)."""
    s = ctx.session
    rng = np.random.default_rng(case.seed)
    x = ints(rng, (case.N, case.C, case.H, case.W))
    cols = unfold(x, case.FH, case.FW, case.stride, case.pad)
    c = ints(rng, cols.shape)
    inputs: dict[str, Any] = {**case.geometry(), "col": c}
    back = student_call(lambda: s.new(ctx.program, "col2im", c, (case.N, case.C, case.H, case.W),
                                      case.FH, case.FW, case.stride, case.pad),
                        "col2im(col, input_shape, FH, FW, stride, pad)", inputs)
    back = as_array(back, "col2im(...)", inputs)
    expect_shape(back, x.shape, "col2im(...)", inputs)
    lhs, rhs = float(np.sum(cols * c)), float(np.sum(x * back))
    if not np.isclose(lhs, rhs):
        raise Mismatch(t("check.conv.adjoint", lhs=lhs, rhs=rhs),
                       input={**inputs, "x": x}, expected=lhs, actual=rhs)


