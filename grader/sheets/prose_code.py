"""Code pasted into a sheet without fences (a .txt exported from HWP or Word).

A run starts at a `class`/`def` line (or `self.x = …`) and continues over lines that look like
Python, blank lines and anything indented deeper than the start; it stops at a line of prose.
"""

from __future__ import annotations

import re

from .model import CodeBlock

_START = re.compile(r"^\s*(class\s+\w+.*:|def\s+\w+\s*\(.*|self\.\w+.*=.*)\s*(#.*)?$")
_CODE = re.compile(
    r"""^\s*(
        (class|def|for|while|if|elif|with|try)\b.*:|else\s*:|except\b.*:|finally\s*:
        |return\b.*|pass|break|continue|raise\b.*|import\s+\w.*|from\s+[\w.]+\s+import\b.*
        |\#.*|@\w.*
        |[A-Za-z_][\w.]*(\[[^\]]*\])*(\s*,\s*[A-Za-z_][\w.]*(\[[^\]]*\])*)*\s*([-+*/%@]|//)?=(?!=).*
        |[A-Za-z_][\w.]*\(.*
        |[\])}].*
    )\s*$""",
    re.X,
)
_HANGUL_OUTSIDE_COMMENT = re.compile(r"^[^#'\"]*[\uac00-\ud7a3]")


def code_in_prose(text: str, first_line: int) -> list[CodeBlock]:
    """Runs of Python-looking lines in `text` (whose first line is sheet line `first_line`)."""
    lines = text.split("\n")
    blocks: list[CodeBlock] = []
    k = 0
    while k < len(lines):
        if not _START.match(lines[k]) or _HANGUL_OUTSIDE_COMMENT.match(lines[k]):
            k += 1
            continue
        base = len(lines[k]) - len(lines[k].lstrip())
        end = k + 1
        last_code = k
        while end < len(lines):
            line = lines[end]
            indent = len(line) - len(line.lstrip())
            if not line.strip():
                end += 1
                continue
            deeper = indent > base
            looks = bool(_CODE.match(line)) and not _HANGUL_OUTSIDE_COMMENT.match(line)
            if not (looks or (deeper and not _HANGUL_OUTSIDE_COMMENT.match(line))):
                break
            last_code = end
            end += 1
        blocks.append(CodeBlock("\n".join(lines[k:last_code + 1]), first_line + k, "", False))
        k = last_code + 1
    return blocks


def looks_like_code(lines: list[str]) -> bool:
    """Whether lines in a box (a one-cell table of a document) are Python rather than prose.

    Code when it starts as code does (`class …:`, `def …(`), or most of its lines read as Python.
    """
    filled = [line for line in lines if line.strip()]
    if not filled:
        return False
    if _START.match(filled[0]) and not _HANGUL_OUTSIDE_COMMENT.match(filled[0]):
        return True
    python = sum(1 for line in filled if _CODE.match(line) and not _HANGUL_OUTSIDE_COMMENT.match(line))
    return python * 2 > len(filled)
