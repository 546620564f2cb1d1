"""Python sources of a submission: their module names, what they define, and the answer text of a name."""

from __future__ import annotations

import ast
import re
import sys
from dataclasses import dataclass, field
from pathlib import PurePosixPath


RESERVED = set(sys.stdlib_module_names) | {"numpy", "np", "grader", "assignments", "reference", "_reference", "_grader_wire"}


@dataclass
class Source:
    """One module of a submission (a file, a notebook's code, or a fragment of an answer sheet)."""

    module: str  # the module name it is loaded as
    file: str  # the file it came from, as the student sees it
    text: str
    tree: ast.Module | None = None
    syntax_error: str = ""
    definitions: dict[str, ast.stmt] = field(default_factory=dict)
    used: set[str] = field(default_factory=set)  # every name the module reads
    _lines: list[str] | None = field(default=None, repr=False, compare=False)

    @classmethod
    def parse(cls, module: str, file: str, text: str) -> Source:
        src = cls(module, file, text)
        try:
            src.tree = ast.parse(text, filename=file)
        except SyntaxError as exc:
            src.syntax_error = f"{file}:{exc.lineno}: {exc.msg}"
            return src
        except (RecursionError, MemoryError, ValueError) as exc:  # a pathological file (200,000-deep nesting)
            src.syntax_error = f"{file}: {type(exc).__name__}: {exc}"
            return src
        for node in src.tree.body:
            if isinstance(node, (ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef)):
                src.definitions[node.name] = node
        src.used = {n.id for n in ast.walk(src.tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
        return src

    def segment(self, name: str, methods: tuple[str, ...] = ()) -> str:
        """The source of a definition, or of some of a class's methods."""
        node = self.definitions.get(name)
        if node is None:
            return ""
        if not methods:
            return self._source_of(node)
        parts = []
        for sub in getattr(node, "body", []):
            if isinstance(sub, ast.FunctionDef) and sub.name in methods:
                parts.append(self._source_of(sub, padded=True))
        return "\n\n".join(parts)

    def _source_of(self, node: ast.AST, padded: bool = False) -> str:
        """`ast.get_source_segment`, on lines split once (it splits the whole text on every call)."""
        if self._lines is None:
            self._lines = _split_lines(self.text)
        lines = self._lines
        try:
            first, last = node.lineno - 1, node.end_lineno - 1  # type: ignore[attr-defined, operator]
            start, end = node.col_offset, node.end_col_offset  # type: ignore[attr-defined]
        except AttributeError:
            return ""
        if first < 0 or last >= len(lines) or end is None:
            return ""
        if first == last:
            return lines[first].encode()[start:end].decode()
        prefix = lines[first].encode()[:start].decode()
        pad = "".join(c if c in "\f\t" else " " for c in prefix) if padded else ""
        return pad + lines[first].encode()[start:].decode() + "".join(lines[first + 1:last]) + \
            lines[last].encode()[:end].decode()


def _split_lines(text: str) -> list[str]:
    """Lines with their ends, split where the parser counts lines (not at form feeds)."""
    lines, start = [], 0
    for m in re.finditer(r"\r\n|\r|\n", text):
        lines.append(text[start:m.end()])
        start = m.end()
    if start < len(text):
        lines.append(text[start:])
    return lines


def module_name(rel: str) -> str:
    """`common/layers.py` → `common.layers`; names that would shadow numpy or the standard library are prefixed."""
    parts = list(PurePosixPath(rel).with_suffix("").parts)
    if parts and parts[-1] == "__init__":
        parts = parts[:-1] or ["__init__"]
    parts = [p.replace("-", "_").replace(" ", "_") for p in parts]
    if parts[0] in RESERVED:
        parts[0] = f"student_{parts[0]}"
    return ".".join(parts)


def aliases(sources: list[Source]) -> dict[str, Source]:
    """Every name a student could import a file by: `common.layers`, and `layers` when unambiguous.

    Students run scripts from their folder with `sys.path.append(os.pardir)`, so `ch07/x.py` may
    import `common.layers` (from the parent) or `x` (from its own folder).
    """
    table: dict[str, Source] = {s.module: s for s in sources}
    by_suffix: dict[str, list[Source]] = {}
    for s in sources:
        parts = s.module.split(".")
        for i in range(1, len(parts)):
            by_suffix.setdefault(".".join(parts[i:]), []).append(s)
    for name, owners in by_suffix.items():
        if name not in table and len(owners) == 1 and name.split(".")[0] not in RESERVED:
            table[name] = owners[0]
    return table
