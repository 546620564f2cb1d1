"""A student's SimpleConvNet as the checks see it.

- **Built with the book's arguments, however the constructor spells them**: `conv_params` for
  `conv_param` (by name when near, else by position), with a note.
- **Read by what it holds and does**: a layer's kind by its class name (`ReLU`, `MaxPooling`,
  `Dense` …) and, where the name says nothing, by what its forward computes; parameters found in
  `params` under any capitalisation; a layer's arrays wherever it keeps them.
- **One bug costs once**: the questions that grade methods (7.5.1.5 predict/loss, 7.5.1.6 gradient)
  run them on a correct network — the reference's layers and parameters — laid out under the
  student's own names (their parameter keys, layer keys, attribute names), so that a bug of
  `__init__` (7.5.1.2–7.5.1.4) costs there only and the student's methods find what they expect.
  `gradient` runs with the reference's `predict` and `loss` beside it, for the same reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from grader.i18n import t
from grader.names import closest, near, normal
from grader.refsource import beside
from grader.sandbox.session import Ref, Traced
from grader.checks.base import Context, Failure, student_cause
from .oracles import max_pool, softmax_ce
from .geometry import NetConfig
from grader.checks.props import distinct, student_call

BOOK_ARGS = ("input_dim", "conv_param", "hidden_size", "output_size", "weight_init_std")
KEYS = ("W1", "b1", "W2", "b2", "W3", "b3")
LAYER_KINDS = ("Convolution", "Relu", "Pooling", "Affine", "Relu", "Affine")
REFERENCE_KEYS = ("Conv1", "Relu1", "Pool1", "Affine1", "Relu2", "Affine2")
# Class names a layer kind goes by (normal form: lower case, no underscores); near misses count too.
# The names students read a layer's arrays by (normal form) → the reference layer's own attribute.
ATTRIBUTE_SYNONYMS = {
    **{n: "dW" for n in ("dw", "gradw", "dweight", "dweights", "gradweight", "gradweights", "dfilter", "dfilters")},
    **{n: "db" for n in ("db", "gradb", "dbias", "dbiases", "gradbias")},
    **{n: "W" for n in ("w", "weight", "weights", "filter", "filters", "kernel")},
    **{n: "b" for n in ("b", "bias", "biases")},
    **{n: "stride" for n in ("stride", "s", "strides")},
    **{n: "pad" for n in ("pad", "p", "padding")},
    **{n: "pool_h" for n in ("poolh", "ph")}, **{n: "pool_w" for n in ("poolw", "pw")},
}
KIND_NAMES = {
    "Convolution": ("convolution", "conv", "conv2d", "convlayer", "convolution2d", "convolutionlayer", "convolutional"),
    "Relu": ("relu", "relulayer", "rectifiedlinear"),
    "Pooling": ("pooling", "pool", "maxpooling", "maxpool", "maxpool2d", "maxpooling2d", "poolinglayer", "pool2d"),
    "Affine": ("affine", "dense", "linear", "fullyconnected", "fc", "affinelayer", "fclayer"),
    "SoftmaxWithLoss": ("softmaxwithloss", "softmaxloss", "softmaxcrossentropy", "softmaxwithcrossentropy",
                        "softmaxcrossentropyloss"),
}


# ── building ───────────────────────────────────────────────────────────────────────────────────

def adapt_arguments(params: list[tuple[str, str, bool]] | None) -> dict[str, str]:
    """book argument → the student's parameter it is passed as (the same name where there is one).

    A book name the constructor lacks goes to the parameter whose name is near it (`conv_params`),
    else to the parameter at the book's position; with `**kwargs` or no signature, as it is.
    """
    mapping = {name: name for name in BOOK_ARGS}
    if not params:
        return mapping
    named = [n for n, kind, _ in params if kind in ("POSITIONAL_OR_KEYWORD", "KEYWORD_ONLY")]
    positional = [n for n, kind, _ in params if kind == "POSITIONAL_OR_KEYWORD"]
    free = [n for n in named if n not in BOOK_ARGS]
    for i, book in enumerate(BOOK_ARGS):
        if book in named:
            continue
        found = closest(book, free)
        if found is None and i < len(positional) and positional[i] in free:
            found = positional[i]
        if found is not None:
            mapping[book] = found
            free.remove(found)
    return mapping


def arguments(ctx: Context, config: NetConfig, program: str) -> dict[str, Any]:
    """The book's constructor arguments for `config`, under the names of the student's constructor.

    The signature is read once per program and worker and remembered: a batched body must find it
    remembered (call this before `run_property`), or its replays would ask the worker different things."""
    key = ("arguments", program, ctx.session.generation)
    if key not in ctx.cache:
        try:
            sig = ctx.session.signature(program, "SimpleConvNet")
        except Exception:  # noqa: BLE001 - no signature to read: pass the book's names
            sig = None
        mapping = adapt_arguments(sig)
        renamed = [f"{book} → {name}" for book, name in mapping.items() if book != name]
        if renamed:
            ctx.cache.setdefault("notes", []).append(t("note.constructor_renamed", pairs=", ".join(renamed)))
        ctx.cache[key] = mapping
    mapping = ctx.cache[key]
    return {mapping[k]: v for k, v in config.kwargs().items()}


def build(ctx: Context, config: NetConfig, program: str | None = None) -> Ref:
    """The student's network, built by their `__init__` (a Failure if it raises)."""
    traced = build_traced(ctx, config, program)
    if traced.error is not None:
        raise constructor_failure(traced.error, config)
    return traced.value


