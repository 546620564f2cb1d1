"""The toy assignment's checks: plain `@check`s over the engine's session, compared with definitions."""

from __future__ import annotations

import numpy as np

from grader.checks.base import Context, Failure, Mismatch, check
from grader.checks.props import student_call
from grader.i18n import t
from grader.model import Outcome

X = np.array([[-30.0, -2.0, -0.5], [0.0, 0.5, 30.0]])


def _definition(x: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(x / 2.0))  # the same function, written another way than the reference


def _array(value: object, what: str) -> np.ndarray:
    if not isinstance(value, np.ndarray):
        raise Failure(t("toy.not_array", what=what, kind=type(value).__name__), input={"x": X})
    return value


@check("toy.sigmoid.shape", needs=("sigmoid",))
def sigmoid_shape(ctx: Context) -> Outcome:
    """sigmoid(x) has the shape of x."""
    out = _array(student_call(lambda: ctx.session.new(ctx.program, "sigmoid", X), "sigmoid(x)", {"x": X}), "sigmoid(x)")
    if out.shape != X.shape:
        raise Failure(t("toy.shape", what="sigmoid(x)", actual=out.shape, expected=X.shape), input={"x": X})
    return Outcome.ok()


@check("toy.sigmoid.values", needs=("sigmoid",), after=("toy.sigmoid.shape",))
def sigmoid_values(ctx: Context) -> Outcome:
    """sigmoid(x) is 1 / (1 + e^-x), element by element."""
    out = _array(student_call(lambda: ctx.session.new(ctx.program, "sigmoid", X), "sigmoid(x)", {"x": X}), "sigmoid(x)")
    expected = _definition(X)
    if not np.allclose(out, expected, atol=1e-7):
        raise Mismatch(t("toy.values", what="sigmoid(x)"), input={"x": X}, expected=expected, actual=out)
    return Outcome.ok()


def _layer_forward(ctx: Context):  # noqa: ANN202
    s = ctx.session
    layer = student_call(lambda: s.new(ctx.program, "Sigmoid"), "Sigmoid()", {})
    out = _array(student_call(lambda: s.call(layer, "forward", X), "Sigmoid.forward(x)", {"x": X}), "Sigmoid.forward(x)")
    return layer, out


@check("toy.layer.forward", needs=("Sigmoid",))
def layer_forward(ctx: Context) -> Outcome:
    """forward(x) is the sigmoid of x."""
    _, out = _layer_forward(ctx)
    expected = _definition(X)
    if out.shape != X.shape or not np.allclose(out, expected, atol=1e-7):
        raise Mismatch(t("toy.values", what="Sigmoid.forward(x)"), input={"x": X}, expected=expected, actual=out)
    return Outcome.ok()


@check("toy.layer.backward", needs=("Sigmoid",), after=("toy.layer.forward",))
def layer_backward(ctx: Context) -> Outcome:
    """backward(dout) is dout times the derivative, as a central difference finds it."""
    layer, _ = _layer_forward(ctx)
    dout = np.array([[1.0, 2.0, -1.0], [0.5, 3.0, 1.0]])
    dx = _array(student_call(lambda: ctx.session.call(layer, "backward", dout), "Sigmoid.backward(dout)",
                             {"x": X, "dout": dout}), "Sigmoid.backward(dout)")
    h = 1e-5
    expected = dout * (_definition(X + h) - _definition(X - h)) / (2 * h)
    if dx.shape != X.shape or not np.allclose(dx, expected, atol=1e-6):
        raise Mismatch(t("toy.backward"), input={"x": X, "dout": dout}, expected=expected, actual=dx)
    return Outcome.ok()
