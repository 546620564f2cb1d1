"""7.5.1.6 items — Convolution.backward and Pooling.backward against the gradients of the definitions.

For f(x) = ⟨layer(x), G⟩ with a fixed random G, `backward(G)` must give ∂f/∂x, and the layer's
dW, db the derivatives with respect to W and b — of the *definition* of the layer (the sum that
defines a convolution, the maximum of each window), not of the student's own forward: a wrong
forward costs in 7.4.3.2 / 7.4.4.1, and a right backward beside it is right. The student's
forward still runs first on each input (backward reads what it keeps), and an input on which the
forward fails or gives the wrong shape is left out: that failure is graded in its own question.

The derivatives are compared along random directions v: (f(x + h·v) − f(x − h·v)) / 2h ≈ ⟨dx, v⟩,
with f computed here from the definition (no round trip to the worker).

A sheet answers only what the assignment asks (forward): a layer without backward is "not asked",
and the network uses the reference's backward. That point is earned only by a forward that works
and a network whose gradient does.
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from grader.i18n import t
from grader.model import Outcome
from grader.checks.base import Context, Failure, Mismatch, check
from grader.checks.batch import each
from .oracles import convolve, max_pool

# Perturbed inputs are never asked twice: the definitions themselves, not their remembered results.
_convolve, _max_pool = convolve.__wrapped__, max_pool.__wrapped__  # type: ignore[attr-defined]
from .geometry import ConvCase, PoolCase
from grader.checks.props import as_array, distinct, ints, student_call

H = 1e-3  # the definitions are (piecewise) linear in each argument: a large step is exact and stable
NOT_ASKED_NEEDS = {"Convolution": ("conv.forward.shape", "convnet.gradient.values"),
                   "Pooling": ("pool.forward.shape", "convnet.gradient.values")}
# What the gradients of a layer may be called (lower case, without underscores): the book's dW, db first.
GRADIENT_NAMES = {"dW": ("dw", "gradw", "dweight", "dweights", "gradweight", "gradweights", "dfilter", "dfilters"),
                  "db": ("db", "gradb", "dbias", "dbiases", "gradbias")}


def _has_backward(ctx: Context, layer: Any) -> bool:
    try:
        ctx.session.get(layer, "backward")
    except Exception:  # noqa: BLE001 - AttributeError raised in the worker
        return False
    return True


def _not_asked(ctx: Context, name: str) -> Outcome:
    """No backward was written: the point is earned when the forward works and the network's gradient,
    with the reference's backward, does — which only the TA's run, with the reference, can tell."""
    if not ctx.with_reference:
        return Outcome.not_checked(t("check.ta_only"))
    ctx.require(*NOT_ASKED_NEEDS[name])
    return Outcome.ok(t("check.backward.not_asked"))


def gradient_attribute(attrs: dict[str, tuple[str, Any]], which: str, shape: tuple[int, ...]) -> str | None:
    """The attribute holding a layer's gradient `which` ("dW" or "db"): the book's name, or one of its
    spellings (dw, grad_W, dWeight, …), holding an array of the parameter's shape."""
    def fits(name: str) -> bool:
        return attrs[name][0] == "ndarray" and tuple(attrs[name][1] or ()) == tuple(shape)

    if which in attrs and fits(which):
        return which
    for name in attrs:
        if name.lower().replace("_", "") in GRADIENT_NAMES[which] and fits(name):
            return name
    return None


def _close(analytic: float, numeric: float) -> bool:
    return abs(analytic - numeric) <= 1e-5 * max(abs(analytic), abs(numeric)) + 1e-6


def _directional(f: Callable[[np.ndarray], float], at: np.ndarray, grad: Any, name: str, what: str,
                 rng: np.random.Generator, inputs: dict[str, Any]) -> None:
    """`grad` is ∂f/∂at along two random directions, or a Failure says how it differs."""
    if not isinstance(grad, np.ndarray) or grad.shape != at.shape:
        raise Failure(t("check.backward.shape", name=name, shape=getattr(grad, "shape", type(grad).__name__),
                        expected=at.shape), input=inputs)
    for _ in range(2):
        v = rng.standard_normal(at.shape)
        numeric = (f(at + H * v) - f(at - H * v)) / (2 * H)
        analytic = float(np.sum(grad * v))
        if not _close(analytic, numeric):
            raise Mismatch(t("check.backward.numeric", name=name, what=what, analytic=analytic, numeric=numeric),
                           input=inputs, expected=numeric, actual=analytic)


