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
from ..sandbox.session import Session
from .base import Context, Failure, check
from .batch import each, run_batched
from .props import ConvCase, PoolCase, as_array, distinct, ints, student_call

H = 1e-3  # the functions are (piecewise) linear in each argument: a large step is exact and stable
NOT_ASKED = "not asked"  # a layer without backward (a sheet that answers only what was asked)

def _has_backward(ctx: Context, layer: Any) -> bool:
    """A sheet answers only what the assignment asks (forward); backward is then not the student's to grade."""
    try:
        ctx.session.get(layer, "backward")
    except Exception:  # noqa: BLE001 - AttributeError raised in the worker
        return False
    return True


def _close(analytic: float, numeric: float) -> bool:
    return abs(analytic - numeric) <= 1e-5 * max(abs(analytic), abs(numeric)) + 1e-6


class _Points:
    """The student's forward at many points, computed in one batch and read back in the plain order:
    a point's exception (or the worker's fault) is raised only when the check comes to that point."""

    def __init__(self, session: Session, calls: list[Callable[[], Any]]) -> None:
        self.run = run_batched(session, calls, lambda call: call())

    def __getitem__(self, i: int) -> Any:
        return self.run.value(i)


def _directions(rng: np.random.Generator, params: list[tuple[str, np.ndarray, Any]]) -> list[np.ndarray]:
    """Two random directions per parameter, drawn in the order the parameters are checked."""
    return [rng.standard_normal(at.shape) for _, at, _ in params for _ in range(2)]


def _directional(values: Callable[[int], float], at: np.ndarray, grad: Any, name: str,
                 vs: list[np.ndarray], first: int, inputs: dict[str, Any]) -> None:
    """`values(k)` is f(at + H·v_k) for even k and f(at − H·v_k) for odd k, k counted from 2·first."""
    if not isinstance(grad, np.ndarray) or grad.shape != at.shape:
        raise Failure(t("check.backward.shape", name=name, shape=getattr(grad, "shape", type(grad).__name__),
                        expected=at.shape), {"input": inputs})
    for d in range(2):
        k = first + d
        numeric = (values(2 * k) - values(2 * k + 1)) / (2 * H)
        analytic = float(np.sum(grad * vs[k]))
        if not _close(analytic, numeric):
            raise Failure(t("check.backward.numeric", name=name, analytic=analytic, numeric=numeric),
                          {"input": inputs, "expected": numeric, "actual": analytic})


