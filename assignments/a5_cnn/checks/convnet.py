"""7.5.1.2 – 7.5.1.6 — SimpleConvNet: sizes, params, layers, predict and loss, gradient.

In the TA's run these run on the "isolated" program: the student's SimpleConvNet with the
reference's layers, so a bug in Convolution costs in 7.4.3.2 only. Each question is graded with
everything upstream of it correct (one bug costs once):
- 7.5.1.2 and 7.5.1.3 read what the student's `__init__` built, as far as it got before any error,
  and 7.5.1.3 judges the parameters' shapes by the sizes the student's own code computed;
- 7.5.1.5 and 7.5.1.6 call the student's methods on a correct network laid out under the student's
  own names (`network.py`); 7.5.1.6 with the reference's predict and loss beside its gradient.
In a self-check (no reference) they run on the student's own network and layers, and wait for the
questions upstream to pass (`after_own`). Only `convnet.end_to_end` runs the student's whole network.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from grader.i18n import t as msg
from grader.model import Outcome
from grader.sandbox.session import Ref
from grader.checks.base import Context, Failure, Mismatch, check, property_check
from .network import (KEYS, LAYER_KINDS, Network, arguments, build, build_traced, constructor_failure, kind_by_name,
                      last_layer_name, layer_kind, loss_layer_works, network, pools_two_by_two, usable)
from .oracles import convolve, simple_convnet_scores, softmax_ce
from .geometry import NetConfig
from grader.checks.props import as_array, expect_close, student_call

SMALL = NetConfig(C=2, size=8, filter_num=3, filter_size=3, pad=1, stride=1, hidden=5, output=4, std=0.1)
BOOK_CHECK = NetConfig(C=1, size=10, filter_num=10, filter_size=3, pad=0, stride=1, hidden=10, output=10)
STRIDED = NetConfig(C=1, size=11, filter_num=2, filter_size=3, pad=1, stride=2, hidden=4, output=3, std=0.1)

# What the network questions wait for when they run on the student's own layers (a self-check).
OWN_LAYERS = ("conv.forward.values", "pool.forward.values")
OWN_NETWORK = (*OWN_LAYERS, "convnet.sizes", "convnet.params.shapes", "convnet.layers.order", "convnet.layers.shared")
OWN_GRADIENT = (*OWN_NETWORK, "convnet.predict", "convnet.loss", "conv.backward", "pool.backward")


def _strategies():  # noqa: ANN202 - Hypothesis is imported only to generate the examples or to shrink
    from . import strategies

    return strategies


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


def _ready(ctx: Context, config: NetConfig, *, reference_methods: tuple[str, ...] = ()) -> Network:
    """The network to call the student's methods on, with the test parameters written in place."""
    net = network(ctx, config, reference_methods=reference_methods)
    net.set_params(ctx, test_params(config))
    return net


# ── 7.5.1.2 ────────────────────────────────────────────────────────────────────────────────────

@property_check("convnet.sizes", cases=lambda: _strategies().even_configs(), examples=25, case_type=NetConfig,
                before=lambda ctx: arguments(ctx, SMALL, ctx.program), needs=("SimpleConvNet",))
def convnet_sizes(ctx: Context, config: NetConfig) -> None:
    """pool_output_size = filter_num · (conv_output_size / 2)², seen in __init__ or through W2's rows."""
    traced = build_traced(ctx, config)  # what __init__ computed, even if a later part of it raised
    seen = traced.locals.get("pool_output_size")
    net = traced.value if traced.error is None else traced.partial
    if seen is None and net is not None:
        try:
            w2 = ctx.session.get(net, "params", ("W2",))
        except Exception:  # noqa: BLE001 - no W2 to read the size from
            w2 = None
        seen = w2.shape[0] if isinstance(w2, np.ndarray) and w2.ndim == 2 else None
    if seen is None and traced.error is not None:  # nothing computed before the constructor raised
        raise constructor_failure(traced.error, config)
    conv = traced.locals.get("conv_output_size")
    if conv is not None and conv != config.conv_out:
        raise Mismatch(msg("check.net.conv_size", conv=conv, expected=config.conv_out),
                       input=config.shown(), expected=config.conv_out, actual=conv)
    if seen is None or seen != config.pool_out:
        raise Mismatch(msg("check.net.pool_size", seen=seen, expected=config.pool_out),
                       input=config.shown(), expected=config.pool_out, actual=seen)


# ── 7.5.1.3 ────────────────────────────────────────────────────────────────────────────────────

