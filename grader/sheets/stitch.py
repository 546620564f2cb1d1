"""The code of one question: its fenced blocks, templates dropped, fragments stitched into Python.

Students paste the question's scaffold and then their answer, split a method over several blocks
(`def forward(self, x):` alone, then its body at column 0, then `return out` alone), or write a
method after the class instead of inside it. `question_code` undoes all of that, keeps every bug
of the code itself, and when the result still does not parse, says where and why and keeps the
classes and functions that do parse.
"""

from __future__ import annotations

import ast

from ..i18n import t as msg
from .model import CodeBlock, CodeFragment, Sheet
from .prose_code import code_in_prose
from .reindent import reindent
from .salvage import salvage

_CHARS = {"\u00a0": " ", "\u3000": " ", "\u200b": "", "\ufeff": "", "\u2018": "'", "\u2019": "'",
          "\u201c": '"', "\u201d": '"'}
_QUOTES = "\u2018\u2019\u201c\u201d"


def question_code(sheet: Sheet, qid: str) -> CodeFragment:
    """The student's code for `qid`, stitched from the answer's code blocks (see the module doc)."""
    answer = sheet.answer(qid)
    if answer is None:
        return CodeFragment("", [msg("sheet.no_answer", qid=qid)], False, [])
    notes: list[str] = []
    blocks = answer.code_blocks
    if not blocks:
        blocks = code_in_prose(answer.text, answer.line)
        if blocks:
            notes.append(msg("sheet.code_in_prose", qid=qid, line=blocks[0].line))
    answers = [b for b in blocks if not b.template]
    if blocks and not answers:
        notes.append(msg("sheet.template_only", qid=qid, line=blocks[0].line))
    if not answers:
        if not blocks:
            notes.append(msg("sheet.no_code", qid=qid))
        return CodeFragment("", notes, False, [])
    dropped = [b.line for b in blocks if b.template]
    if dropped:
        notes.append(msg("sheet.template_dropped", qid=qid, lines=", ".join(map(str, dropped))))
    return stitch(answers, qid, notes)


def stitch(blocks: list[CodeBlock], qid: str = "", notes: list[str] | None = None) -> CodeFragment:
    """Join `blocks` into one module that parses, repairing indentation; see `question_code`."""
    notes = list(notes or [])
    label = f"{qid}: " if qid else ""
    texts, where = _join(blocks, notes, label)
    if not any(t.strip() for t in texts):
        return CodeFragment("", notes + [msg("sheet.empty_block", label=label)], False, [])
    error = _parse_error(texts)
    if error is not None:
        fixed, repairs = reindent(texts)
        if _parse_error(fixed) is None or len(repairs) > 0:
            where = _remap(where, repairs)
            texts = fixed
            notes.extend(_repair_notes(repairs, where, label))
        error = _parse_error(texts)
    if error is not None:
        kept, kept_where, salvage_notes = salvage(texts, where)
        notes.extend(f"{label}{n}" for n in salvage_notes)
        return CodeFragment(_text(kept), notes, False, kept_where)
    texts, where = _methods_into_class(texts, where, notes, label)
    return CodeFragment(_text(texts), notes, True, where)


def _join(blocks: list[CodeBlock], notes: list[str], label: str) -> tuple[list[str], list[int]]:
    texts: list[str] = []
    where: list[int] = []
    quotes = False
    for block in blocks:
        lines = block.source.split("\n")
        numbers = [block.line + k for k in range(len(lines))]
        while lines and not lines[0].strip():
            lines.pop(0)
            numbers.pop(0)
        while lines and not lines[-1].strip():
            lines.pop()
            numbers.pop()
        if not lines:
            continue
        if texts:
            texts.append("")
            where.append(0)
        for text, number in zip(lines, numbers):
            quotes = quotes or any(q in text for q in _QUOTES)
            for bad, good in _CHARS.items():
                text = text.replace(bad, good)
            texts.append(text.expandtabs(4).rstrip())
            where.append(number)
    if quotes:
        notes.append(msg("sheet.curly_quotes", label=label))
    return texts, where


def _parse_error(texts: list[str]) -> SyntaxError | None:
    try:
        ast.parse(_text(texts))
    except SyntaxError as err:
        return err
    except (ValueError, RecursionError) as err:  # a NUL byte; absurd nesting
        return SyntaxError(str(err))
    return None


def _text(texts: list[str]) -> str:
    return "\n".join(texts) + "\n" if texts else ""


def _remap(where: list[int], repairs: list) -> list[int]:
    where = list(where)
    for r in repairs:
        if r.kind == "pass":
            where.insert(r.line, 0)
    return where


def _repair_notes(repairs: list, where: list[int], label: str) -> list[str]:
    notes = []
    for r in repairs:
        line = where[r.line] if r.line < len(where) else 0
        at = msg("sheet.line", line=line) if line else msg("sheet.code_end")
        kind = r.kind if r.kind in ("body", "pass") else "indent"
        notes.append(msg(f"sheet.repair.{kind}", label=label, at=at, header=r.header))
    return notes


def _methods_into_class(texts: list[str], where: list[int], notes: list[str],
                        label: str) -> tuple[list[str], list[int]]:
    """Move `def f(self, …)` written at column 0 right after a class into that class."""
    tree = ast.parse(_text(texts))
    out = list(texts)
    host: ast.ClassDef | None = None
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            host = node
            continue
        if host is not None and _is_method(node):
            assert isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
            indent = host.body[0].col_offset if host.body else 4
            first = min([node.lineno] + [d.lineno for d in node.decorator_list])
            for j in range(first - 1, node.end_lineno or first):
                if out[j].strip():
                    out[j] = " " * indent + out[j]
            line = where[first - 1]
            notes.append(msg("sheet.method_moved", label=label, line=line, name=node.name, host=host.name))
            continue
        host = None
    if out != texts:
        try:
            ast.parse(_text(out))
        except SyntaxError:
            return texts, where
    return out, where


def _is_method(node: ast.stmt) -> bool:
    if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return False
    args = node.args.posonlyargs + node.args.args
    return bool(args) and args[0].arg == "self"

