"""Does a code block only repeat the question's scaffold?

Assignment sheets print a template for each code question (`def forward(self, x):` over a `#구현`
comment, `self.params['W1'] = # …`), and students paste it into their sheet before their answer.
A block is a template when its placeholders (empty bodies, empty right-hand sides) are at least as
many as its real statements. A block holding only `return out` is a template when it follows one
(the tail of a scaffold), and a piece of the answer otherwise.
"""

from __future__ import annotations

from .lines import scan


def is_template(source: str, after_template: bool = False) -> bool:
    """True when `source` only repeats a template (see the module docstring)."""
    lines = scan(source.expandtabs(4).splitlines())
    starts = [k for k, line in enumerate(lines) if line.starts and not line.blank]
    if not starts:
        return True  # blank or comments only: nothing to run
    placeholders = real = trivial = fragments = 0
    for pos, k in enumerate(starts):
        line = lines[k]
        if line.header:
            if line.code.startswith("class "):
                continue
            body = _direct_body(lines, starts, pos)
            if body is None:
                fragments += 1  # a header closing the block: its body is in the next block
                continue
            after = starts[pos + 1 + len(body)] if pos + 1 + len(body) < len(starts) else len(lines)
            commented = _commented(lines, k, after)
            if body and all(lines[j].trivial for j in body):
                empty = all(lines[j].statement.strip() in ("pass", "...") for j in body)
                if empty or commented:
                    placeholders += 1  # `pass`, or `# 전개 … return out`
                else:
                    real += 1  # `return x`: a (short) answer
            elif not body:
                if commented:
                    placeholders += 1  # `#구현`
                else:
                    fragments += 1  # its body follows, not indented: a stitching matter
        elif line.placeholder:
            placeholders += 1
        elif line.trivial:
            trivial += 1
        else:
            real += 1
    if placeholders:
        return real <= placeholders
    if real or fragments:
        return False
    return after_template


def _commented(lines: list, k: int, stop: int) -> bool:
    """A comment indented under the header at line `k`, before line `stop`."""
    header = lines[k]
    return any(line.text.strip().startswith("#") and line.indent > header.indent
               for line in lines[header.end + 1:stop])


def _direct_body(lines: list, starts: list[int], pos: int) -> list[int] | None:
    """Statements directly under the header at `starts[pos]`; None when nothing follows it."""
    k = starts[pos]
    header = lines[k]
    rest = lines[header.end + 1:]
    if not any(line.text.strip() for line in rest):
        return None
    body = []
    for j in starts[pos + 1:]:
        if lines[j].indent <= header.indent:
            break
        body.append(j)
    return body
