"""Code of one question: templates dropped, fragments stitched, bugs kept, failures located."""

from __future__ import annotations

import ast

from grader.sheets import CodeBlock, parse_sheet, question_code
from grader.sheets.stitch import stitch
from grader.sheets.template import is_template

IDS = ["7.4.3.2", "7.4.4.1", "7.5.1.5"]


def _sheet(body: str, qid: str = "7.4.3.2"):
    return parse_sheet(f"{qid} 구현하시오.\n\n{body}", IDS)


def test_seed_convolution_is_stitched_with_its_bug_kept(seed):
    code = question_code(seed, "7.4.3.2")
    assert code.ok
    tree = ast.parse(code.source)
    (cls,) = [n for n in tree.body if isinstance(n, ast.ClassDef)]
    assert cls.name == "Convolution"
    assert [m.name for m in cls.body if isinstance(m, ast.FunctionDef)] == ["__init__", "forward"]
    assert "out_h = (H + 2*self.pad - FH) #" in code.source  # no `// self.stride + 1`: not fixed
    assert "        return out # 최종 출력 반환" in code.source
    assert "#구현" not in code.source  # the template blocks were dropped


def test_seed_convolution_notes_say_what_was_dropped_and_where_the_body_was_joined(seed):
    notes = question_code(seed, "7.4.3.2").notes
    assert any("템플릿" in n and "139, 145, 150" in n for n in notes)
    assert any("줄 168" in n and "def forward(self, x):" in n for n in notes)


def test_stitched_lines_map_back_to_the_sheet(seed):
    code = question_code(seed, "7.4.3.2")
    lines = code.source.split("\n")
    k = next(i for i, line in enumerate(lines) if "out_h = (H" in line)
    assert code.lines[k] == 170
    assert code.sheet_line(1) == 154


def test_seed_pooling_parses(seed):
    code = question_code(seed, "7.4.4.1")
    assert code.ok
    tree = ast.parse(code.source)
    assert [n.name for n in tree.body if isinstance(n, ast.ClassDef)] == ["Pooling"]
    assert "np.max(col, axis=1)" in code.source


def test_seed_convnet_fragments_parse_on_their_own(seed):
    for qid in ("7.5.1.2", "7.5.1.3", "7.5.1.4", "7.5.1.5", "7.5.1.6"):
        code = question_code(seed, qid)
        assert code.ok, (qid, code.notes)
        ast.parse(code.source)
    assert "conv_params['stride']" in question_code(seed, "7.5.1.4").source
    assert "self.layers['Relu2'] = Relu()" in question_code(seed, "7.5.1.4").source  # second block joined


def test_def_alone_then_body_at_column_zero_then_return_alone():
    sheet = _sheet("```\nclass Convolution:\n    def __init__(self, W):\n        self.W = W\n```\n\n"
                   "```\n    def forward(self, x):\n```\n\n```\ny = x * 2\nif y > 0:\n    y = -y\n```\n\n"
                   "```\nreturn y\n```\n")
    code = question_code(sheet, "7.4.3.2")
    assert code.ok, code.notes
    ns: dict = {}
    exec(compile(code.source, "<sheet>", "exec"), ns)
    assert ns["Convolution"](1).forward(3) == -6


def test_method_body_written_at_column_zero_inside_one_block():
    sheet = _sheet("```python\nclass Pooling:\n    def __init__(self, k):\n    self.k = k\n\n"
                   "    def forward(self, x):\n    return x + self.k\n```\n", "7.4.4.1")
    code = question_code(sheet, "7.4.4.1")
    assert code.ok, code.notes
    ns: dict = {}
    exec(code.source, ns)
    assert ns["Pooling"](2).forward(1) == 3


