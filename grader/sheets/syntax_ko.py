"""Python's SyntaxError messages in Korean words, for the notes a student and a TA read."""

from __future__ import annotations

import re

_MESSAGES = [
    (r"expected an indented block", "들여쓴 본문이 있어야 할 자리에 본문이 없습니다"),
    (r"unexpected indent", "들여쓰기가 예상보다 깊습니다"),
    (r"unindent does not match", "내어쓰기가 바깥 들여쓰기 수준과 맞지 않습니다"),
    (r"inconsistent use of tabs", "탭과 공백을 섞어 들여썼습니다"),
    (r"was never closed", "괄호가 닫히지 않았습니다"),
    (r"unmatched", "짝이 없는 닫는 괄호가 있습니다"),
    (r"does not match opening parenthesis", "여는 괄호와 닫는 괄호의 종류가 다릅니다"),
    (r"unterminated triple-quoted string", "세 따옴표 문자열이 닫히지 않았습니다"),
    (r"unterminated string", "문자열의 따옴표가 닫히지 않았습니다"),
    (r"invalid character", "파이썬 코드에 쓸 수 없는 문자가 있습니다 (전각 문자나 둥근 따옴표 등)"),
    (r"invalid non-printable character", "보이지 않는 특수 문자가 있습니다"),
    (r"expected ':'", "':'가 빠졌습니다"),
    (r"forgot a comma", "쉼표가 빠진 것 같습니다"),
    (r"cannot assign to", "대입할 수 없는 대상에 대입했습니다"),
    (r"leading zeros", "0으로 시작하는 정수는 쓸 수 없습니다"),
    (r"invalid decimal literal", "숫자 뒤에 글자가 붙어 있습니다"),
    (r"'return' outside function", "함수 밖에 return이 있습니다"),
    (r"EOF|unexpected end", "코드가 중간에 끝났습니다"),
    (r"invalid syntax", "문법 오류입니다 (식이 덜 쓰였거나 기호가 빠졌습니다)"),
]


def describe(err: SyntaxError) -> str:
    """`err` in Korean words, with Python's own message after it for the TA."""
    msg = err.msg or ""
    for pattern, korean in _MESSAGES:
        if re.search(pattern, msg):
            return f"{korean} ({type(err).__name__}: {msg})"
    return f"문법 오류입니다 ({type(err).__name__}: {msg})"
