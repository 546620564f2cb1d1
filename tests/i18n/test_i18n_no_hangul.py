"""No Korean sentence is written in the grader's code: messages come from the catalogue (grader/i18n.py).

Allowed: docstrings and comments, and the data listed in `i18n_support.DATA` (Korean keywords the sheet
readers look for in answers, the table of SyntaxError wordings).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from i18n_support import DATA, GRADER, MESSAGE_MODULES, ROOT, hangul_literals


@pytest.mark.parametrize("path", MESSAGE_MODULES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_no_hangul_in_the_string_literals_of_a_message_module(path: Path) -> None:
    found = hangul_literals(path)
    assert not found, "\n".join(f"{path.name}:{line} ({owner}): {text!r}" for line, owner, text in found)


def test_the_listed_modules_exist_and_are_many() -> None:
    assert len(MESSAGE_MODULES) >= 40 and all(p.exists() for p in MESSAGE_MODULES)


def test_every_allowed_data_name_still_exists() -> None:
    for rel, name in DATA:
        tree = ast.parse((GRADER / rel).read_text("utf-8"))
        names = {n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.ClassDef))}
        names |= {t.id for n in tree.body if isinstance(n, ast.Assign) for t in n.targets if isinstance(t, ast.Name)}
        assert name in names, (rel, name)


def test_the_scanner_finds_korean_in_messages_but_not_in_docstrings(tmp_path: Path) -> None:
    module = tmp_path / "planted.py"
    module.write_text('"""문서."""\n\n\ndef f(x):\n    """설명."""\n    # 주석\n'
                      '    return f"{x}: 답을 찾지 못했습니다." if x else "없음"\n', "utf-8")
    found = hangul_literals(module)
    assert [(line, owner) for line, owner, _ in found] == [(7, "f"), (7, "f")]
