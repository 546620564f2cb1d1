"""What a worker is given beside a student's code: the book's library, and (the TA's run only) the reference.

Two programs of sources, loaded before the student's, both declared by the assignment:
- `_book` (`Assignment.book`): what the book provides and students use without handing it in. The
  same in the TA's run and in the self-check, so both run the student's code with the same code
  around it. The student kit ships it.
- `_reference` (`Assignment.reference`): the solution. It answers the names the assignment asks for
  (`Assignment.answer_names`) where a question's code needs them and the student's does not answer
  them; of it a worker is given the modules `Assignment.reference.modules` only. The kit has none of it.
"""

from __future__ import annotations

from functools import lru_cache
from .assignment import Library, current

BOOK = "_book"
PROGRAM = "_reference"
ALWAYS = {"np": ("numpy", ""), "numpy": ("numpy", ""), "OrderedDict": ("collections", "OrderedDict")}


def _modules(program: str, library: Library) -> list[dict[str, str]] | None:
    folder = library.folder
    if folder is None or not (folder / "__init__.py").is_file():
        return None
    modules = [{"name": program, "file": f"{library.shown}/__init__.py",
                "source": (folder / "__init__.py").read_text("utf-8")}]
    for m in library.modules:
        path = folder / f"{m}.py"
        if not path.exists():
            return None
        modules.append({"name": f"{program}.{m}", "file": f"{library.shown}/{m}.py", "source": path.read_text("utf-8")})
    return modules


@lru_cache(maxsize=4)
def _book_modules(name: str) -> list[dict[str, str]]:  # `name`: the current assignment's, the cache key
    library = current().book
    modules = _modules(BOOK, library)
    assert modules is not None, f"{library.folder} is incomplete"
    return modules


def book_modules() -> list[dict[str, str]]:
    """The book's library as sources for a worker, named `_book.*`."""
    return _book_modules(current().name)


@lru_cache(maxsize=4)
def _reference_modules(name: str) -> list[dict[str, str]] | None:
    return _modules(PROGRAM, current().reference)


def reference_modules() -> list[dict[str, str]] | None:
    """The reference's sources, named `_reference.*`, or None where it is not installed (the kit)."""
    return _reference_modules(current().name)


def fallback(*, with_reference: bool) -> dict[str, str]:
    """Where student code finds the book's library it did not hand in (`from common.layers import *`):
    the book's, in both runs (the answers it lacks are not given it: they are its questions)."""
    a = current()
    out = {}
    for folder in a.names.provided_folders:
        out[folder] = BOOK
        out.update({f"{folder}.{m}": f"{BOOK}.{m}" for m in a.book.modules})
    out.update({m: f"{BOOK}.{m}" for m in a.book.modules})
    return out


def source_of(name: str, *, with_reference: bool) -> tuple[str, str] | None:
    """The (module, attribute) that supplies `name` where the student's code lacks it."""
    a = current()
    if name in a.book_names:
        return f"{BOOK}.{a.book_names[name][0]}", a.book_names[name][1]
    if with_reference and name in a.answer_names:
        return f"{PROGRAM}.{a.answer_names[name][0]}", a.answer_names[name][1]
    return None


def provided(*, with_reference: bool) -> dict[str, tuple[str, str]]:
    """name → (module, attribute) to inject into an answer's module where the name is missing: the
    book's names only. The student's own code runs where no reference exists (see `requires`)."""
    out = dict(ALWAYS)
    for name in current().book_names:
        found = source_of(name, with_reference=False)
        if found is not None:
            out[name] = found
    return out


def isolating(*, with_reference: bool) -> dict[str, tuple[str, str]]:
    """What the network questions' code gets in place of the student's own layers: the book's layers
    always, the reference's answers in the TA's run (a self-check keeps the student's)."""
    return {n: found for n in current().layer_names if (found := source_of(n, with_reference=with_reference))}


def requires(*, with_reference: bool) -> list[str]:
    """The programs a program is loaded after: the book's library, and the reference's layers for the
    programs that isolate a network question (`with_reference`)."""
    return [BOOK, PROGRAM] if with_reference else [BOOK]


def reference_exports() -> dict[str, str]:
    """name → module of the reference program, for what it answers: the answers and the book's classes."""
    a = current()
    classes = {n: m for n, (m, _) in a.book_names.items() if n in a.names.classes}
    return {name: f"{PROGRAM}.{module}" for name, module in
            {**{n: m for n, (m, _) in a.answer_names.items()}, **classes}.items()}


def beside() -> dict[str, str]:
    """network method → the program that gives the reference's method alone (see `beside_modules`)."""
    return dict(current().beside)


@lru_cache(maxsize=4)
def _beside_modules(name: str) -> dict[str, list[dict[str, str]]]:
    import ast
    import textwrap

    a = current()
    folder = a.reference.folder
    if folder is None or not a.network_file or not (folder / a.network_file).is_file():
        return {}
    text = (folder / a.network_file).read_text("utf-8")
    network = next((name for name in a.names.key_methods), "")
    cls = next((n for n in ast.parse(text).body if isinstance(n, ast.ClassDef) and n.name == network), None)
    if cls is None:
        return {}
    lines = text.split("\n")
    out = {}
    for method, program in a.beside.items():
        node = next(m for m in cls.body if isinstance(m, ast.FunctionDef) and m.name == method)
        source = textwrap.dedent("\n".join(lines[node.lineno - 1:node.end_lineno])) + "\n"
        out[method] = [{"name": program, "file": f"{a.reference.shown}/{method}.py", "source": source}]
    return out


def beside_modules() -> dict[str, list[dict[str, str]]]:
    """The reference network's methods named in `Assignment.beside`, each alone as a function in a
    module of its own: what a network question grades beside the student's method under test (a
    gradient runs with a right predict and loss). Never the class, never another method."""
    return _beside_modules(current().name)
