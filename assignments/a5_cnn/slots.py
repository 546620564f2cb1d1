"""Which part of a student's SimpleConvNet code answers which of the questions 7.5.1.2 … 7.5.1.6.

Decided by content, not by where the code was written, so the same rules serve a sheet that
answers each question under its own number, one that answers a range with one class, and one that
pastes the whole class everywhere:
- 7.5.1.2: local names of `__init__` (`filter_num = conv_param['filter_num']`, the output sizes);
- 7.5.1.3: statements on `self.params`;
- 7.5.1.4: statements on `self.layers` and `self.last_layer`;
- 7.5.1.5: the methods `predict` and `loss`; 7.5.1.6: the method `gradient`.
"""

from __future__ import annotations

import ast
import tomllib
from dataclasses import dataclass
from pathlib import Path

from grader.sheets.lines import Line, scan


def _network_questions() -> list[tuple[str, tuple[str, ...]]]:
    """The rubric's network questions and the methods each asks for, in order (the rubric says them)."""
    data = tomllib.loads((Path(__file__).resolve().parent / "rubric.toml").read_text("utf-8"))
    return [(str(q["id"]), tuple(q.get("methods", ()))) for q in data.get("questions", [])
            if q.get("kind") == "code" and q.get("network")]


_NETWORK = _network_questions()
CONVNET_IDS = tuple(qid for qid, _ in _NETWORK)
INIT_IDS = tuple(qid for qid, methods in _NETWORK if "__init__" in methods)  # cut from __init__ by its content
_METHODS = {m: qid for qid, methods in _NETWORK for m in methods if m != "__init__"}
SIGNATURE = ("self", "input_dim", "conv_param", "hidden_size", "output_size", "weight_init_std")


@dataclass
class Unit:
    """Lines `start`…`end` (1-based, inclusive) of the source belong to question `slot`."""

    slot: str
    start: int
    end: int


@dataclass
class Found:
    units: list[Unit]
    signature: tuple[str, ...] | None  # parameter names of the student's __init__, if written


def find_units(source: str) -> Found:
    """The units of `source` (which must parse) by question, in source order."""
    tree = ast.parse(source)
    units: list[Unit] = []
    signature: tuple[str, ...] | None = None
    loose: list[ast.stmt] = []  # statements outside any function: kept only when classified
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            for member in node.body:
                if isinstance(member, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    signature = _function(member, units) or signature
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            signature = _function(node, units) or signature
        else:
            loose.append(node)
    for stmt in loose:
        slot = _statement_slot(stmt)
        if slot:
            units.append(Unit(slot, _first_line(stmt), stmt.end_lineno or stmt.lineno))
    units.sort(key=lambda u: u.start)
    lines = scan(source.split("\n"))
    return Found(_with_comments(_merged(units, lines), lines), signature)


def _function(fn: ast.FunctionDef | ast.AsyncFunctionDef, units: list[Unit]) -> tuple[str, ...] | None:
    if fn.name == "__init__":
        _init_body(fn.body, units)
        return tuple(a.arg for a in fn.args.posonlyargs + fn.args.args)
    slot = _METHODS.get(fn.name)
    if slot:
        units.append(Unit(slot, _first_line(fn), fn.end_lineno or fn.lineno))
    return None


def _init_body(body: list[ast.stmt], units: list[Unit]) -> None:
    """Every statement of `__init__` goes somewhere: unclassified ones join their neighbours."""
    slots = [_statement_slot(stmt) for stmt in body]
    previous = next((s for s in slots if s), None)
    for stmt, slot in zip(body, slots):
        if _is_docstring(stmt):
            continue
        slot = slot or previous
        if slot is None:
            continue
        previous = slot
        units.append(Unit(slot, _first_line(stmt), stmt.end_lineno or stmt.lineno))


def _statement_slot(stmt: ast.stmt) -> str | None:
    targets: list[ast.expr] = []
    if isinstance(stmt, ast.Assign):
        targets = stmt.targets
    elif isinstance(stmt, (ast.AugAssign, ast.AnnAssign)):
        targets = [stmt.target]
    for target in targets:
        root = _self_attribute(target)
        if root == "params":
            return "7.5.1.3"
        if root in ("layers", "last_layer"):
            return "7.5.1.4"
        if root is None and _names_only(target):
            return "7.5.1.2"
    text = ast.unparse(stmt)
    if "self.layers" in text or "self.last_layer" in text:
        return "7.5.1.4"
    if "self.params" in text:
        return "7.5.1.3"
    return None


def _self_attribute(target: ast.expr) -> str | None:
    """`params` for `self.params`, `self.params['W1']`, `self.params['W1'][0]`; else None."""
    node = target
    while isinstance(node, ast.Subscript):
        node = node.value
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "self":
        return node.attr
    if isinstance(node, (ast.Tuple, ast.List)):
        roots = {_self_attribute(e) for e in node.elts} - {None}
        return next(iter(sorted(roots)), None)
    return None


def _names_only(target: ast.expr) -> bool:
    if isinstance(target, ast.Name):
        return True
    if isinstance(target, (ast.Tuple, ast.List)):
        return all(_names_only(e) for e in target.elts)
    return False


def _is_docstring(stmt: ast.stmt) -> bool:
    return isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant) and isinstance(stmt.value.value, str)


def _first_line(node: ast.stmt) -> int:
    decorators = getattr(node, "decorator_list", [])
    return min([node.lineno] + [d.lineno for d in decorators])


def _merged(units: list[Unit], lines: list[Line]) -> list[Unit]:
    """Join neighbouring units of one question when only blank or comment lines lie between."""
    out: list[Unit] = []
    for u in units:
        between = lines[out[-1].end:u.start - 1] if out else []
        if out and out[-1].slot == u.slot and out[-1].end < u.start and \
                all(line.blank or not line.text.strip() for line in between):
            out[-1] = Unit(u.slot, out[-1].start, u.end)
        else:
            out.append(u)
    return out


def _with_comments(units: list[Unit], lines: list[Line]) -> list[Unit]:
    """Extend each unit up over the comment lines right above it (`# 합성곱 계층의 출력 크기 계산`)."""
    taken = {k for u in units for k in range(u.start, u.end + 1)}
    out = []
    for u in units:
        start = u.start
        while start - 1 >= 1 and start - 1 not in taken and lines[start - 2].blank and \
                lines[start - 2].text.strip().startswith("#"):
            start -= 1
        out.append(Unit(u.slot, start, u.end))
    return out
