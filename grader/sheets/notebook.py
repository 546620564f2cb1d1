"""Jupyter and Colab notebooks: their code as one module, and their cells as an answer sheet.

IPython syntax is not Python: line magics (`%matplotlib inline`) and shell lines (`!pip install`)
become `pass` (which keeps an `if` body valid), cell magics drop their cell unless they only time
or capture it (`%%time`), `get_ipython()` is neutralised. A cell that still does not parse is left
out of the code with a note, so one broken cell does not cost the whole notebook.
"""

from __future__ import annotations

import ast
import json
import re
import warnings
from collections.abc import Sequence
from typing import Any

from ..i18n import t as msg
from .decode import decode_text, encoding_note
from .lines import scan
from .model import Notebook, Sheet
from .parse import parse_sheet
from .syntax_ko import describe

_KEEP_CELL_MAGICS = {"time", "timeit", "capture", "prun", "memit", "debug"}
_ASSIGN_FROM_SHELL = re.compile(r"^[A-Za-z_][\w, ]*=\s*[!%]")
_HELP = re.compile(r"^[A-Za-z_][\w.]*\?{1,2}$|^\?{1,2}[A-Za-z_][\w.]*$")
_ID_COMMENT = re.compile(r"^#+\s*(?:Q|문제|문항)?\s*\.?\s*(\d+(?:\.\d+)+)")


def read_notebook(data: bytes | str, question_ids: Sequence[str] = ()) -> Notebook:
    """Read a notebook (any nbformat version, converted to 4); never raises.

    `code` is every code cell in order, cleaned of IPython syntax; `sheet` is the notebook rendered
    as an answer sheet (markdown as text, code cells as ```python blocks, their text output indented)
    and parsed with `question_ids`.
    """
    notes: list[str] = []
    if isinstance(data, bytes):
        text, encoding = decode_text(data)
        note = encoding_note(encoding, msg("sheet.name.notebook"))
        if note:
            notes.append(note)
    else:
        text = data
    cells = _cells(text, notes)
    if cells is None:
        return Notebook("", Sheet({}, list(notes), "notebook"), notes, 0)
    code_parts: list[str] = []
    rendered: list[str] = []
    dropped_lines = 0
    kept = 0
    for number, cell in enumerate(cells, start=1):
        kind = cell.get("cell_type")
        source = _source(cell.get("source", ""))
        if kind == "markdown":
            rendered.append(source)
            continue
        if kind != "code" or not source.strip():
            continue
        code, dropped, why = clean_cell(source)
        dropped_lines += dropped
        if code is None:
            notes.append(msg("sheet.cell_dropped", cell=number, why=why))
            continue
        rendered.append(_render_code(code, cell))
        try:
            ast.parse(code)
        except SyntaxError as err:
            line = msg("sheet.cell_line", line=err.lineno) if err.lineno else msg("sheet.cell")
            notes.append(msg("sheet.cell_syntax", cell=number, line=line, error=describe(err)))
            continue
        code_parts.append(f"# [{msg('sheet.cell_marker', cell=number)}]\n{code.rstrip()}\n")
        kept += 1
    if dropped_lines:
        notes.append(msg("sheet.ipython_lines", n=dropped_lines))
    sheet = parse_sheet("\n\n".join(rendered), question_ids, format="notebook") if rendered else \
        Sheet({}, [msg("sheet.nb_no_cells")], "notebook")
    return Notebook("\n".join(code_parts), sheet, notes, kept)


