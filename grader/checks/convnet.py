"""7.5.1.2 – 7.5.1.6 — SimpleConvNet: sizes, params, layers, predict and loss, gradient.

These run on the "isolated" program in the TA's run: the student's SimpleConvNet with the
reference's layers, so a bug in Convolution costs in 7.4.3.2 only. When the student's `__init__`
cannot build a usable network, predict/loss/gradient are checked on an instance of the student's
class carrying a network built by the reference (one bug, one cost), and the message says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..i18n import t as msg
from ..model import Outcome
from ..sandbox.session import Ref
from .base import Context, Failure, check
from .oracles import simple_convnet_scores, softmax_ce
from .props import NetConfig, as_array, expect_close, run_property, student_call

KEYS = ("W1", "b1", "W2", "b2", "W3", "b3")
LAYER_KINDS = ("Convolution", "Relu", "Pooling", "Affine", "Relu", "Affine")


SMALL = NetConfig(C=2, size=8, filter_num=3, filter_size=3, pad=1, stride=1, hidden=5, output=4, std=0.1)
BOOK_CHECK = NetConfig(C=1, size=10, filter_num=10, filter_size=3, pad=0, stride=1, hidden=10, output=10)
STRIDED = NetConfig(C=1, size=11, filter_num=2, filter_size=3, pad=1, stride=2, hidden=4, output=3, std=0.1)


def build(ctx: Context, config: NetConfig, program: str | None = None, *, traced: bool = False) -> Any:
    s = ctx.session
    program = program or ctx.program
    s.seed(1234)
    what = msg("check.net.build")
    if traced:
        return student_call(lambda: s.new_traced(program, "SimpleConvNet", **config.kwargs()), what, config.shown())
    return student_call(lambda: s.new(program, "SimpleConvNet", **config.kwargs()), what, config.shown())


def test_params(config: NetConfig, seed: int = 5) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    return {k: rng.standard_normal(shape) * (0.2 if k.startswith("W") else 0.05) for k, shape in config.shapes().items()}


def test_batch(config: NetConfig, n: int = 3, seed: int = 6) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, config.C, config.size, config.size))
    t = rng.integers(0, config.output, size=n)
    return x, t


def one_hot(t: np.ndarray, k: int) -> np.ndarray:
    return np.eye(k)[t]


def usable(ctx: Context, net: Ref, config: NetConfig) -> str:
    """Why the student's network cannot be used with given params ("" when it can)."""
    s = ctx.session
    try:
        params = s.get(net, "params")
    except Exception as exc:  # noqa: BLE001 - a StudentError or a missing attribute
        return msg("check.net.params_unreadable", error=exc)
    if not isinstance(params, dict) or set(params) != set(KEYS):
        return msg("check.net.params_keys_wrong")
    for k, shape in config.shapes().items():
        if not isinstance(params[k], np.ndarray) or params[k].shape != shape:
            return msg("check.net.param_shape_wrong", key=k)
    return ""


def network(ctx: Context, config: NetConfig = SMALL) -> tuple[Ref, str]:
    """The network predict/loss/gradient are checked on, with the test params written in place."""
    key = ("network", ctx.program, config, ctx.session.worker.starts)
    if key not in ctx.cache:
        note = ""
        try:
            net = build(ctx, config)
            why = usable(ctx, net, config)
        except Failure as f:
            net, why = None, f.message
        if why:
            if not (ctx.with_reference and ctx.isolated):
                raise Failure(msg("check.net.unusable_fix_first", why=why), config.shown())
            ctx.session.seed(1234)
            ref = ctx.session.new("_reference", "SimpleConvNet", **config.kwargs())
            net = ctx.session.graft(ctx.program, "SimpleConvNet", ref)
            note = msg("check.net.grafted", why=why)
        ctx.cache[key] = (net, note)
    net, note = ctx.cache[key]
    params = test_params(config)
    for k in KEYS:
        ctx.session.assign(net, ["params", (k,)], params[k])
    return net, note


# ── 7.5.1.2 ────────────────────────────────────────────────────────────────────────────────────

