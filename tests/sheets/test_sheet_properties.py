"""Properties: nothing here raises on any input, and stitched code that says ok parses."""

from __future__ import annotations

import ast

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from grader.sheets import CodeBlock, decode_text, match_concepts, numeric, parse_sheet, question_code, read_notebook
from grader.sheets.stitch import stitch

IDS = ["7.2.4", "7.4.3.2", "7.4.4.1", "7.5.1.2", "7.5.1.3", "7.5.1.4", "7.5.1.5", "7.5.1.6"]
SETTINGS = settings(max_examples=150, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow])

SHEET_PIECES = st.sampled_from([
    "7.2.4 ", "## 7.4.3.2", "7.5.1.2 ~ 7.5.1.6", "7.5 CNN", "Chapter 8", "```", "```python", "~~~", "    ",
    "\n", "\n\n", "class A:", "def f(self):", "return out", "#구현", "OH = 6", "패딩", "(6, 7)", "\t", "**",
    "Q7.4.4.1)", "x = (", "'''", "\x00", "\r\n", "７.２.４", "7.2.4.1", "-", "~",
])
CODE_LINES = st.sampled_from([
    "class Convolution:", "def __init__(self, W):", "def forward(self, x):", "self.W = W", "out = x * 2",
    "return out", "if x > 0:", "else:", "for i in range(3):", "pass", "#구현", "# 주석", "", "x = (1,",
    "y = [1, 2", "]", "'''", "s = 'a", "@staticmethod", "self.params['W1'] = # 가중치", "\\",
])


@SETTINGS
@given(st.text(max_size=400))
def test_parse_sheet_never_raises_on_any_text(text):
    sheet = parse_sheet(text, IDS)
    assert set(sheet.answers) <= set(IDS)
    assert all(isinstance(n, str) for n in sheet.notes)


@SETTINGS
@given(st.lists(SHEET_PIECES, max_size=40).map("".join))
def test_parse_sheet_never_raises_on_sheet_like_text(text):
    sheet = parse_sheet(text, IDS)
    for qid in sheet.answers:
        code = question_code(sheet, qid)
        if code.ok:
            ast.parse(code.source)


@SETTINGS
@given(st.lists(st.lists(st.tuples(st.integers(0, 3), CODE_LINES), max_size=8), min_size=1, max_size=4))
def test_stitched_code_that_is_ok_always_parses(blocks):
    sources = ["\n".join("    " * depth + line for depth, line in block) for block in blocks]
    code = stitch([CodeBlock(source, 1 + 20 * k) for k, source in enumerate(sources)])
    if code.source:
        ast.parse(code.source)  # a partial result parses too
    assert len(code.lines) == len(code.source.splitlines())


@SETTINGS
@given(st.binary(max_size=300))
def test_decode_text_never_raises(data):
    text, encoding = decode_text(data)
    assert isinstance(text, str)
    assert encoding in (None, "utf-16", "cp949", "euc-kr", "latin-1")


@SETTINGS
@given(st.text(max_size=200))
def test_numeric_checks_never_raise_and_stay_in_range(text):
    outcomes = [numeric.values(text, [19, 24, 26, 17]), numeric.working(text, [19, 24]),
                numeric.named(text, "OH", 6, 0), numeric.relation(text),
                numeric.shape_meaning(text, 105, 2, 50, 50)]
    for outcome in outcomes:
        assert 0.0 <= outcome.fraction <= 1.0
        assert outcome.message


@SETTINGS
@given(st.text(max_size=200))
def test_concept_matching_is_all_or_nothing(text):
    assert match_concepts(text, ["채널\\s*수"], ["channels?"]).fraction in (0.0, 1.0)


@SETTINGS
@given(st.one_of(st.binary(max_size=200), st.text(max_size=200)))
def test_read_notebook_never_raises(data):
    notebook = read_notebook(data, IDS)
    assert isinstance(notebook.code, str)
