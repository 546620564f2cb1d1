"""Numbers as students write them: full-width digits, `4,320`, LaTeX, `3×1`, results and operands.

`normalize` makes one plain-ASCII arithmetic notation of a text; `numbers` lists its numbers with
whether each is an operand of an expression (`3` in `3*1+…`) or a stated result (`= 19`, a grid
cell, a list item); `safe_eval` evaluates `+ - * / //` arithmetic from the AST, never with eval.
"""

from __future__ import annotations

import ast
import math
import re
from dataclasses import dataclass

_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_SYMBOLS = {"\u3000": " ", "\u00d7": "*", "\u00b7": "*", "\u2219": "*", "\u22c5": "*", "\u2212": "-",
            "\u2013": "-", "\u00f7": "/", "\u2236": ":"}
_TOKEN = re.compile(r"(?<![A-Za-z_\d.])\d+(?:\.\d+)*")
_THOUSANDS = re.compile(r"(?<![\d,.])\d{1,3}(?:,\d{3})+(?![\d,]|\.\d)")
_NUMBERING = re.compile(r"^\s*(?:\d{1,2}[.)]|[-*•▶➤]|\(\d{1,2}\))\s+(?=\S)")
_OPS = set("*+-/^")


@dataclass(frozen=True)
class Number:
    value: float
    start: int  # offset in the normalized line
    end: int
    operand: bool  # next to an arithmetic operator: part of an expression, not a result
    after_equals: bool  # stated as `= value`
    line: int  # index of the line in the normalized text


def normalize(text: str) -> str:
    """Full-width and math symbols to ASCII, LaTeX arithmetic to plain, `4,320` to `4320`."""
    text = text.translate(_FULL_WIDTH)
    for bad, good in _SYMBOLS.items():
        text = text.replace(bad, good)
    for _ in range(3):
        text = re.sub(r"\\[dt]?frac\s*\{([^{}]*)\}\s*\{([^{}]*)\}", r"(\1)/(\2)", text)
    text = re.sub(r"\\(times|cdot|ast)\b", "*", text)
    text = re.sub(r"\\(left|right|big|Big)\b", "", text)
    text = re.sub(r"\\[,;!: ]|\$", " ", text)
    text = re.sub(r"(?<=\d)\s*[xX]\s*(?=\d)", "*", text)
    return _THOUSANDS.sub(lambda m: m.group(0).replace(",", ""), text)


def strip_numbering(line: str) -> str:
    """`1. 3*1+…` → `   3*1+…`: a list marker blanked, offsets kept."""
    m = _NUMBERING.match(line)
    return " " * m.end() + line[m.end():] if m else line


def numbers(text: str) -> list[Number]:
    """Every number of the (normalized) `text`, section numbers like 7.2.4 excepted."""
    found: list[Number] = []
    for k, raw in enumerate(text.split("\n")):
        line = strip_numbering(raw)
        for m in _TOKEN.finditer(line):
            token = m.group(0)
            if token.count(".") > 1:
                continue  # 7.2.4: a question number
            before = line[: m.start()].rstrip()
            after = line[m.end():].lstrip()
            prev, nxt = before[-1:], after[:1]
            signed = prev == "-" and before[:-1].rstrip()[-1:] in ("", "=", "(", ",", "[", ":")
            value = -float(token) if signed else float(token)
            operand = (prev in _OPS and not signed) or nxt in _OPS
            after_equals = (before[:-1].rstrip() if signed else before).endswith("=")
            found.append(Number(value, m.start(), m.end(), operand, after_equals, k))
    return found


def safe_eval(expr: str) -> float | None:
    """The value of an arithmetic expression of numbers, + - * / // and parentheses, or None."""
    expr = expr.strip()
    if not expr or len(expr) > 300:
        return None
    try:
        tree = ast.parse(expr, mode="eval")
    except (SyntaxError, ValueError, RecursionError):
        return None
    try:
        value = _eval(tree.body)
    except (ZeroDivisionError, OverflowError, ValueError, RecursionError):
        return None
    return value if value is not None and math.isfinite(value) else None


def _eval(node: ast.expr) -> float | None:
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        return float(node.value)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        inner = _eval(node.operand)
        return None if inner is None else (-inner if isinstance(node.op, ast.USub) else inner)
    if isinstance(node, ast.BinOp):
        left, right = _eval(node.left), _eval(node.right)
        if left is None or right is None:
            return None
        if isinstance(node.op, ast.Add):
            return left + right
        if isinstance(node.op, ast.Sub):
            return left - right
        if isinstance(node.op, ast.Mult):
            return left * right
        if isinstance(node.op, ast.Div):
            return left / right
        if isinstance(node.op, ast.FloorDiv):
            return float(left // right)
    return None


def same(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-6)


def show(value: float) -> str:
    """`19` for 19.0, `2.5` for 2.5: a number as the student would write it."""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"
