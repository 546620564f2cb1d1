"""A tolerant reader of Python lines: indentation, comments, and where logical lines start.

`tokenize` stops at the first indentation error, and code pasted into sheets is full of them; this
scanner never fails. It knows strings (single, triple, escaped), comments, brackets and backslash
continuations, which is all the stitching and the notebook cleaning need.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_TRIVIAL = re.compile(r"^(pass|\.\.\.|return|return\s+[A-Za-z_]\w*|continue|break)$")
_PLACEHOLDER = re.compile(r"^[^=]*[^=!<>:+\-*/%&|^@]=\s*$")  # `x = ` with nothing after (a `# 구현` slot)
_DEF = re.compile(r"^(async\s+def|def|class)\s+\w+")


@dataclass
class Line:
    """One physical line. Logical-line facts (`header`, `statement`) are set on its first line."""

    text: str
    indent: int
    code: str  # the line without its comment, stripped
    starts: bool  # begins a logical line (not inside brackets, a string or a continuation)
    blank: bool  # nothing but whitespace or a comment
    header: bool = False  # the logical line ends with ':' (a block follows)
    statement: str = ""  # the whole logical line's code (continuations joined)
    end: int = 0  # index of the logical line's last physical line

    @property
    def is_def(self) -> bool:
        return bool(_DEF.match(self.code)) or self.code.startswith("@")

    @property
    def trivial(self) -> bool:
        """`pass`, `...`, a bare `return out`: what a template leaves in a body."""
        return bool(_TRIVIAL.match(self.statement.strip()))

    @property
    def placeholder(self) -> bool:
        """An assignment with nothing on the right: `self.params['W1'] = # 구현`."""
        return bool(_PLACEHOLDER.match(self.statement.strip()))


def indent_of(text: str) -> int:
    return len(text) - len(text.lstrip(" "))


def scan(lines: list[str]) -> list[Line]:
    """Read `lines` (tabs already expanded) into `Line`s."""
    out: list[Line] = []
    depth = 0
    triple = ""  # the open triple quote, if any
    continued = False
    logical_start = -1
    for k, text in enumerate(lines):
        starts = depth == 0 and not triple and not continued
        code_chars: list[str] = []
        i, n = 0, len(text)
        if triple:
            close = text.find(triple)
            if close < 0:
                out.append(Line(text, indent_of(text), "", False, False))
                continue
            code_chars.append(text[: close + 3])
            i = close + 3
            triple = ""
        while i < n:
            ch = text[i]
            if ch == "#":
                break
            if ch in "'\"":
                if text.startswith(ch * 3, i):
                    close = text.find(ch * 3, i + 3)
                    if close < 0:
                        triple = ch * 3
                        code_chars.append(text[i:])
                        i = n
                        break
                    code_chars.append(text[i: close + 3])
                    i = close + 3
                    continue
                j = i + 1
                while j < n and text[j] != ch:
                    j += 2 if text[j] == "\\" else 1
                code_chars.append(text[i: j + 1])
                i = j + 1
                continue
            if ch in "([{":
                depth += 1
            elif ch in ")]}":
                depth = max(0, depth - 1)
            code_chars.append(ch)
            i += 1
        code = "".join(code_chars).strip()
        continued = code.endswith("\\") and not triple
        blank = starts and not code
        line = Line(text, indent_of(text), code, starts, blank)
        out.append(line)
        if starts and not blank:
            logical_start = k
        if logical_start >= 0 and depth == 0 and not triple and not continued and code:
            first = out[logical_start]
            parts = [out[j].code.rstrip("\\").strip() for j in range(logical_start, k + 1) if out[j].code]
            first.statement = " ".join(parts)
            first.header = first.statement.endswith(":")
            first.end = k
            logical_start = -1
    if logical_start >= 0:  # an unclosed bracket or string runs to the end
        first = out[logical_start]
        first.statement = " ".join(line.code for line in out[logical_start:] if line.code)
        first.end = len(out) - 1
    return out


def statements(lines: list[Line]) -> list[int]:
    """Indices of the lines that start a (non-blank) logical line."""
    return [k for k, line in enumerate(lines) if line.starts and not line.blank]