def _check_gradients(ctx: Context, found: list[Any], perturb: Callable[[Any, str, np.ndarray], Any]) -> int:
    """For every case that got its gradients (`(rng, G, inputs, params)`), compare them with the
    numerical ones; all the forwards this needs go to the worker in one batch. Returns how many
    cases were tried; raises the first Failure in the order of a plain run."""
    plans = []
    calls: list[Callable[[], Any]] = []
    for entry in found:
        if entry is None:
            continue
        rng, G, inputs, params, case = entry
        vs = _directions(rng, params)
        start = len(calls)
        for k, v in enumerate(vs):
            name, at, _ = params[k // 2]
            for sign in (1, -1):
                calls.append(lambda case=case, name=name, point=at + sign * H * v: perturb(case, name, point))
        plans.append((G, inputs, params, vs, start))
    points = _Points(ctx.session, calls)
    for G, inputs, params, vs, start in plans:

        def value(k: int, G: np.ndarray = G, inputs: dict[str, Any] = inputs, start: int = start) -> float:
            return float(np.sum(as_array(points[start + k], "forward", inputs) * G))

        for j, (name, at, grad) in enumerate(params):
            _directional(value, at, grad, name, vs, 2 * j, inputs)
    return len(plans)


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

    def arrays(case: ConvCase) -> tuple[np.random.Generator, np.ndarray, np.ndarray, np.ndarray]:
        rng = np.random.default_rng(case.seed)
        x = ints(rng, (case.N, case.C, case.H, case.W))
        W = ints(rng, (case.FN, case.C, case.FH, case.FW), -2, 3)
        return rng, x, W, rng.standard_normal(case.FN)

    def forward(case: ConvCase, x: np.ndarray, W: np.ndarray, b: np.ndarray) -> Any:
        layer = s.new(ctx.program, "Convolution", W, b, case.stride, case.pad)
        return s.call(layer, "forward", x)

    def gradients(case: ConvCase) -> Any:
        rng, x, W, b = arrays(case)
        inputs = {**case.geometry(), "x": x, "W": W, "b": b}
        try:
            out = as_array(forward(case, x, W, b), "forward", inputs)
        except Exception:  # noqa: BLE001 - a forward that fails here is graded in 7.4.3.2
            return None
        G = rng.standard_normal(out.shape)
        layer = s.new(ctx.program, "Convolution", W, b, case.stride, case.pad)
        if not _has_backward(ctx, layer):
            return NOT_ASKED
        student_call(lambda: s.call(layer, "forward", x), "forward(x)", inputs)
        dx = student_call(lambda: s.call(layer, "backward", G), "Convolution.backward(dout)", inputs)
        dW = student_call(lambda: s.get(layer, "dW"), "Convolution.dW", inputs)
        db = student_call(lambda: s.get(layer, "db"), "Convolution.db", inputs)
        return rng, G, inputs, [(t("check.backward.dx"), x, dx), ("dW", W, dW), ("db", b, db)], case

    def perturb(case: ConvCase, name: str, point: np.ndarray) -> Any:
        _, x, W, b = arrays(case)
        if name == "dW":
            return forward(case, x, point, b)
        if name == "db":
            return forward(case, x, W, point)
        return forward(case, point, W, b)

    found = each(s, cases, gradients)
    if NOT_ASKED in found:  # the class has no backward (the probe above says so first, in practice)
        return Outcome.ok(t("check.backward.not_asked"))
    if not _check_gradients(ctx, found, perturb):
        return Outcome.fail(t("check.backward.conv_forward_failed"))
    return Outcome.ok()


@check("pool.backward", needs=("Pooling",), program="student")
def pool_backward(ctx: Context) -> Outcome:
    """Pooling.backward's dx agrees with numerical gradients of the forward (gradient to each max only)."""
    s = ctx.session
    probe = student_call(lambda: s.new(ctx.program, "Pooling", 2, 2, 2, 0), "Pooling(2, 2, 2)", {})
    if not _has_backward(ctx, probe):
        return Outcome.ok(t("check.backward.not_asked"))
    cases = (PoolCase(2, 2, 4, 6, 2, 2, 2, 31), PoolCase(1, 3, 5, 5, 3, 2, 1, 32), PoolCase(2, 1, 6, 4, 2, 3, 2, 33))

    def forward(case: PoolCase, x: np.ndarray) -> Any:
        layer = s.new(ctx.program, "Pooling", case.PH, case.PW, case.stride, 0)
        return s.call(layer, "forward", x)

    def gradients(case: PoolCase) -> Any:
        rng = np.random.default_rng(case.seed)
        x = distinct(rng, (case.N, case.C, case.H, case.W))
        inputs = {**case.geometry(), "x": x}
        try:
            out = as_array(forward(case, x), "forward", inputs)
        except Exception:  # noqa: BLE001 - graded in 7.4.4.1
            return None
        G = rng.standard_normal(out.shape)
        layer = s.new(ctx.program, "Pooling", case.PH, case.PW, case.stride, 0)
        if not _has_backward(ctx, layer):
            return NOT_ASKED
        student_call(lambda: s.call(layer, "forward", x), "forward(x)", inputs)
        dx = student_call(lambda: s.call(layer, "backward", G), "Pooling.backward(dout)", inputs)
        return rng, G, inputs, [(t("check.backward.dx"), x, dx)], case

    found = each(s, cases, gradients)
    if NOT_ASKED in found:
        return Outcome.ok(t("check.backward.not_asked"))
    if not _check_gradients(ctx, found, lambda case, _name, point: forward(case, point)):
        return Outcome.fail(t("check.backward.pool_forward_failed"))
    return Outcome.ok()