def clean_cell(source: str) -> tuple[str | None, int, str]:
    """A code cell without IPython syntax: (code or None when the whole cell is dropped, lines
    replaced, why the cell was dropped)."""
    lines = source.expandtabs(4).split("\n")
    first = next((k for k, line in enumerate(lines) if line.strip()), None)
    dropped = 0
    if first is not None and lines[first].lstrip().startswith("%%"):
        magic = lines[first].strip()[2:].split(" ")[0]
        if magic not in _KEEP_CELL_MAGICS and not _writes_python(lines[first]):
            return None, 0, msg("sheet.cell_magic", magic=magic)
        lines[first] = ""
        dropped += 1
    scanned = scan(lines)
    for k, line in enumerate(scanned):
        if not line.starts or line.blank:
            continue
        code = lines[k].strip()
        indent = " " * line.indent
        if code.startswith(("%", "!")) or _ASSIGN_FROM_SHELL.match(code) or _HELP.match(code) \
                or code.startswith("get_ipython()"):
            lines[k] = indent + "pass"
            for j in range(k + 1, line.end + 1):  # a shell line continued with a backslash
                lines[j] = ""
            dropped += 1
        elif "get_ipython()" in code:
            lines[k] = lines[k].replace("get_ipython()", "None")
            dropped += 1
    return "\n".join(lines), dropped, ""


def _writes_python(magic_line: str) -> bool:
    parts = magic_line.split()
    return parts[0] == "%%writefile" and len(parts) > 1 and parts[-1].endswith(".py")


def _cells(text: str, notes: list[str]) -> list[dict[str, Any]] | None:
    try:
        import nbformat
        from nbformat.validator import ValidationError
    except ImportError:  # a declared dependency; read the JSON ourselves if it is missing
        nbformat = None  # type: ignore[assignment]
    if nbformat is not None:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                nb = nbformat.convert(nbformat.reader.reads(text), 4)
                try:
                    nbformat.validate(nb)
                except ValidationError as err:
                    notes.append(msg("sheet.nb_invalid", error=_short(err)))
            return [dict(cell) for cell in nb.get("cells", [])]
        except Exception as err:  # nbformat raises many kinds; the raw JSON may still be readable
            notes.append(msg("sheet.nb_nbformat_failed", error=_short(err)))
    try:
        raw = json.loads(text)
    except (ValueError, RecursionError):
        notes.append(msg("sheet.nb_not_json"))
        return None
    cells = raw.get("cells") if isinstance(raw, dict) else None
    if cells is None and isinstance(raw, dict):  # nbformat 3: cells live in worksheets
        cells = [c for ws in raw.get("worksheets", []) if isinstance(ws, dict) for c in ws.get("cells", [])]
    if not isinstance(cells, list):
        notes.append(msg("sheet.nb_cells_not_found"))
        return None
    notes.append(msg("sheet.nb_raw_json"))
    return [c if "source" in c else {**c, "source": c.get("input", "")} for c in cells if isinstance(c, dict)]


def _source(source: Any) -> str:
    if isinstance(source, list):
        return "".join(str(s) for s in source)
    return str(source or "")


def _render_code(code: str, cell: dict[str, Any]) -> str:
    """A code cell as sheet text: a heading from a `# 3.1.2` first comment, the fence, output."""
    lines = code.split("\n")
    head = ""
    first = next((k for k, line in enumerate(lines) if line.strip()), None)
    if first is not None and _ID_COMMENT.match(lines[first].strip()):
        head = lines[first].strip().lstrip("#").strip() + "\n"
    fence = "````" if "```" in code else "```"
    out = f"{head}{fence}python\n{code.rstrip()}\n{fence}"
    shown = _outputs(cell)
    if shown:
        out += "\n\n" + "\n".join("    " + line for line in shown.splitlines())
    return out


def _outputs(cell: dict[str, Any]) -> str:
    texts = []
    for output in cell.get("outputs", []) or []:
        if not isinstance(output, dict):
            continue
        if output.get("output_type") == "stream":
            texts.append(_source(output.get("text", "")))
        elif output.get("output_type") in ("execute_result", "display_data"):
            texts.append(_source((output.get("data") or {}).get("text/plain", "")))
    return "\n".join(t.rstrip() for t in texts if t.strip())


def _short(err: Exception) -> str:
    text = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
    return text[:120]

