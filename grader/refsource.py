"""What a worker is given beside a student's code: the book's library, and (the TA's run only) the reference.

Two programs of sources, loaded before the student's:
- `_book` (`grader/book/`): what the book provides and students use without handing it in —
  im2col, col2im, softmax, cross_entropy_error, numerical_gradient, Relu, Affine, SoftmaxWithLoss.
  The same in the TA's run and in the self-check, so both run the student's code with the same code
  around it. The student kit ships it.
- `_reference` (`reference/`): the solution. It answers the names the assignment asks for
  (Convolution, Pooling, SimpleConvNet) where a question's code needs them and the student's does
  not answer them. The kit has none of it.
"""

from __future__ import annotations

import importlib.util
from functools import lru_cache
from pathlib import Path

BOOK = "_book"
BOOK_MODULES = ("util", "functions", "gradient", "layers")
PROGRAM = "_reference"
# What of the reference a worker is ever given: its layers. Never its SimpleConvNet, whose methods are
# the answers of the network questions, and never in the worker where the student's own layers run.
REF_MODULES = ("util", "functions", "layers")
_BOOK_DIR = Path(__file__).resolve().parent / "book"

# Names an answer may use without defining or importing them: the book's (module, attribute).
BOOK_NAMES = {
    "im2col": ("util", "im2col"), "col2im": ("util", "col2im"),
    "softmax": ("functions", "softmax"), "cross_entropy_error": ("functions", "cross_entropy_error"),
    "numerical_gradient": ("gradient", "numerical_gradient"),
    "Relu": ("layers", "Relu"), "Affine": ("layers", "Affine"), "SoftmaxWithLoss": ("layers", "SoftmaxWithLoss"),
}
# … and the answers, from the reference (the TA's run only).
ANSWER_NAMES = {"Convolution": ("layers", "Convolution"), "Pooling": ("layers", "Pooling")}
# What the network questions run on instead of the student's own, to isolate them (one bug costs once).
LAYER_NAMES = ("Convolution", "Pooling", "Relu", "Affine", "SoftmaxWithLoss", "im2col", "col2im",
               "softmax", "cross_entropy_error")
ALWAYS = {"np": ("numpy", ""), "numpy": ("numpy", ""), "OrderedDict": ("collections", "OrderedDict")}


def _modules(program: str, folder: Path, names: tuple[str, ...], shown: str) -> list[dict[str, str]] | None:
    modules = [{"name": program, "file": f"{shown}/__init__.py", "source": (folder / "__init__.py").read_text("utf-8")}]
    for m in names:
        path = folder / f"{m}.py"
        if not path.exists():
            return None
        modules.append({"name": f"{program}.{m}", "file": f"{shown}/{m}.py", "source": path.read_text("utf-8")})
    return modules


@lru_cache(maxsize=1)
def book_modules() -> list[dict[str, str]]:
    """The book's library as sources for a worker, named `_book.*`."""
    modules = _modules(BOOK, _BOOK_DIR, BOOK_MODULES, "book")
    assert modules is not None, f"{_BOOK_DIR} is incomplete"
    return modules


@lru_cache(maxsize=1)
def reference_modules() -> list[dict[str, str]] | None:
    """The reference package's sources, named `_reference.*`, or None where it is not installed."""
    spec = importlib.util.find_spec("reference")
    if spec is None or not spec.submodule_search_locations:
        return None
    return _modules(PROGRAM, Path(next(iter(spec.submodule_search_locations))), REF_MODULES, "reference")


def fallback(*, with_reference: bool) -> dict[str, str]:
    """Where student code finds the book's library it did not hand in (`from common.layers import *`):
    the book's, in both runs (the answers it lacks are not given it: they are its questions)."""
    return {"common": BOOK, **{f"common.{m}": f"{BOOK}.{m}" for m in BOOK_MODULES},
            **{m: f"{BOOK}.{m}" for m in BOOK_MODULES}}


def source_of(name: str, *, with_reference: bool) -> tuple[str, str] | None:
    """The (module, attribute) that supplies `name` where the student's code lacks it."""
    if name in BOOK_NAMES:
        return f"{BOOK}.{BOOK_NAMES[name][0]}", BOOK_NAMES[name][1]
    if with_reference and name in ANSWER_NAMES:
        return f"{PROGRAM}.{ANSWER_NAMES[name][0]}", ANSWER_NAMES[name][1]
    return None


def provided(*, with_reference: bool) -> dict[str, tuple[str, str]]:
    """name → (module, attribute) to inject into an answer's module where the name is missing: the
    book's names only. The student's own code runs where no reference exists (see `requires`)."""
    out = dict(ALWAYS)
    for name in BOOK_NAMES:
        found = source_of(name, with_reference=False)
        if found is not None:
            out[name] = found
    return out


def isolating(*, with_reference: bool) -> dict[str, tuple[str, str]]:
    """What the network questions' code gets in place of the student's own layers: the book's layers
    always, the reference's Convolution and Pooling in the TA's run (a self-check keeps the student's)."""
    return {n: found for n in LAYER_NAMES if (found := source_of(n, with_reference=with_reference))}


def requires(*, with_reference: bool) -> list[str]:
    """The programs a program is loaded after: the book's library, and the reference's layers for the
    programs that isolate a network question (`with_reference`)."""
    return [BOOK, PROGRAM] if with_reference else [BOOK]


REFERENCE_EXPORTS = {name: f"{PROGRAM}.{module}" for name, (module, _) in {
    **ANSWER_NAMES, "Relu": ("layers", ""), "Affine": ("layers", ""), "SoftmaxWithLoss": ("layers", "")}.items()}


BESIDE = {"predict": "_beside_predict", "loss": "_beside_loss"}  # program of each method given beside


@lru_cache(maxsize=1)
def beside_modules() -> dict[str, list[dict[str, str]]]:
    """The reference network's predict and loss, each alone as a function in a module of its own: what
    a network question grades beside the student's method under test (7.5.1.6's gradient runs with a
    right predict and loss). Never the class, never another method: nothing more to take."""
    import ast
    import textwrap

    spec = importlib.util.find_spec("reference")
    if spec is None or not spec.submodule_search_locations:
        return {}
    text = (Path(next(iter(spec.submodule_search_locations))) / "simple_convnet.py").read_text("utf-8")
    cls = next(n for n in ast.parse(text).body if isinstance(n, ast.ClassDef) and n.name == "SimpleConvNet")
    lines = text.split("\n")
    out = {}
    for method, program in BESIDE.items():
        node = next(m for m in cls.body if isinstance(m, ast.FunctionDef) and m.name == method)
        source = textwrap.dedent("\n".join(lines[node.lineno - 1:node.end_lineno])) + "\n"
        out[method] = [{"name": program, "file": f"reference/{method}.py", "source": source}]
    return out