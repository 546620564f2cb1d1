"""SimpleConvNet from a sheet: the student's part for one question, the reference for the rest.

Questions 7.5.1.2 … 7.5.1.6 each fill one part of the class (see `slots`). To make one bug cost
once, `sheet_convnet_sources` builds, for each question, the whole class with only that question's
part from the student. `sheet_convnet_whole` takes every part the student wrote (the end-to-end
item). Bugs are kept as written: a wrong shape, `conv_params`, `self.params['w3']`, `.dw`.

The reference parts are cut from the reference's own SimpleConvNet (`reference/simple_convnet.py`) by
the same rules that cut a student's class, so they cannot drift from it. Only the TA's run has the
reference: its absence is a `LookupError` that says so.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from grader.i18n import t
from grader.sheets.lines import scan
from grader.sheets.model import CodeFragment, Sheet
from .slots import _METHODS as _METHOD_SLOTS
from .slots import CONVNET_IDS, INIT_IDS, SIGNATURE, find_units
from grader.sheets.stitch import question_code
from grader.sheets.syntax_ko import describe


def student_slot(sheet: Sheet, qid: str) -> CodeFragment:
    """The student's code for the part of SimpleConvNet that `qid` asks for, at column 0.

    Looked for first in the answer to `qid`, then in the other 7.5.1.x answers (a student who wrote
    the whole `__init__` under 7.5.1.2). A repeated class header or `def __init__` line is dropped.
    """
    return _student_slot(sheet, qid, {})


def convnet_source(slots: dict[str, str], *, prelude: bool = True) -> str:
    """The class text of SimpleConvNet with the given slot texts (reference text for the others).

    A slot text may be written at any indentation; it is placed where its question belongs.
    """
    parts = {qid: ("\n".join(_dedent(text.split("\n"))), [0] * len(text.split("\n")))
             for qid, text in slots.items()}
    source, _ = _assemble(parts, prelude)
    return source


def sheet_convnet_sources(sheet: Sheet, *, prelude: bool = True) -> dict[str, CodeFragment]:
    """For each of 7.5.1.2 … 7.5.1.6: the class with only that question's part from the student.

    A question with no code in the sheet gets an empty fragment (`missing`) and a note.
    """
    cache: dict[str, CodeFragment] = {}
    signature_note = _signature_note(sheet, cache)
    out: dict[str, CodeFragment] = {}
    for qid in CONVNET_IDS:
        slot = _student_slot(sheet, qid, cache)
        if slot.missing:
            out[qid] = CodeFragment("", slot.notes, False, [])
            continue
        source, where = _assemble({qid: (slot.source, slot.lines)}, prelude)
        notes = list(slot.notes) + ([signature_note] if signature_note and qid == "7.5.1.2" else [])
        out[qid] = _checked(source, where, notes, slot.ok)
    return out


def sheet_convnet_whole(sheet: Sheet, *, prelude: bool = True) -> CodeFragment:
    """The class with every part the student wrote (reference parts only where none was found)."""
    cache: dict[str, CodeFragment] = {}
    parts: dict[str, tuple[str, list[int]]] = {}
    notes: list[str] = []
    ok = True
    for qid in CONVNET_IDS:
        slot = _student_slot(sheet, qid, cache)
        if slot.missing:
            notes.append(t("sheet.filled_from_reference", qid=qid))
            continue
        parts[qid] = (slot.source, slot.lines)
        notes.extend(slot.notes)
        ok = ok and slot.ok
    signature_note = _signature_note(sheet, cache)
    if signature_note:
        notes.append(signature_note)
    if not parts:
        return CodeFragment("", notes, False, [])
    source, where = _assemble(parts, prelude)
    return _checked(source, where, notes, ok)


@dataclass(frozen=True)
class ReferenceSlots:
    """The reference SimpleConvNet cut into the parts the questions ask for (by the rules that cut a
    student's class, `slots.find_units`), and what surrounds them."""

    prelude: str  # the module's absolute imports and constants
    class_line: str
    docstring: str
    init_signature: str
    slots: dict[str, str]  # question id -> its part, at column 0
    other_methods: str  # the methods no question asks for (accuracy, numerical_gradient, …), at column 0


REFERENCE_NETWORK = Path(__file__).resolve().parent / "reference" / "simple_convnet.py"


@lru_cache(maxsize=1)
def reference_slots() -> ReferenceSlots:
    """The reference's SimpleConvNet in slots, or a LookupError when the reference is not installed."""
    path = REFERENCE_NETWORK
    if not path.is_file():
        raise LookupError(
            "the reference is not installed: building SimpleConvNet for 7.5.1.2–7.5.1.6 needs the TA's "
            "reference (reference/simple_convnet.py), which the student kit does not ship; grade these "
            "questions in the TA's run, or use student_slot() alone")
    return _cut(path.read_text("utf-8"))


def _cut(text: str) -> ReferenceSlots:
    tree = ast.parse(text)
    lines = text.split("\n")
    cls = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "SimpleConvNet")
    prelude = [ast.get_source_segment(text, n) or "" for n in tree.body
               if (isinstance(n, ast.Import) or (isinstance(n, ast.ImportFrom) and not n.level)
                   or isinstance(n, (ast.Assign, ast.AnnAssign)))]
    source = ast.get_source_segment(text, cls) or ""
    units = find_units(source).units
    body = source.split("\n")
    slots: dict[str, list[str]] = {}
    for u in units:
        part = slots.setdefault(u.slot, [])
        if part:
            part.append("")
        part.extend(_dedent(body[u.start - 1:u.end]))
    init = next(m for m in cls.body if isinstance(m, ast.FunctionDef) and m.name == "__init__")
    signature = _dedent(lines[init.lineno - 1:init.body[0].lineno - 1])
    doc = cls.body[0] if isinstance(cls.body[0], ast.Expr) and isinstance(cls.body[0].value, ast.Constant) else None
    asked = {"__init__", *_METHOD_SLOTS}
    others = [_dedent(lines[m.lineno - 1 - len(m.decorator_list):m.end_lineno])
              for m in cls.body if isinstance(m, ast.FunctionDef) and m.name not in asked]
    return ReferenceSlots(
        "\n".join(prelude) + "\n", "class SimpleConvNet:", ast.get_source_segment(text, doc) if doc else "",
        "\n".join(line for line in signature if not line.strip().startswith('"""')),
        {qid: "\n".join(part) + "\n" for qid, part in slots.items()},
        "\n\n".join("\n".join(m) for m in others) + "\n")