@check("convnet.sizes", needs=("SimpleConvNet",))
def convnet_sizes(ctx: Context) -> Outcome:
    """pool_output_size = filter_num · (conv_output_size / 2)², seen in __init__ or through W2's rows."""

    def body(config: NetConfig) -> None:
        net, local = build(ctx, config, traced=True)
        seen = local.get("pool_output_size")
        if seen is None:
            w2 = student_call(lambda: ctx.session.get(net, "params", ("W2",)), "params['W2']", config.shown())
            seen = w2.shape[0] if isinstance(w2, np.ndarray) and w2.ndim == 2 else None
        conv = local.get("conv_output_size")
        if conv is not None and conv != config.conv_out:
            raise Failure(msg("check.net.conv_size", conv=conv, expected=config.conv_out),
                          {"input": config.shown(), "expected": config.conv_out, "actual": conv})
        if seen is None or seen != config.pool_out:
            raise Failure(msg("check.net.pool_size", seen=seen, expected=config.pool_out),
                          {"input": config.shown(), "expected": config.pool_out, "actual": seen})

    return run_property(ctx.session, "convnet.sizes", body)


# ── 7.5.1.3 ────────────────────────────────────────────────────────────────────────────────────

def _params(ctx: Context, config: NetConfig) -> dict[str, Any]:
    net = build(ctx, config)
    params = student_call(lambda: ctx.session.get(net, "params"), "self.params", config.shown())
    if not isinstance(params, dict):
        raise Failure(msg("check.net.params_not_dict", type=type(params).__name__), config.shown())
    return params


@check("convnet.params.shapes", needs=("SimpleConvNet",))
def convnet_params_shapes(ctx: Context) -> Outcome:
    """params holds W1, b1, W2, b2, W3, b3 of the right shapes."""
    for config in (SMALL, BOOK_CHECK):
        params = _params(ctx, config)
        missing = [k for k in KEYS if k not in params]
        if missing:
            return Outcome.fail(msg("check.net.params_missing", missing=", ".join(missing),
                                    present=", ".join(map(str, params))),
                                {"input": config.shown()})
        for k, shape in config.shapes().items():
            got = getattr(params[k], "shape", None)
            if got != shape:
                return Outcome.fail(msg("check.net.param_shape", key=k, shape=got, expected=shape),
                                    {"input": config.shown(), "expected": {k: list(shape)}, "actual": {k: got and list(got)}})
    return Outcome.ok()


@check("convnet.params.scale", needs=("SimpleConvNet",))
def convnet_params_scale(ctx: Context) -> Outcome:
    """Weights are weight_init_std × standard normal: mean ≈ 0, standard deviation ≈ weight_init_std."""
    config = NetConfig(C=1, size=28, filter_num=30, filter_size=5, pad=0, stride=1, hidden=100, output=10, std=0.37)
    params = _params(ctx, config)
    for k in ("W1", "W2", "W3"):
        w = params.get(k)
        if not isinstance(w, np.ndarray) or w.size < 100:
            return Outcome.fail(msg("check.net.not_weights", key=k), {"input": config.shown()})
        mean, std = float(w.mean()), float(w.std())
        if abs(mean) > 0.15 * config.std or abs(std / config.std - 1) > 0.12:
            return Outcome.fail(
                msg("check.net.scale", std=config.std, key=k, mean=mean, sd=std),
                {"input": config.shown(), "expected": {"std": config.std, "mean": 0}, "actual": {"std": std, "mean": mean}})
    return Outcome.ok()


@check("convnet.params.bias", needs=("SimpleConvNet",))
def convnet_params_bias(ctx: Context) -> Outcome:
    """Biases b1, b2, b3 start at zero with shapes (FN,), (hidden_size,), (output_size,)."""
    params = _params(ctx, SMALL)
    for k in ("b1", "b2", "b3"):
        b = params.get(k)
        shape = SMALL.shapes()[k]
        if not isinstance(b, np.ndarray) or b.shape != shape or np.any(b != 0):
            got = getattr(b, "shape", type(b).__name__)
            return Outcome.fail(msg("check.net.bias", key=k, shape=shape, got=got),
                                {"input": SMALL.shown(), "expected": {k: f"np.zeros({shape[0]})"}})
    return Outcome.ok()