def _params(ctx: Context, config: NetConfig) -> tuple[dict[str, Any], dict[str, Any], str]:
    """The parameters `__init__` made (as far as it got), its numeric locals, and a note if it raised."""
    traced = build_traced(ctx, config)
    net, note = traced.value, ""
    if traced.error is not None:
        net = traced.partial
        note = msg("check.net.partial", error=f"{traced.error.type_name}: {traced.error.message}")
    params = student_call(lambda: ctx.session.get(net, "params"), "self.params", config.shown())
    if not isinstance(params, dict):
        raise Failure(msg("check.net.params_not_dict", type=type(params).__name__) + note, input=config.shown())
    by_lower = {str(k).lower(): v for k, v in params.items()}
    return {k: params.get(k, by_lower.get(k.lower())) for k in KEYS if k in params or k.lower() in by_lower}, \
        traced.locals, note


def expected_shapes(config: NetConfig, local: dict[str, Any]) -> dict[str, tuple[int, ...] | None]:
    """The parameters' shapes by the sizes the student's own __init__ computed (7.5.1.2 judged those);
    W2's rows are not judged here when the student's code named no pool_output_size (7.5.1.2 read them)."""
    fn = _int(local.get("filter_num"), config.filter_num)
    fs = _int(local.get("filter_size"), config.filter_size)
    rows = _int(local.get("pool_output_size"), None)
    return {"W1": (fn, config.C, fs, fs), "b1": (fn,), "W2": (rows, config.hidden) if rows is not None else None,
            "b2": (config.hidden,), "W3": (config.hidden, config.output), "b3": (config.output,)}


def _int(value: Any, default: Any) -> Any:
    return int(value) if isinstance(value, (int, float)) and value == int(value) else default


@check("convnet.params.shapes", needs=("SimpleConvNet",))
def convnet_params_shapes(ctx: Context) -> Outcome:
    """params holds W1, b1, W2, b2, W3, b3 of the shapes the network's sizes give."""
    for config in (SMALL, BOOK_CHECK):
        params, local, note = _params(ctx, config)
        missing = [k for k in KEYS if k not in params]
        if missing:
            raise Failure(msg("check.net.params_missing", missing=", ".join(missing),
                                    present=", ".join(map(str, params))) + note, input=config.shown())
        for k, shape in expected_shapes(config, local).items():
            got = getattr(params[k], "shape", None)
            if shape is None:  # W2's rows are 7.5.1.2's to judge: its columns go to the hidden layer
                ok = got is not None and len(got) == 2 and got[1] == config.hidden
                shape = ("pool_output_size", config.hidden)
            else:
                ok = got == shape
            if not ok:
                raise Mismatch(msg("check.net.param_shape", key=k, shape=got, expected=shape) + note,
                               input=config.shown(), expected={k: list(shape)}, actual={k: got and list(got)})
    return Outcome.ok()


@check("convnet.params.scale", needs=("SimpleConvNet",))
def convnet_params_scale(ctx: Context) -> Outcome:
    """Weights are weight_init_std × standard normal: mean ≈ 0, standard deviation ≈ weight_init_std."""
    config = NetConfig(C=1, size=28, filter_num=30, filter_size=5, pad=0, stride=1, hidden=100, output=10, std=0.37)
    params, _, note = _params(ctx, config)
    for k in ("W1", "W2", "W3"):
        w = params.get(k)
        if not isinstance(w, np.ndarray) or w.size < 100:
            raise Failure(msg("check.net.not_weights", key=k) + note, input=config.shown())
        mean, std = float(w.mean()), float(w.std())
        if abs(mean) > 0.15 * config.std or abs(std / config.std - 1) > 0.12:
            raise Mismatch(msg("check.net.scale", std=config.std, key=k, mean=mean, sd=std) + note,
                           input=config.shown(), expected={"std": config.std, "mean": 0},
                           actual={"std": std, "mean": mean})
    return Outcome.ok()


@check("convnet.params.bias", needs=("SimpleConvNet",))
def convnet_params_bias(ctx: Context) -> Outcome:
    """Biases b1, b2, b3 start at zero with shapes (FN,), (hidden_size,), (output_size,)."""
    params, local, note = _params(ctx, SMALL)
    shapes = expected_shapes(SMALL, local)
    for k in ("b1", "b2", "b3"):
        b = params.get(k)
        shape = shapes[k]
        if not isinstance(b, np.ndarray) or b.shape != shape or np.any(b != 0):
            got = getattr(b, "shape", type(b).__name__)
            raise Mismatch(msg("check.net.bias", key=k, shape=shape, got=got) + note,
                           input=SMALL.shown(), expected={k: f"np.zeros({shape[0]})"}, actual=None)
    return Outcome.ok()