def test_methods_after_the_class_at_column_zero_move_into_the_class():
    sheet = _sheet("```\nclass Pooling:\n    def __init__(self, k):\n        self.k = k\n```\n\n"
                   "```\ndef forward(self, x):\n    return x * self.k\n```\n", "7.4.4.1")
    code = question_code(sheet, "7.4.4.1")
    assert code.ok
    ns: dict = {}
    exec(code.source, ns)
    assert ns["Pooling"](3).forward(2) == 6
    assert any("class Pooling" in n and "옮겼습니다" in n for n in code.notes)


def test_functions_with_self_but_no_class_stay_functions(seed):
    code = question_code(seed, "7.5.1.5")
    tree = ast.parse(code.source)
    assert [type(n).__name__ for n in tree.body] == ["FunctionDef", "FunctionDef"]


def test_code_that_cannot_be_stitched_keeps_the_parts_that_parse_and_says_where():
    sheet = _sheet("```\nclass Convolution:\n    def __init__(self, W):\n        self.W = W\n\n"
                   "    def forward(self, x):\n        out = np.dot(x, (self.W\n        return out\n\n"
                   "    def backward(self, d):\n        return d\n```\n")
    code = question_code(sheet, "7.4.3.2")
    assert not code.ok
    tree = ast.parse(code.source)
    (cls,) = tree.body
    assert [m.name for m in cls.body] == ["__init__", "backward"]
    assert any("괄호가 닫히지 않았습니다" in n and "줄 8" in n for n in code.notes), code.notes


def test_tab_indentation_and_curly_quotes_are_read():
    sheet = _sheet("```\nclass A:\n\tdef f(self):\n\t\treturn ‘x’\n```\n")
    code = question_code(sheet, "7.4.3.2")
    assert code.ok
    assert "return 'x'" in code.source
    assert any("따옴표" in n for n in code.notes)


def test_template_only_answer_has_no_code_and_says_so():
    sheet = _sheet("```\nclass Convolution:\n    def __init__(self, W, b, stride=1, pad=0):\n        #구현\n\n"
                   "    def forward(self, x):\n        # 구현\n        return out\n```\n")
    code = question_code(sheet, "7.4.3.2")
    assert code.missing and not code.ok
    assert any("템플릿만" in n for n in code.notes)


def test_missing_answer_is_a_note_not_an_error(seed):
    sheet = parse_sheet("7.4.4.1 풀링\n답 없음\n", IDS)
    assert question_code(sheet, "7.4.3.2").missing
    assert question_code(sheet, "7.4.4.1").notes == ["7.4.4.1: 코드를 찾지 못했습니다."]


def test_code_without_fences_is_found_in_the_prose():
    sheet = _sheet("다음과 같이 구현했다.\n\nclass Convolution:\n    def __init__(self, W):\n        self.W = W\n\n"
                   "    def forward(self, x):\n        return x @ self.W\n\n위 코드는 행렬 곱을 한다.\n")
    code = question_code(sheet, "7.4.3.2")
    assert code.ok, code.notes
    assert "위 코드는" not in code.source
    assert "return x @ self.W" in code.source
    assert any("코드 블록(```)이 없어" in n for n in code.notes)


def test_a_header_ending_the_code_gets_a_pass_body():
    code = stitch([CodeBlock("def forward(self, x):", 10)])
    assert code.ok
    assert code.source.split("\n")[1].strip() == "pass"
    assert code.lines[:2] == [10, 0]


def test_templates_are_told_from_answers():
    assert is_template("def forward(self, x):\n    #구현\n")
    assert is_template("self.params = {}\nself.params['W1'] = # 가중치\nself.params['b1'] = # 편향\n")
    assert is_template("for layer in layers:\n    # backward\n\ngrads = {}\ngrads['W1'] = # dW\n")
    assert is_template("    return out", after_template=True)
    assert not is_template("    return out", after_template=False)
    assert not is_template("    def forward(self, x):")  # a fragment whose body comes next
    assert not is_template("self.params['W1'] = np.zeros(3)\nself.params['b1'] = # 편향\nx = 1\n")
    assert is_template("")