# ── 7.5.1.4 ────────────────────────────────────────────────────────────────────────────────────

def _layers(ctx: Context, config: NetConfig = STRIDED) -> tuple[Ref, list[tuple[Any, Ref]]]:
    net = build(ctx, config)
    layers = student_call(lambda: ctx.session.get(net, "layers"), "self.layers", config.shown())
    if not isinstance(layers, dict):
        raise Failure(msg("check.net.layers_not_dict", type=type(layers).__name__), config.shown())
    return net, list(layers.items())


def _kinds(items: list[tuple[Any, Any]]) -> list[str]:
    return [v.type if isinstance(v, Ref) else type(v).__name__ for _, v in items]


def _find(items: list[tuple[Any, Any]], kind: str, nth: int = 0) -> Ref | None:
    found = [v for _, v in items if isinstance(v, Ref) and v.is_a(kind)]
    return found[nth] if len(found) > nth else None


@check("convnet.layers.order", needs=("SimpleConvNet",))
def convnet_layers_order(ctx: Context) -> Outcome:
    """layers are Convolution, Relu, Pooling, Affine, Relu, Affine, in that order."""
    _, items = _layers(ctx)
    kinds = _kinds(items)
    ok = len(items) == len(LAYER_KINDS) and all(v.is_a(k) for (_, v), k in zip(items, LAYER_KINDS) if isinstance(v, Ref))
    if not ok or not all(isinstance(v, Ref) for _, v in items):
        shown = ", ".join(f"{k}: {t}" for (k, _), t in zip(items, kinds))
        return Outcome.fail(msg("check.net.order", shown=shown, expected=" → ".join(LAYER_KINDS)),
                            {"expected": list(LAYER_KINDS), "actual": kinds})
    return Outcome.ok()


@check("convnet.layers.pool", needs=("SimpleConvNet",))
def convnet_layers_pool(ctx: Context) -> Outcome:
    """The pooling layer is 2×2 with stride 2."""
    _, items = _layers(ctx)
    pool = _find(items, "Pooling")
    if pool is None:
        return Outcome.fail(msg("check.net.no_pool"))
    got = {a: ctx.session.get(pool, a) for a in ("pool_h", "pool_w", "stride")}
    if got != {"pool_h": 2, "pool_w": 2, "stride": 2}:
        return Outcome.fail(msg("check.net.pool_param", **got),
                            {"expected": {"pool_h": 2, "pool_w": 2, "stride": 2}, "actual": got})
    return Outcome.ok()


@check("convnet.layers.conv_param", needs=("SimpleConvNet",))
def convnet_layers_conv_param(ctx: Context) -> Outcome:
    """The convolution layer receives conv_param's stride and pad."""
    _, items = _layers(ctx, STRIDED)
    conv = _find(items, "Convolution")
    if conv is None:
        return Outcome.fail(msg("check.net.no_conv"))
    got = {a: ctx.session.get(conv, a) for a in ("stride", "pad")}
    want = {"stride": STRIDED.stride, "pad": STRIDED.pad}
    if got != want:
        return Outcome.fail(msg("check.net.conv_param", want_stride=want["stride"], want_pad=want["pad"], **got),
                            {"input": STRIDED.shown(), "expected": want, "actual": got})
    return Outcome.ok()


@check("convnet.layers.shared", needs=("SimpleConvNet",))
def convnet_layers_shared(ctx: Context) -> Outcome:
    """The layers hold the very arrays of params (W1…b3), so training updates reach them."""
    net, items = _layers(ctx, SMALL)
    conv, a1, a2 = _find(items, "Convolution"), _find(items, "Affine", 0), _find(items, "Affine", 1)
    if conv is None or a1 is None or a2 is None:
        return Outcome.fail(msg("check.net.need_layers"))
    pairs = [("W1", conv, "W"), ("b1", conv, "b"), ("W2", a1, "W"), ("b2", a1, "b"), ("W3", a2, "W"), ("b3", a2, "b")]
    for key, layer, attr in pairs:
        try:
            shared = ctx.session.same(net, ["params", (key,)], layer, [attr])
        except Exception:  # noqa: BLE001 - a missing key or attribute
            shared = False
        if not shared:
            return Outcome.fail(msg("check.net.not_shared", layer=layer.type, attr=attr, key=key))
    return Outcome.ok()