# ── 7.5.1.4 ────────────────────────────────────────────────────────────────────────────────────

def _layers(ctx: Context, config: NetConfig = STRIDED) -> tuple[Ref, list[tuple[Any, Any]], list[str | None]]:
    """The student's network, its layers in order, and what each layer is."""
    key = ("layers", ctx.program, config, ctx.session.generation)
    if key not in ctx.cache:
        net = build(ctx, config)
        layers = student_call(lambda: ctx.session.get(net, "layers"), "self.layers", config.shown())
        if not isinstance(layers, dict):
            raise Failure(msg("check.net.layers_not_dict", type=type(layers).__name__), input=config.shown())
        items = list(layers.items())
        ctx.cache[key] = (net, items, [layer_kind(ctx, v) for _, v in items])
    return ctx.cache[key]


def _find(items: list[tuple[Any, Any]], kinds: list[str | None], kind: str, nth: int = 0) -> Ref | None:
    found = [v for (_, v), k in zip(items, kinds) if k == kind]
    return found[nth] if len(found) > nth else None


def _shown(items: list[tuple[Any, Any]], kinds: list[str | None]) -> str:
    return ", ".join(f"{k}: {v.type if isinstance(v, Ref) else type(v).__name__}"
                     + (f" ({kind})" if kind and isinstance(v, Ref) and kind != v.type else "")
                     for (k, v), kind in zip(items, kinds))


@check("convnet.layers.order", needs=("SimpleConvNet",))
def convnet_layers_order(ctx: Context) -> Outcome:
    """layers are a convolution, ReLU, pooling, affine, ReLU and affine layer, in that order (any class names)."""
    _, items, kinds = _layers(ctx)
    if list(kinds) != list(LAYER_KINDS):
        raise Mismatch(msg("check.net.order", shown=_shown(items, kinds), expected=" → ".join(LAYER_KINDS)),
                       expected=list(LAYER_KINDS), actual=[k or "?" for k in kinds])
    return Outcome.ok()


@check("convnet.layers.pool", needs=("SimpleConvNet",), after_own=("pool.forward.values",))
def convnet_layers_pool(ctx: Context) -> Outcome:
    """The pooling layer is 2×2 with stride 2 (read from the layer, or seen in what its forward does)."""
    _, items, kinds = _layers(ctx)
    pool = _find(items, kinds, "Pooling")
    if pool is None:
        raise Failure(msg("check.net.no_pool"))
    attrs = ctx.session.attrs(pool)
    if all(a in attrs for a in ("pool_h", "pool_w", "stride")):
        got = {a: ctx.session.get(pool, a) for a in ("pool_h", "pool_w", "stride")}
        if got != {"pool_h": 2, "pool_w": 2, "stride": 2}:
            raise Mismatch(msg("check.net.pool_param", **got),
                           expected={"pool_h": 2, "pool_w": 2, "stride": 2}, actual=got)
        return Outcome.ok()
    ok, shape = student_call(lambda: pools_two_by_two(ctx, pool, STRIDED.filter_num), "Pooling.forward(x)", {})
    if not ok:
        raise Mismatch(msg("check.net.pool_behaviour", shape=shape), expected={"pool_h": 2, "pool_w": 2,
                                                                                    "stride": 2}, actual=None)
    return Outcome.ok()


