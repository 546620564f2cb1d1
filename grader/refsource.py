"""The reference solution as sources for a worker (the TA's run only; the student kit has none)."""

from __future__ import annotations

import importlib.util
from functools import lru_cache
from pathlib import Path

REF_MODULES = ("util", "functions", "gradient", "layers", "simple_convnet")
PROGRAM = "_reference"
# Where student code looks for the book's library, and which reference module answers.
FALLBACK = {
    "common": PROGRAM,
    **{f"common.{m}": f"{PROGRAM}.{m}" for m in REF_MODULES},
    **{m: f"{PROGRAM}.{m}" for m in ("util", "functions", "gradient", "layers")},
}
# Names an answer may use without defining or importing them (the rest of the book's code).
PROVIDED = {
    "im2col": ("util", "im2col"), "col2im": ("util", "col2im"),
    "softmax": ("functions", "softmax"), "cross_entropy_error": ("functions", "cross_entropy_error"),
    "numerical_gradient": ("gradient", "numerical_gradient"),
    "Relu": ("layers", "Relu"), "Affine": ("layers", "Affine"), "SoftmaxWithLoss": ("layers", "SoftmaxWithLoss"),
    "Convolution": ("layers", "Convolution"), "Pooling": ("layers", "Pooling"),
}
LAYER_NAMES = ("Convolution", "Pooling", "Relu", "Affine", "SoftmaxWithLoss", "im2col", "col2im",
               "softmax", "cross_entropy_error")
ALWAYS = {"np": ("numpy", ""), "numpy": ("numpy", ""), "OrderedDict": ("collections", "OrderedDict")}


@lru_cache(maxsize=1)
def reference_modules() -> list[dict[str, str]] | None:
    """The reference package's sources, named `_reference.*`, or None where it is not installed."""
    spec = importlib.util.find_spec("reference")
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations)))
    modules = [{"name": PROGRAM, "file": "reference/__init__.py", "source": (folder / "__init__.py").read_text("utf-8")}]
    for m in REF_MODULES:
        path = folder / f"{m}.py"
        if not path.exists():
            return None
        modules.append({"name": f"{PROGRAM}.{m}", "file": f"reference/{m}.py", "source": path.read_text("utf-8")})
    return modules


def provided(names: tuple[str, ...] | None = None, *, with_reference: bool) -> dict[str, tuple[str, str]]:
    """name → (module, attribute) to inject into an answer's module where the name is missing."""
    out = dict(ALWAYS)
    if with_reference:
        for name, (mod, attr) in PROVIDED.items():
            if names is None or name in names:
                out[name] = (f"{PROGRAM}.{mod}", attr)
    return out