@check("convnet.layers.last", needs=("SimpleConvNet",))
def convnet_layers_last(ctx: Context) -> Outcome:
    """last_layer is a SoftmaxWithLoss."""
    net = build(ctx, SMALL)
    last = student_call(lambda: ctx.session.get(net, "last_layer"), "self.last_layer", SMALL.shown())
    if not (isinstance(last, Ref) and last.is_a("SoftmaxWithLoss")):
        kind = last.type if isinstance(last, Ref) else type(last).__name__
        return Outcome.fail(msg("check.net.last", kind=kind))
    return Outcome.ok()


@check("convnet.layers.pool_shape", needs=("SimpleConvNet",))
def convnet_layers_pool_shape(ctx: Context) -> Outcome:
    """With an even convolution output, predict runs: the pooled size fits Affine1."""
    net = build(ctx, SMALL)
    x, _ = test_batch(SMALL)
    student_call(lambda: ctx.session.call(net, "predict", x), "predict(x)", SMALL.shown())
    return Outcome.ok()


# ── 7.5.1.5 ────────────────────────────────────────────────────────────────────────────────────

@check("convnet.predict", needs=("SimpleConvNet",))
def convnet_predict(ctx: Context) -> Outcome:
    """predict applies every layer's forward in order and returns the scores (N, output_size)."""
    net, note = network(ctx)
    x, _ = test_batch(SMALL)
    inputs = {**SMALL.shown(), "x.shape": x.shape}
    y = as_array(student_call(lambda: ctx.session.call(net, "predict", x), "predict(x)", inputs), "predict(x)", inputs)
    expected = simple_convnet_scores(x, test_params(SMALL), SMALL.stride, SMALL.pad)
    try:
        expect_close(y, expected, "predict(x)", inputs, rtol=1e-6, atol=1e-9)
    except Failure as f:
        return Outcome.fail(f.message + note, f.counterexample)
    return Outcome.ok(note.strip())


@check("convnet.loss", needs=("SimpleConvNet",))
def convnet_loss(ctx: Context) -> Outcome:
    """loss returns last_layer.forward(predict(x), t), for labels and for one-hot targets."""
    net, note = network(ctx)
    x, t = test_batch(SMALL)
    expected = softmax_ce(simple_convnet_scores(x, test_params(SMALL), SMALL.stride, SMALL.pad), t)
    for target, kind in ((t, msg("check.net.labels")), (one_hot(t, SMALL.output), msg("check.net.one_hot"))):
        inputs = {**SMALL.shown(), "x.shape": x.shape, "t": target}
        value = student_call(lambda: ctx.session.call(net, "loss", x, target), f"loss(x, t) ({kind})", inputs)
        value = np.asarray(value, dtype=float) if isinstance(value, (int, float, np.ndarray)) else None
        if value is None or value.size != 1 or not np.isclose(float(value), expected, rtol=1e-5):
            got = msg("check.net.not_a_value") if value is None else f"{value.ravel()[:3]}"
            return Outcome.fail(msg("check.net.loss", kind=kind, got=got, expected=expected, note=note),
                                {"input": inputs, "expected": expected, "actual": None if value is None else value.tolist()})
    return Outcome.ok(note.strip())


# ── 7.5.1.6 ────────────────────────────────────────────────────────────────────────────────────

def _oracle_loss(params: dict[str, np.ndarray], x: np.ndarray, t: np.ndarray, config: NetConfig) -> float:
    return softmax_ce(simple_convnet_scores(x, params, config.stride, config.pad), t)