def build_traced(ctx: Context, config: NetConfig, program: str | None = None) -> Traced:
    """The student's network with the numeric locals of `__init__`; if it raised, what it had built."""
    s = ctx.session
    program = program or ctx.program
    kwargs = arguments(ctx, config, program)
    s.seed(1234)
    return student_call(lambda: s.new_traced(program, "SimpleConvNet", **kwargs), t("check.net.build"), config.shown())


def constructor_failure(error: Any, config: NetConfig) -> Failure:
    where = error.where()
    return Failure(t("check.raised", what=t("check.net.build"), where=f" ({where})" if where else "",
                     type=error.type_name, message=error.message), input=config.shown(), cause=student_cause(error))


# ── reading ────────────────────────────────────────────────────────────────────────────────────

def kind_by_name(type_name: str, bases: tuple[str, ...] = ()) -> str | None:
    for name in (type_name, *bases):
        n = normal(name)
        for kind, names in KIND_NAMES.items():
            if n in names or near(name, kind):
                return kind
    return None


def layer_kind(ctx: Context, layer: Any) -> str | None:
    """What a layer is: by its class name, else by what its forward computes (None: unknown)."""
    if not isinstance(layer, Ref):
        return None
    kind = kind_by_name(layer.type, layer.bases)
    return kind if kind is not None else _kind_by_behaviour(ctx, layer)


def _kind_by_behaviour(ctx: Context, layer: Ref) -> str | None:
    s = ctx.session
    try:
        arrays = {name: shape for name, (kind, shape) in s.attrs(layer).items() if kind == "ndarray"}
        four = [shape for shape in arrays.values() if len(shape) == 4]
        two = [(n, shape) for n, shape in arrays.items() if len(shape) == 2]
        if four:
            filters, channels, kh, kw = four[0]
            out = s.call(layer, "forward", np.ones((1, channels, kh + 2, kw + 2)))
            return "Convolution" if isinstance(out, np.ndarray) and out.ndim == 4 and out.shape[1] == filters else None
        if two:
            name, (d, h) = two[0]
            W = s.get(layer, name)
            x = np.random.default_rng(0).standard_normal((2, d))
            out = s.call(layer, "forward", x)
            return "Affine" if isinstance(out, np.ndarray) and out.shape == (2, h) and np.allclose(
                out - x @ W, (out - x @ W)[0]) else None
        x = distinct(np.random.default_rng(0), (1, 2, 4, 4))
        out = s.call(layer, "forward", x)
        if isinstance(out, np.ndarray) and out.shape == x.shape and np.allclose(out, np.maximum(x, 0)):
            return "Relu"
        if isinstance(out, np.ndarray) and out.ndim == 4 and out.shape[:2] == x.shape[:2] and out.size < x.size \
                and np.isin(out, x).all():
            return "Pooling"
    except Exception:  # noqa: BLE001 - a layer whose forward fails on these inputs is of no known kind
        return None
    return None


def align(kinds: list[str | None]) -> list[int | None]:
    """For each layer the network should have (LAYER_KINDS), the index of the student's layer that is it.

    The longest common subsequence of the two lists of kinds: a layer missing, added or out of place
    leaves the others where they are."""
    n, m = len(LAYER_KINDS), len(kinds)
    best = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            best[i][j] = best[i + 1][j + 1] + 1 if LAYER_KINDS[i] == kinds[j] else max(best[i + 1][j], best[i][j + 1])
    out: list[int | None] = []
    i = j = 0
    while i < n:
        if j < m and LAYER_KINDS[i] == kinds[j]:
            out.append(j)
            i, j = i + 1, j + 1
        elif j < m and best[i][j + 1] >= best[i + 1][j]:
            j += 1
        else:
            out.append(None)
            i += 1
    return out


