"""Python's SyntaxError messages in plain words (Korean, or English in an English run), for the notes
a student and a TA read.

The table below is data, like the keywords of the sheet readers: each of Python's messages with its
Korean and English wording. Only the fallback sentence comes from the catalogue (`grader/i18n.py`).
"""

from __future__ import annotations

import re

from ..i18n import current_lang, t

# (Python's message, Korean, English)
_MESSAGES = [
    (r"expected an indented block", "들여쓴 본문이 있어야 할 자리에 본문이 없습니다",
     "a body is missing where an indented block should be"),
    (r"unexpected indent", "들여쓰기가 예상보다 깊습니다", "the indentation is deeper than expected"),
    (r"unindent does not match", "내어쓰기가 바깥 들여쓰기 수준과 맞지 않습니다",
     "the dedent does not match any outer indentation level"),
    (r"inconsistent use of tabs", "탭과 공백을 섞어 들여썼습니다", "tabs and spaces are mixed in the indentation"),
    (r"was never closed", "괄호가 닫히지 않았습니다", "a bracket is never closed"),
    (r"unmatched", "짝이 없는 닫는 괄호가 있습니다", "there is a closing bracket without an opening one"),
    (r"does not match opening parenthesis", "여는 괄호와 닫는 괄호의 종류가 다릅니다",
     "the closing bracket is not of the kind of the opening one"),
    (r"unterminated triple-quoted string", "세 따옴표 문자열이 닫히지 않았습니다", "a triple-quoted string is not closed"),
    (r"unterminated string", "문자열의 따옴표가 닫히지 않았습니다", "a string's quote is not closed"),
    (r"invalid character", "파이썬 코드에 쓸 수 없는 문자가 있습니다 (전각 문자나 둥근 따옴표 등)",
     "there is a character Python code cannot hold (a full-width character or a curly quote, for instance)"),
    (r"invalid non-printable character", "보이지 않는 특수 문자가 있습니다", "there is an invisible special character"),
    (r"expected ':'", "':'가 빠졌습니다", "a ':' is missing"),
    (r"forgot a comma", "쉼표가 빠진 것 같습니다", "a comma seems to be missing"),
    (r"cannot assign to", "대입할 수 없는 대상에 대입했습니다", "something that cannot be assigned to is assigned to"),
    (r"leading zeros", "0으로 시작하는 정수는 쓸 수 없습니다", "an integer cannot start with 0"),
    (r"invalid decimal literal", "숫자 뒤에 글자가 붙어 있습니다", "letters are stuck to a number"),
    (r"'return' outside function", "함수 밖에 return이 있습니다", "there is a return outside a function"),
    (r"EOF|unexpected end", "코드가 중간에 끝났습니다", "the code ends in the middle"),
    (r"invalid syntax", "문법 오류입니다 (식이 덜 쓰였거나 기호가 빠졌습니다)",
     "a syntax error (an unfinished expression or a missing symbol)"),
]


def describe(err: SyntaxError) -> str:
    """`err` in words of the current language, with Python's own message after it for the TA."""
    msg = err.msg or ""
    english = current_lang() == "en"
    for pattern, korean, words in _MESSAGES:
        if re.search(pattern, msg):
            return f"{words if english else korean} ({type(err).__name__}: {msg})"
    return t("sheet.syntax_other", type=type(err).__name__, message=msg)