def gradient_mismatches(grads: dict[str, Any], config: NetConfig, x: np.ndarray, t: np.ndarray,
                        *, seed: int = 9) -> list[str]:
    """Compare grads with numerical derivatives of the defined loss, key by key (keys matched case-insensitively).

    Directional derivatives along random directions: (L(θ + h·v) − L(θ − h·v)) / 2h ≈ ⟨∇L, v⟩.
    """
    params = test_params(config)
    by_lower = {str(k).lower(): v for k, v in grads.items()}
    rng = np.random.default_rng(seed)
    h = 1e-5
    problems = []
    for k in KEYS:
        g = by_lower.get(k.lower())
        if not isinstance(g, np.ndarray) or g.shape != params[k].shape:
            problems.append(msg("check.net.grad_shape_problem", key=k, shape=getattr(g, "shape", None),
                                expected=params[k].shape))
            continue
        for _ in range(2):
            v = rng.standard_normal(params[k].shape)
            plus = {**params, k: params[k] + h * v}
            minus = {**params, k: params[k] - h * v}
            numeric = (_oracle_loss(plus, x, t, config) - _oracle_loss(minus, x, t, config)) / (2 * h)
            analytic = float(np.sum(g * v))
            if abs(numeric - analytic) > 1e-4 * max(abs(numeric), abs(analytic)) + 1e-7:
                problems.append(msg("check.net.grad_value_problem", key=k, analytic=analytic, numeric=numeric))
                break
    return problems


def _gradient(ctx: Context, net: Ref, config: NetConfig) -> tuple[dict[str, Any], np.ndarray, np.ndarray]:
    x, t = test_batch(config)
    inputs = {**config.shown(), "x.shape": x.shape, "t": t}
    grads = student_call(lambda: ctx.session.call(net, "gradient", x, t), "gradient(x, t)", inputs)
    if not isinstance(grads, dict):
        raise Failure(msg("check.net.grads_not_dict", type=type(grads).__name__), {"input": inputs})
    return grads, x, t


@check("convnet.gradient.keys", needs=("SimpleConvNet",))
def convnet_gradient_keys(ctx: Context) -> Outcome:
    """gradient returns the keys W1…b3 with the shapes of params."""
    net, note = network(ctx)
    grads, _, _ = _gradient(ctx, net, SMALL)
    keys = [str(k) for k in grads]
    if sorted(keys) != sorted(KEYS):
        return Outcome.fail(msg("check.net.grad_keys", keys=keys, expected=list(KEYS), note=note),
                            {"expected": list(KEYS), "actual": keys})
    for k, shape in SMALL.shapes().items():
        got = getattr(grads[k], "shape", None)
        if got != shape:
            return Outcome.fail(msg("check.net.grad_shape", key=k, shape=got, expected=shape, note=note))
    return Outcome.ok(note.strip())


@check("convnet.gradient.values", needs=("SimpleConvNet",))
def convnet_gradient_values(ctx: Context) -> Outcome:
    """gradient agrees with numerical differentiation of the loss."""
    net, note = network(ctx)
    grads, x, t = _gradient(ctx, net, SMALL)
    problems = gradient_mismatches(grads, SMALL, x, t)
    if problems:
        return Outcome.fail(msg("check.net.grad_values", problems="; ".join(problems[:3]), note=note),
                            {"input": {**SMALL.shown(), "x.shape": x.shape, "t": t}})
    return Outcome.ok(note.strip())


@check("convnet.end_to_end", needs=("SimpleConvNet",), program="student")
def convnet_end_to_end(ctx: Context) -> Outcome:
    """The student's whole network, own layers included, against numerical gradients."""
    net = build(ctx, SMALL)
    why = usable(ctx, net, SMALL)
    if why:
        return Outcome.fail(msg("check.net.unusable", why=why))
    params = test_params(SMALL)
    for k in KEYS:
        ctx.session.assign(net, ["params", (k,)], params[k])
    grads, x, t = _gradient(ctx, net, SMALL)
    problems = gradient_mismatches(grads, SMALL, x, t)
    if problems:
        return Outcome.fail(msg("check.net.end_to_end", problems="; ".join(problems[:3])),
                            {"input": {**SMALL.shown(), "x.shape": x.shape, "t": t}})
    return Outcome.ok()