def _student_slot(sheet: Sheet, qid: str, cache: dict[str, CodeFragment]) -> CodeFragment:
    if qid not in CONVNET_IDS:
        raise ValueError(f"qid={qid!r} is not a SimpleConvNet question; expected one of {', '.join(CONVNET_IDS)}")
    for where_qid in (qid,) + tuple(q for q in CONVNET_IDS if q != qid):
        fragment = _fragment(sheet, where_qid, cache)
        if fragment.missing:
            continue
        units = [u for u in find_units(fragment.source).units if u.slot == qid]
        if not units:
            continue
        texts: list[str] = []
        where: list[int] = []
        src = fragment.source.split("\n")
        for u in units:
            if texts:
                texts.append("")
                where.append(0)
            texts.extend(_dedent(src[u.start - 1:u.end]))
            where.extend(fragment.lines[u.start - 1:u.end] if fragment.lines else [0] * (u.end - u.start + 1))
        notes = [n for n in fragment.notes]
        if where_qid != qid:
            notes.append(t("sheet.found_in_other", qid=qid, other=where_qid))
        return CodeFragment("\n".join(texts) + "\n", notes, fragment.ok, where)
    own = _fragment(sheet, qid, cache)
    notes = list(own.notes) if own.missing else own.notes + [
        t("sheet.part_not_found", qid=qid)]
    return CodeFragment("", notes, False, [])


def _fragment(sheet: Sheet, qid: str, cache: dict[str, CodeFragment]) -> CodeFragment:
    """`question_code`, kept per sheet; a partial fragment that parses is still usable."""
    if qid not in cache:
        cache[qid] = question_code(sheet, qid)
    return cache[qid]


def _dedent(lines: list[str]) -> list[str]:
    """Remove the indentation of the first statement, never cutting into a line's text."""
    scanned = scan(lines)
    starts = [line.indent for line in scanned if line.starts and not line.blank]
    cut = min(starts) if starts else 0
    out = []
    for text in lines:
        lead = len(text) - len(text.lstrip(" "))
        out.append(text[min(cut, lead):])
    return out


def _assemble(parts: dict[str, tuple[str, list[int]]], prelude: bool) -> tuple[str, list[int]]:
    ref = reference_slots()
    unknown = set(parts) - set(CONVNET_IDS)
    if unknown:
        raise ValueError(f"unknown SimpleConvNet slot(s) {sorted(unknown)}; expected {', '.join(CONVNET_IDS)}")
    out: list[str] = []
    where: list[int] = []

    def add(text: str, indent: int, lines: list[int] | None = None) -> None:
        rows = text.rstrip("\n").split("\n")
        numbers = lines if lines is not None and len(lines) >= len(rows) else [0] * len(rows)
        for row, number in zip(rows, numbers):
            out.append(" " * indent + row if row.strip() else "")
            where.append(number)

    if prelude:
        add(ref.prelude, 0)
        add("\n", 0)
    add(ref.class_line, 0)
    if ref.docstring:
        add(ref.docstring, 4)
    add("", 0)
    add(ref.init_signature, 4)
    body_start = len(out)
    for qid in INIT_IDS:
        text, lines = parts.get(qid, (ref.slots[qid], None))
        if text.strip():
            add(text, 8, lines)
    if len(out) == body_start:
        add("pass", 8)
    for qid in CONVNET_IDS[3:]:
        text, lines = parts.get(qid, (ref.slots[qid], None))
        if text.strip():
            add("", 0)
            add(text, 4, lines)
    add("", 0)
    add(ref.other_methods, 4)
    return "\n".join(out) + "\n", where


def _checked(source: str, where: list[int], notes: list[str], ok: bool) -> CodeFragment:
    try:
        ast.parse(source)
    except SyntaxError as err:
        line = where[err.lineno - 1] if err.lineno and err.lineno <= len(where) else 0
        at = t("sheet.line", line=line) if line else t("sheet.assembled_code")
        return CodeFragment(source, notes + [t("sheet.assembled_unreadable", at=at, error=describe(err))],
                            False, where)
    return CodeFragment(source, notes, ok, where)


def _signature_note(sheet: Sheet, cache: dict[str, CodeFragment]) -> str | None:
    for qid in CONVNET_IDS:
        fragment = _fragment(sheet, qid, cache)
        if fragment.missing:
            continue
        signature = find_units(fragment.source).signature
        if signature is not None and signature != SIGNATURE:
            return t("sheet.signature", qid=qid, args=", ".join(signature))
    return None


# The names the engine calls an assignment's slot rules by (`grader/discover/sheetplan.py`).
network_sources = sheet_convnet_sources
network_whole = sheet_convnet_whole
