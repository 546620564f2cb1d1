"""7.5.1.6 items — Convolution.backward and Pooling.backward against numerical gradients of the
student's own forward (a wrong forward with a consistent backward passes here: it costs elsewhere).

For f(x) = ⟨forward(x), G⟩ with a fixed random G, backward(G) must give ∂f/∂x, and the layer's
dW, db the derivatives with respect to W and b. They are compared along random directions v:
(f(x + h·v) − f(x − h·v)) / 2h ≈ ⟨dx, v⟩.
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ..i18n import t
from ..model import Outcome
from .base import Context, Failure, check
from .props import ConvCase, PoolCase, as_array, distinct, ints, student_call

H = 1e-3  # the functions are (piecewise) linear in each argument: a large step is exact and stable



def _has_backward(ctx: Context, layer: Any) -> bool:
    """A sheet answers only what the assignment asks (forward); backward is then not the student's to grade."""
    try:
        ctx.session.get(layer, "backward")
    except Exception:  # noqa: BLE001 - AttributeError raised in the worker
        return False
    return True


def _close(analytic: float, numeric: float) -> bool:
    return abs(analytic - numeric) <= 1e-5 * max(abs(analytic), abs(numeric)) + 1e-6


def _directional(f: Callable[[np.ndarray], float], at: np.ndarray, grad: Any, name: str,
                 rng: np.random.Generator, inputs: dict[str, Any]) -> None:
    if not isinstance(grad, np.ndarray) or grad.shape != at.shape:
        raise Failure(t("check.backward.shape", name=name, shape=getattr(grad, "shape", type(grad).__name__),
                        expected=at.shape), {"input": inputs})
    for _ in range(2):
        v = rng.standard_normal(at.shape)
        numeric = (f(at + H * v) - f(at - H * v)) / (2 * H)
        analytic = float(np.sum(grad * v))
        if not _close(analytic, numeric):
            raise Failure(t("check.backward.numeric", name=name, analytic=analytic, numeric=numeric),
                          {"input": inputs, "expected": numeric, "actual": analytic})


@check("conv.backward", needs=("Convolution",), program="student")
def conv_backward(ctx: Context) -> Outcome:
    """Convolution.backward's dx, dW, db agree with numerical gradients of the forward."""
    s = ctx.session
    cases = (ConvCase(2, 2, 5, 6, 3, 3, 2, 1, 1, 21), ConvCase(1, 3, 7, 6, 2, 3, 3, 2, 1, 22),
             ConvCase(2, 1, 4, 4, 2, 2, 2, 1, 0, 23))
    probe = student_call(lambda: s.new(ctx.program, "Convolution", np.ones((1, 1, 1, 1)), np.zeros(1), 1, 0),
                         "Convolution(W, b)", {})
    if not _has_backward(ctx, probe):
        return Outcome.ok(t("check.backward.not_asked"))
    tried = 0
    for case in cases:
        rng = np.random.default_rng(case.seed)
        x = ints(rng, (case.N, case.C, case.H, case.W))
        W = ints(rng, (case.FN, case.C, case.FH, case.FW), -2, 3)
        b = rng.standard_normal(case.FN)
        inputs = {**case.geometry(), "x": x, "W": W, "b": b}

        def forward(xx: np.ndarray, WW: np.ndarray = W, bb: np.ndarray = b) -> np.ndarray:
            layer = s.new(ctx.program, "Convolution", WW, bb, case.stride, case.pad)
            return s.call(layer, "forward", xx)

        try:
            out = forward(x)
            out = as_array(out, "forward", inputs)
        except Exception:  # noqa: BLE001 - a forward that fails here is graded in 7.4.3.2
            continue
        tried += 1
        G = rng.standard_normal(out.shape)
        layer = s.new(ctx.program, "Convolution", W, b, case.stride, case.pad)
        if not _has_backward(ctx, layer):
            return Outcome.ok(t("check.backward.not_asked"))
        student_call(lambda: s.call(layer, "forward", x), "forward(x)", inputs)
        dx = student_call(lambda: s.call(layer, "backward", G), "Convolution.backward(dout)", inputs)
        dW = student_call(lambda: s.get(layer, "dW"), "Convolution.dW", inputs)
        db = student_call(lambda: s.get(layer, "db"), "Convolution.db", inputs)

        def f_of(make: Callable[[np.ndarray], np.ndarray]) -> Callable[[np.ndarray], float]:
            return lambda v: float(np.sum(as_array(make(v), "forward", inputs) * G))

        _directional(f_of(lambda xx: forward(xx)), x, dx, t("check.backward.dx"), rng, inputs)
        _directional(f_of(lambda WW: forward(x, WW)), W, dW, "dW", rng, inputs)
        _directional(f_of(lambda bb: forward(x, W, bb)), b, db, "db", rng, inputs)
    if not tried:
        return Outcome.fail(t("check.backward.conv_forward_failed"))
    return Outcome.ok()


@check("pool.backward", needs=("Pooling",), program="student")
def pool_backward(ctx: Context) -> Outcome:
    """Pooling.backward's dx agrees with numerical gradients of the forward (gradient to each max only)."""
    s = ctx.session
    probe = student_call(lambda: s.new(ctx.program, "Pooling", 2, 2, 2, 0), "Pooling(2, 2, 2)", {})
    if not _has_backward(ctx, probe):
        return Outcome.ok(t("check.backward.not_asked"))
    tried = 0
    for case in (PoolCase(2, 2, 4, 6, 2, 2, 2, 31), PoolCase(1, 3, 5, 5, 3, 2, 1, 32), PoolCase(2, 1, 6, 4, 2, 3, 2, 33)):
        rng = np.random.default_rng(case.seed)
        x = distinct(rng, (case.N, case.C, case.H, case.W))
        inputs = {**case.geometry(), "x": x}

        def forward(xx: np.ndarray) -> Any:
            layer = s.new(ctx.program, "Pooling", case.PH, case.PW, case.stride, 0)
            return s.call(layer, "forward", xx)

        try:
            out = as_array(forward(x), "forward", inputs)
        except Exception:  # noqa: BLE001 - graded in 7.4.4.1
            continue
        tried += 1
        G = rng.standard_normal(out.shape)
        layer = s.new(ctx.program, "Pooling", case.PH, case.PW, case.stride, 0)
        if not _has_backward(ctx, layer):
            return Outcome.ok(t("check.backward.not_asked"))
        student_call(lambda: s.call(layer, "forward", x), "forward(x)", inputs)
        dx = student_call(lambda: s.call(layer, "backward", G), "Pooling.backward(dout)", inputs)
        _directional(lambda v: float(np.sum(as_array(forward(v), "forward", inputs) * G)), x, dx,
                     t("check.backward.dx"), rng, inputs)
    if not tried:
        return Outcome.fail(t("check.backward.pool_forward_failed"))
    return Outcome.ok()
