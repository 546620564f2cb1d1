"""Shared by the i18n tests: where the grader's words may be written, and a scanner for Hangul in code."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GRADER = ROOT / "grader"
ASSIGNMENT = ROOT / "assignments" / "a5_cnn"
HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]")

# The modules whose messages must all come from the catalogue (grader/i18n.py).
MESSAGE_MODULES = sorted({
    *GRADER.glob("checks/*.py"), *GRADER.glob("discover/*.py"), *GRADER.glob("sheets/*.py"),
    GRADER / "runner.py", GRADER / "scoring.py", GRADER / "sandbox" / "client.py", GRADER / "report" / "terminal.py",
    GRADER / "report" / "exports.py", GRADER / "report" / "html.py", GRADER / "reviews.py",
    GRADER / "rubric.py", GRADER / "kit.py", GRADER / "assignment.py", GRADER / "classjob.py",
    # the assignment's modules: its words are in its messages.py
    *ASSIGNMENT.glob("checks/*.py"), ASSIGNMENT / "training.py", ASSIGNMENT / "assemble.py", ASSIGNMENT / "slots.py",
})

# Korean that is data, not a message: keywords the sheet readers look for in students' answers, and the
# table of SyntaxError wordings (which has an English column). (module, module-level name or function).
DATA = {
    ("sheets/relation.py", "_TERMS"), ("sheets/relation.py", "_UP"), ("sheets/relation.py", "_DOWN"),
    ("sheets/relation.py", "_INVERSE"), ("sheets/relation.py", "_PROPORTIONAL"), ("sheets/relation.py", "_BOUNDARY"),
    ("sheets/shape.py", "_KEYWORDS"), ("sheets/shape.py", "_NAME_TUPLE"), ("sheets/shape.py", "_COUNTER"),
    ("sheets/shape.py", "_EACH"),
    ("sheets/headings.py", "_HEADING"), ("sheets/headings.py", "_CHAPTER"),
    ("sheets/parse.py", "_QUESTION_END"),
    ("sheets/numeric.py", "_NOT_OUTPUT"), ("sheets/numeric.py", "_segment_value"),
    ("sheets/notebook.py", "_ID_COMMENT"),
    ("sheets/syntax_ko.py", "_MESSAGES"),
    ("sheets/written.py", "compile_patterns"),  # an example pattern in an error for the rubric's author
    ("sheets/proposal.py", "_KO_NEG"), ("sheets/proposal.py", "_KO_NOT_NEG"), ("sheets/proposal.py", "_CLAUSE_END"),
    ("sheets/proposal.py", "_model_denies"),
}


def _docstrings(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
                ids.add(id(first.value))
    return ids


def _owner(tree: ast.Module) -> dict[int, str]:
    """id of every node → the module-level name it is assigned to, or the top-level function holding it."""
    owner: dict[int, str] = {}
    for stmt in tree.body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            name = stmt.name
        elif isinstance(stmt, (ast.Assign, ast.AnnAssign)):
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            name = next((t.id for t in targets if isinstance(t, ast.Name)), "")
        else:
            name = ""
        for node in ast.walk(stmt):
            owner[id(node)] = name
    return owner


def hangul_literals(path: Path) -> list[tuple[int, str, str]]:
    """(line, owner, text) of every string literal with Hangul that is neither a docstring nor allowed data."""
    tree = ast.parse(path.read_text("utf-8"))
    docs, owner = _docstrings(tree), _owner(tree)
    rel = path.relative_to(GRADER).as_posix() if path.is_relative_to(GRADER) else path.name
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and HANGUL.search(node.value):
            name = owner.get(id(node), "")
            if id(node) not in docs and (rel, name) not in DATA:
                found.append((node.lineno, name, node.value))
    return found