@check("convnet.layers.conv_param", needs=("SimpleConvNet",), after_own=("conv.forward.values",))
def convnet_layers_conv_param(ctx: Context) -> Outcome:
    """The convolution layer receives conv_param's stride and pad (read from the layer, or seen in its output)."""
    net, items, kinds = _layers(ctx, STRIDED)
    conv = _find(items, kinds, "Convolution")
    if conv is None:
        raise Failure(msg("check.net.no_conv"))
    want = {"stride": STRIDED.stride, "pad": STRIDED.pad}
    attrs = ctx.session.attrs(conv)
    if "stride" in attrs and "pad" in attrs:
        got = {a: ctx.session.get(conv, a) for a in ("stride", "pad")}
        if got != want:
            raise Mismatch(msg("check.net.conv_param", want_stride=want["stride"], want_pad=want["pad"], **got),
                           input=STRIDED.shown(), expected=want, actual=got)
        return Outcome.ok()
    # No attributes by the book's names: the layer's output must be the convolution with that stride and pad.
    keys, _ = usable(ctx, net, STRIDED)
    W = student_call(lambda: ctx.session.get(net, "params", (keys.get("W1", "W1"),)), "params['W1']", STRIDED.shown())
    b = student_call(lambda: ctx.session.get(net, "params", (keys.get("b1", "b1"),)), "params['b1']", STRIDED.shown())
    x = np.random.default_rng(8).standard_normal((1, STRIDED.C, STRIDED.size, STRIDED.size))
    out = student_call(lambda: ctx.session.call(conv, "forward", x), "Convolution.forward(x)", STRIDED.shown())
    expected = convolve(x, W, b, STRIDED.stride, STRIDED.pad)
    if not (isinstance(out, np.ndarray) and out.shape == expected.shape and np.allclose(out, expected)):
        raise Mismatch(msg("check.net.conv_behaviour", want_stride=want["stride"], want_pad=want["pad"],
                           shape=getattr(out, "shape", None), expected=expected.shape),
                       input=STRIDED.shown(), expected=want, actual=None)
    return Outcome.ok()


@check("convnet.layers.shared", needs=("SimpleConvNet",))
def convnet_layers_shared(ctx: Context) -> Outcome:
    """The layers hold the very arrays of params (W1…b3), wherever they keep them, so training updates reach them."""
    net, items, kinds = _layers(ctx, SMALL)
    conv, a1, a2 = _find(items, kinds, "Convolution"), _find(items, kinds, "Affine", 0), _find(items, kinds, "Affine", 1)
    if conv is None or a1 is None or a2 is None:
        raise Failure(msg("check.net.need_layers"))
    keys, _ = usable(ctx, net, SMALL)
    for key, layer in (("W1", conv), ("b1", conv), ("W2", a1), ("b2", a1), ("W3", a2), ("b3", a2)):
        try:
            holders = ctx.session.shares(net, ["params", (keys.get(key, key),)], layer)
        except Exception:  # noqa: BLE001 - a missing key
            holders = []
        if not holders:
            raise Failure(msg("check.net.not_shared", layer=layer.type, key=key))
    return Outcome.ok()


@check("convnet.layers.last", needs=("SimpleConvNet",))
def convnet_layers_last(ctx: Context) -> Outcome:
    """last_layer is a softmax-with-loss layer (by its class name, or by what its forward computes)."""
    net = build(ctx, SMALL)
    name = last_layer_name(ctx.session.attrs(net))
    if name is None:
        raise Failure(msg("check.net.no_last"))
    last = student_call(lambda: ctx.session.get(net, name), f"self.{name}", SMALL.shown())
    kind = kind_by_name(last.type, last.bases) if isinstance(last, Ref) else None
    if kind == "SoftmaxWithLoss" or (kind is None and isinstance(last, Ref) and loss_layer_works(ctx, last, SMALL)):
        if name != "last_layer":
            ctx.notes.append(msg("check.net.last_named", name=name))
        return Outcome.ok()
    raise Failure(msg("check.net.last", kind=last.type if isinstance(last, Ref) else type(last).__name__))


@check("convnet.layers.pool_shape", needs=("SimpleConvNet",))
def convnet_layers_pool_shape(ctx: Context) -> Outcome:
    """With an even convolution output, predict runs: the pooled size fits Affine1."""
    net = build(ctx, SMALL)
    x, _ = test_batch(SMALL)
    student_call(lambda: ctx.session.call(net, "predict", x), "predict(x)", SMALL.shown())
    return Outcome.ok()


# ── 7.5.1.5 ────────────────────────────────────────────────────────────────────────────────────

@check("convnet.predict", needs=("SimpleConvNet",), after_own=OWN_NETWORK)
def convnet_predict(ctx: Context) -> Outcome:
    """predict applies every layer's forward in order and returns the scores (N, output_size)."""
    net = _ready(ctx, SMALL)
    x, _ = test_batch(SMALL)
    inputs = {**SMALL.shown(), "x.shape": x.shape}
    y = as_array(student_call(lambda: ctx.session.call(net.ref, "predict", x), "predict(x)", inputs), "predict(x)",
                 inputs)
    expected = simple_convnet_scores(x, test_params(SMALL), SMALL.stride, SMALL.pad)
    try:
        expect_close(y, expected, "predict(x)", inputs, rtol=1e-6, atol=1e-9)
    except Failure as f:
        raise Failure(f.message + net.note, f.counterexample)
    return Outcome.ok(net.note.strip())


