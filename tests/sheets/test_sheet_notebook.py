"""Notebooks: code cells without IPython syntax, markdown answers read as a sheet."""

from __future__ import annotations

import ast
import json

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from grader.sheets import numeric, question_code, read_notebook

IDS = ["7.2.4", "7.3.1.1", "7.4.3.2", "7.4.4.1"]

POOLING = """\
class Pooling:
    def __init__(self, pool_h, pool_w, stride=1, pad=0):
        self.pool_h, self.pool_w, self.stride, self.pad = pool_h, pool_w, stride, pad

    def forward(self, x):
        N, C, H, W = x.shape
        out_h = (H - self.pool_h) // self.stride + 1
        out_w = (W - self.pool_w) // self.stride + 1
        col = im2col(x, self.pool_h, self.pool_w, self.stride, self.pad).reshape(-1, self.pool_h * self.pool_w)
        return np.max(col, axis=1).reshape(N, out_h, out_w, C).transpose(0, 3, 1, 2)
"""


def _notebook() -> bytes:
    nb = new_notebook(cells=[
        new_markdown_cell("# Assignment 5 (Colab)\n\n## 7.2.4\n패딩을 키우면 출력이 커지고, 스트라이드를 키우면 "
                          "출력이 작아진다.\n\n(OH, OW) = (6, 7)"),
        new_code_cell("%matplotlib inline\n!pip install -q numpy\nimport numpy as np\n"
                      "if not hasattr(np, 'pad'):\n    !pip install numpy\nfiles = !ls\nnp.dot?\n"
                      "get_ipython().run_line_magic('load_ext', 'autoreload')\nipy = get_ipython()"),
        new_markdown_cell("### 7.3.1.1\n학습할 매개변수가 없고, 채널 수가 변하지 않으며, 입력 변화에 강건하다."),
        new_code_cell("%%bash\nls -la"),
        new_code_cell("def broken(:\n    pass"),
        new_code_cell("# 7.4.4.1 풀링 계층\n" + POOLING,
                      outputs=[new_output("stream", name="stdout", text="(2, 3, 2, 2)\n")]),
        new_code_cell("%%time\nx = np.ones((1, 1, 4, 4))"),
        new_code_cell("display(x)\nimport matplotlib.pyplot as plt\nplt.show()"),
    ])
    return nbformat.writes(nb).encode("utf-8")


@pytest.fixture(scope="module")
def notebook():
    return read_notebook(_notebook(), IDS)


def test_notebook_code_is_python_without_ipython_lines(notebook):
    tree = ast.parse(notebook.code)
    assert "%" not in notebook.code.replace("% ", "") and "!pip" not in notebook.code
    assert "get_ipython" not in notebook.code
    assert "if not hasattr(np, 'pad'):\n    pass" in notebook.code
    assert "class Pooling" in notebook.code
    assert "x = np.ones((1, 1, 4, 4))" in notebook.code  # %%time keeps its cell
    assert "display(x)" in notebook.code
    assert any(isinstance(n, ast.ClassDef) and n.name == "Pooling" for n in tree.body)


def test_cell_magics_and_broken_cells_are_left_out_with_notes(notebook):
    assert "ls -la" not in notebook.code
    assert "def broken" not in notebook.code
    assert any("%%bash" in n for n in notebook.notes)
    assert any(n.startswith("셀 5") and "빼고 채점" in n for n in notebook.notes)
    assert notebook.cells == 4


def test_notebook_markdown_answers_are_read_as_a_sheet(notebook):
    sheet = notebook.sheet
    assert sheet.format == "notebook"
    assert set(sheet.answers) == {"7.2.4", "7.3.1.1", "7.4.4.1"}
    assert numeric.named(sheet.answers["7.2.4"].text, "OW", 7, 1).passed
    assert numeric.relation(sheet.answers["7.2.4"].text).fraction == 1.0
    assert "채널 수가 변하지 않으며" in sheet.answers["7.3.1.1"].text


def test_code_cell_with_a_question_number_comment_is_that_questions_code(notebook):
    code = question_code(notebook.sheet, "7.4.4.1")
    assert code.ok
    assert "def forward(self, x):" in code.source
    assert "(2, 3, 2, 2)" in notebook.sheet.answers["7.4.4.1"].text  # the printed output, as text
    assert "(2, 3, 2, 2)" not in code.source


def test_notebook_given_as_text_is_read_too():
    assert "class Pooling" in read_notebook(_notebook().decode("utf-8"), IDS).code


def test_not_a_notebook_is_a_note_not_an_error():
    broken = read_notebook(b"{ this is not json", IDS)
    assert broken.code == "" and broken.sheet.answers == {}
    assert any("JSON이 아니어서" in n for n in broken.notes)
    odd = read_notebook(json.dumps({"cells": 3}), IDS)
    assert odd.code == "" and odd.notes


def test_a_notebook_that_fails_validation_is_still_read():
    raw = {"nbformat": 4, "nbformat_minor": 5, "metadata": {},
           "cells": [{"cell_type": "code", "source": ["x = 1\n", "!ls"], "metadata": {}},
                     {"cell_type": "markdown", "source": "## 7.2.4\nOH = 6"}]}
    nb = read_notebook(json.dumps(raw), IDS)
    assert "x = 1" in nb.code
    assert "7.2.4" in nb.sheet.answers


def test_old_nbformat_3_worksheets_are_read():
    raw = {"nbformat": 3, "nbformat_minor": 0, "metadata": {}, "worksheets": [
        {"cells": [{"cell_type": "code", "input": "y = 2", "language": "python", "outputs": [], "metadata": {}}],
         "metadata": {}}]}
    assert "y = 2" in read_notebook(json.dumps(raw), IDS).code