def param_keys(keys: list[Any]) -> dict[str, Any]:
    """The book's parameter names → the student's keys for them (any capitalisation), where present."""
    found: dict[str, Any] = {}
    for k in KEYS:
        match = [key for key in keys if isinstance(key, str) and key.lower() == k.lower()]
        if match:
            found[k] = k if k in match else match[0]
    return found


def last_layer_name(attrs: dict[str, Any]) -> str | None:
    """The attribute holding the loss layer: `last_layer`, or the way a student spelled it."""
    if "last_layer" in attrs:
        return "last_layer"
    return next((name for name in attrs if normal(name) == "lastlayer"), None)


# ── the network a method is graded on ──────────────────────────────────────────────────────────

@dataclass
class Network:
    """A network to call methods on: its handle, the student's keys of its parameters, and a note."""

    ref: Ref
    keys: dict[str, Any] = field(default_factory=lambda: {k: k for k in KEYS})
    note: str = ""

    def set_params(self, ctx: Context, params: dict[str, np.ndarray]) -> None:
        """Write the test parameters into the network's own arrays (the layers hold the same arrays)."""
        for k in KEYS:
            ctx.session.assign(self.ref, ["params", (self.keys.get(k, k),)], params[k])


def usable(ctx: Context, net: Ref, config: NetConfig) -> tuple[dict[str, Any], str]:
    """The student's keys of the network's parameters, and why it cannot be used ("" when it can)."""
    s = ctx.session
    try:
        params = s.get(net, "params")
    except Exception as exc:  # noqa: BLE001 - a StudentError or a missing attribute
        return {}, t("check.net.params_unreadable", error=exc)
    keys = param_keys(list(params)) if isinstance(params, dict) else {}
    if set(keys) != set(KEYS):
        return keys, t("check.net.params_keys_wrong")
    for k, shape in config.shapes().items():
        if not isinstance(params[keys[k]], np.ndarray) or params[keys[k]].shape != shape:
            return keys, t("check.net.param_shape_wrong", key=k)
    return keys, ""


def network(ctx: Context, config: NetConfig, *, reference_methods: tuple[str, ...] = ()) -> Network:
    """The network the methods of 7.5.1.5 / 7.5.1.6 are graded on (cached per program and worker).

    In the TA's run: a correct network under the student's names (see the module's docstring), with
    `reference_methods` taken from the reference. In a self-check, the student's own network, which
    must be usable (the checks that wait for 7.5.1.3 and 7.5.1.4 make sure it is).
    """
    key = ("network", ctx.program, config, reference_methods, ctx.session.generation)
    if key not in ctx.cache:
        if ctx.with_reference and ctx.isolated:
            ctx.cache[key] = _laid_out(ctx, config, reference_methods)
        else:
            net = build(ctx, config)
            keys, why = usable(ctx, net, config)
            if why:
                raise Failure(t("check.net.unusable_fix_first", why=why), input=config.shown())
            ctx.cache[key] = Network(_lenient_layers(ctx, net), keys)
    return ctx.cache[key]


def _lenient_layers(ctx: Context, net: Ref) -> Ref:
    """The student's own network, its layers answering to the names the student's own classes use
    (the book's Affine stands in for a `Dense` that kept `dw`): as in the TA's run."""
    s = ctx.session
    try:
        items = list(s.get(net, "layers").items())
    except Exception:  # noqa: BLE001 - no layers to read: the network as it is
        return net
    layers = {"dict": [[k, {"from": net, "path": ["layers", ["item", k]], "lenient": spellings(ctx, kind)}]
                       for (k, v), kind in zip(items, (layer_kind(ctx, v) for _, v in items))]}
    return s.assemble({"program": ctx.program, "name": "SimpleConvNet"}, base=net, attrs={"layers": layers})