@check("conv.backward", needs=("Convolution",), program="student", may_require=NOT_ASKED_NEEDS["Convolution"])
def conv_backward(ctx: Context) -> Outcome:
    """Convolution.backward's dx, dW, db are the gradients of the convolution's definition."""
    s = ctx.session
    cases = (ConvCase(2, 2, 5, 6, 3, 3, 2, 1, 1, 21), ConvCase(1, 3, 7, 6, 2, 3, 3, 2, 1, 22),
             ConvCase(2, 1, 4, 4, 2, 2, 2, 1, 0, 23))
    probe = student_call(lambda: s.new(ctx.program, "Convolution", np.ones((1, 1, 1, 1)), np.zeros(1), 1, 0),
                         "Convolution(W, b)", {})
    if not _has_backward(ctx, probe):
        return _not_asked(ctx, "Convolution")
    what = t("check.backward.conv_definition")

    def gradients(case: ConvCase) -> Any:
        rng = np.random.default_rng(case.seed)
        x = ints(rng, (case.N, case.C, case.H, case.W))
        W = ints(rng, (case.FN, case.C, case.FH, case.FW), -2, 3)
        b = rng.standard_normal(case.FN)
        inputs = {**case.geometry(), "x": x, "W": W, "b": b}
        layer = s.new(ctx.program, "Convolution", W, b, case.stride, case.pad)
        try:
            out = as_array(s.call(layer, "forward", x), "forward", inputs)
        except Exception:  # noqa: BLE001 - a forward that fails here is graded in 7.4.3.2
            return None
        if out.shape != (case.N, case.FN, *case.out):
            return None
        G = rng.standard_normal(out.shape)
        dx = student_call(lambda: s.call(layer, "backward", G), "Convolution.backward(dout)", inputs)
        attrs = s.attrs(layer)
        grads = {}
        for which, shape in (("dW", W.shape), ("db", b.shape)):
            name = gradient_attribute(attrs, which, shape)
            if name is None:
                raise Failure(t("check.backward.no_gradient", layer="Convolution", which=which,
                                shape=shape, attrs=", ".join(sorted(attrs)) or "–"), input=inputs)
            grads[which] = student_call(lambda name=name: s.get(layer, name), f"Convolution.{name}", inputs)
        return rng, G, x, W, b, dx, grads, inputs, case

    checked = 0
    for entry in each(s, cases, gradients):
        if entry is None:
            continue
        rng, G, x, W, b, dx, grads, inputs, case = entry

        def f(xx: np.ndarray = x, WW: np.ndarray = W, bb: np.ndarray = b, case: ConvCase = case,
              G: np.ndarray = G) -> float:
            return float(np.sum(_convolve(xx, WW, bb, case.stride, case.pad) * G))

        _directional(lambda p: f(xx=p), x, dx, t("check.backward.dx"), what, rng, inputs)
        _directional(lambda p: f(WW=p), W, grads["dW"], "dW", what, rng, inputs)
        _directional(lambda p: f(bb=p), b, grads["db"], "db", what, rng, inputs)
        checked += 1
    if not checked:
        ctx.require("conv.forward.shape")
        raise Failure(t("check.backward.conv_forward_failed"))
    return Outcome.ok()


@check("pool.backward", needs=("Pooling",), program="student", may_require=NOT_ASKED_NEEDS["Pooling"])
def pool_backward(ctx: Context) -> Outcome:
    """Pooling.backward's dx is the gradient of max pooling: each dout goes to its window's maximum."""
    s = ctx.session
    probe = student_call(lambda: s.new(ctx.program, "Pooling", 2, 2, 2, 0), "Pooling(2, 2, 2)", {})
    if not _has_backward(ctx, probe):
        return _not_asked(ctx, "Pooling")
    cases = (PoolCase(2, 2, 4, 6, 2, 2, 2, 31), PoolCase(1, 3, 5, 5, 3, 2, 1, 32), PoolCase(2, 1, 6, 4, 2, 3, 2, 33))
    what = t("check.backward.pool_definition")

    def gradients(case: PoolCase) -> Any:
        rng = np.random.default_rng(case.seed)
        x = distinct(rng, (case.N, case.C, case.H, case.W))  # no ties: one maximum per window
        inputs = {**case.geometry(), "x": x}
        layer = s.new(ctx.program, "Pooling", case.PH, case.PW, case.stride, 0)
        try:
            out = as_array(s.call(layer, "forward", x), "forward", inputs)
        except Exception:  # noqa: BLE001 - graded in 7.4.4.1
            return None
        if out.shape != (case.N, case.C, *case.out):
            return None
        G = rng.standard_normal(out.shape)
        dx = student_call(lambda: s.call(layer, "backward", G), "Pooling.backward(dout)", inputs)
        return rng, G, x, dx, inputs, case

    checked = 0
    for entry in each(s, cases, gradients):
        if entry is None:
            continue
        rng, G, x, dx, inputs, case = entry
        _directional(lambda p, G=G, case=case: float(np.sum(_max_pool(p, case.PH, case.PW, case.stride) * G)),
                     x, dx, t("check.backward.dx"), what, rng, inputs)
        checked += 1
    if not checked:
        ctx.require("pool.forward.shape")
        raise Failure(t("check.backward.pool_forward_failed"))
    return Outcome.ok()