# The methods graded beside the reference's (the loss beside its predict, the gradient beside its predict
# and loss) come after the methods those are the answers of: nothing of them is in the worker before.
@check("convnet.loss", needs=("SimpleConvNet",), after_own=OWN_NETWORK, follows=("convnet.predict",))
def convnet_loss(ctx: Context) -> Outcome:
    """loss returns last_layer.forward(predict(x), t), for labels and for one-hot targets."""
    net = _ready(ctx, SMALL, reference_methods=("predict",))  # the student's loss on a right predict
    x, t = test_batch(SMALL)
    expected = softmax_ce(simple_convnet_scores(x, test_params(SMALL), SMALL.stride, SMALL.pad), t)
    for target, kind in ((t, msg("check.net.labels")), (one_hot(t, SMALL.output), msg("check.net.one_hot"))):
        inputs = {**SMALL.shown(), "x.shape": x.shape, "t": target}
        value = student_call(lambda: ctx.session.call(net.ref, "loss", x, target), f"loss(x, t) ({kind})", inputs)
        value = np.asarray(value, dtype=float) if isinstance(value, (int, float, np.ndarray)) else None
        if value is None or value.size != 1 or not np.isclose(float(value), expected, rtol=1e-5):
            got = msg("check.net.not_a_value") if value is None else f"{value.ravel()[:3]}"
            raise Mismatch(msg("check.net.loss", kind=kind, got=got, expected=expected, note=net.note),
                           input=inputs, expected=expected, actual=None if value is None else value.tolist())
    return Outcome.ok(net.note.strip())


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
        raise Failure(msg("check.net.grads_not_dict", type=type(grads).__name__), input=inputs)
    return grads, x, t


GRADIENT_BESIDE = ("predict", "loss")  # the gradient is graded with the reference's own predict and loss


@check("convnet.gradient.keys", needs=("SimpleConvNet",), after_own=OWN_GRADIENT,
       follows=("convnet.predict", "convnet.loss"))
def convnet_gradient_keys(ctx: Context) -> Outcome:
    """gradient returns the keys W1…b3 with the shapes of params."""
    net = _ready(ctx, SMALL, reference_methods=GRADIENT_BESIDE)
    grads, _, _ = _gradient(ctx, net.ref, SMALL)
    keys = [str(k) for k in grads]
    if sorted(keys) != sorted(KEYS):
        raise Mismatch(msg("check.net.grad_keys", keys=keys, expected=list(KEYS), note=net.note),
                       expected=list(KEYS), actual=keys)
    for k, shape in SMALL.shapes().items():
        got = getattr(grads[k], "shape", None)
        if got != shape:
            raise Failure(msg("check.net.grad_shape", key=k, shape=got, expected=shape, note=net.note))
    return Outcome.ok(net.note.strip())


@check("convnet.gradient.values", needs=("SimpleConvNet",), after_own=OWN_GRADIENT,
       follows=("convnet.predict", "convnet.loss"))
def convnet_gradient_values(ctx: Context) -> Outcome:
    """gradient agrees with numerical differentiation of the loss."""
    net = _ready(ctx, SMALL, reference_methods=GRADIENT_BESIDE)
    grads, x, t = _gradient(ctx, net.ref, SMALL)
    problems = gradient_mismatches(grads, SMALL, x, t)
    if problems:
        raise Failure(msg("check.net.grad_values", problems="; ".join(problems[:3]), note=net.note),
                      input={**SMALL.shown(), "x.shape": x.shape, "t": t})
    return Outcome.ok(net.note.strip())


@check("convnet.end_to_end", needs=("SimpleConvNet",), program="student")
def convnet_end_to_end(ctx: Context) -> Outcome:
    """The student's whole network, own layers included, against numerical gradients."""
    net = build(ctx, SMALL)
    keys, why = usable(ctx, net, SMALL)
    if why:
        raise Failure(msg("check.net.unusable", why=why))
    Network(net, keys).set_params(ctx, test_params(SMALL))
    grads, x, t = _gradient(ctx, net, SMALL)
    problems = gradient_mismatches(grads, SMALL, x, t)
    if problems:
        raise Failure(msg("check.net.end_to_end", problems="; ".join(problems[:3])),
                      input={**SMALL.shown(), "x.shape": x.shape, "t": t})
    return Outcome.ok()