def _laid_out(ctx: Context, config: NetConfig, reference_methods: tuple[str, ...]) -> Network:
    s = ctx.session
    own, why = None, ""
    try:
        traced = build_traced(ctx, config)
        own = traced.value if traced.error is None else traced.partial
        if traced.error is not None:
            why = constructor_failure(traced.error, config).message
    except Failure as f:
        why = f.message
    parts = _reference_parts(ctx, config)
    keys = {k: k for k in KEYS}
    layer_keys = list(REFERENCE_KEYS)
    attrs: dict[str, Any] = {}
    last = "last_layer"
    if own is not None:
        held = s.attrs(own)
        if held.get("params", ("",))[0] in ("dict", "OrderedDict"):
            keys.update(param_keys(list(s.get(own, "params"))))
        if held.get("layers", ("",))[0] in ("dict", "OrderedDict"):
            items = list(s.get(own, "layers").items())
            placed = align([layer_kind(ctx, v) for _, v in items])
            used = {k for k, _ in items}
            for p, j in enumerate(placed):
                if j is not None:
                    layer_keys[p] = items[j][0]
                elif layer_keys[p] in used:
                    layer_keys[p] = f"{layer_keys[p]}_"
            if None in placed and not why:
                why = t("check.net.layers_rearranged")
        last = last_layer_name(held) or last
    params = {"dict": [[keys[k], {"from": parts.params[k]}] for k in KEYS]}
    layers = {"dict": [[layer_keys[p], {"from": parts.layers[p], "lenient": spellings(ctx, LAYER_KINDS[p])}]
                       for p in range(len(REFERENCE_KEYS))]}
    attrs.update(params=params, layers=layers, last_layer={"from": parts.last})
    if last != "last_layer":
        attrs[last] = attrs["last_layer"]
    for m in reference_methods:  # each alone, loaded only now: after the item that grades it (`follows`)
        s.load(beside()[m])
    methods = {m: {"from": {"program": beside()[m], "name": m}} for m in reference_methods}
    net = s.assemble({"program": ctx.program, "name": "SimpleConvNet"}, base=own, attrs=attrs, methods=methods)
    return Network(net, keys, t("check.net.grafted", why=why) if why else "")


@dataclass
class _Parts:
    params: dict[str, Ref]
    layers: list[Ref]
    last: Ref


def _reference_parts(ctx: Context, config: NetConfig) -> _Parts:
    """A right network's parts: the reference's layers (never its SimpleConvNet, whose methods are the
    answers), holding parameter arrays that live in the worker, wired as the assignment describes."""
    s = ctx.session
    params = {k: s.put(np.zeros(shape)) for k, shape in config.shapes().items()}
    layers = [s.new("_reference", kind, *args) for kind, args in (
        ("Convolution", (params["W1"], params["b1"], config.stride, config.pad)), ("Relu", ()),
        ("Pooling", (2, 2, 2)), ("Affine", (params["W2"], params["b2"])), ("Relu", ()),
        ("Affine", (params["W3"], params["b3"])))]
    return _Parts(params, layers, s.new("_reference", "SoftmaxWithLoss"))


def spellings(ctx: Context, kind: str) -> dict[str, str]:
    """The attribute names the student's own class of layer `kind` uses for what the reference's layer
    calls otherwise (`dw` for `dW`): the student's methods may read a reference layer by them. Only
    those their own class sets: reading `.dw` from the book's layers, which have `dW`, stays a bug."""
    out = {}
    for name in ctx.attributes.get(kind, ()):
        canonical = ATTRIBUTE_SYNONYMS.get(normal(name))
        if canonical is not None and canonical != name:
            out[normal(name)] = canonical
    return out


def loss_layer_works(ctx: Context, layer: Ref, config: NetConfig) -> bool:
    """A loss layer is whatever maps (scores, labels) to the mean cross-entropy of their softmax."""
    rng = np.random.default_rng(4)
    y = rng.standard_normal((3, config.output))
    labels = rng.integers(0, config.output, size=3)
    try:
        value = ctx.session.call(layer, "forward", y, labels)
    except Exception:  # noqa: BLE001
        return False
    return isinstance(value, (int, float, np.ndarray)) and np.size(value) == 1 and bool(
        np.isclose(float(np.asarray(value)), softmax_ce(y, labels), rtol=1e-5))


def pools_two_by_two(ctx: Context, layer: Ref, channels: int) -> tuple[bool, Any]:
    """Whether a pooling layer's forward is 2×2 max pooling with stride 2, and what it gave instead."""
    x = distinct(np.random.default_rng(7), (1, max(channels, 1), 4, 6))
    out = ctx.session.call(layer, "forward", x)
    expected = max_pool(x, 2, 2, 2)
    ok = isinstance(out, np.ndarray) and out.shape == expected.shape and np.allclose(out, expected)
    return ok, getattr(out, "shape", type(out).__name__)
