"""SimpleConvNet from a sheet: one question's part from the student, the reference for the rest."""

from __future__ import annotations

import ast

import numpy as np
import pytest

from assignments.a5_cnn.assemble import (convnet_source, reference_slots, sheet_convnet_sources, sheet_convnet_whole,
                                         student_slot)
from grader.sheets import parse_sheet
from assignments.a5_cnn.reference.gradient import numerical_gradient
from assignments.a5_cnn.reference.layers import Affine, Convolution, Pooling, Relu, SoftmaxWithLoss
from assignments.a5_cnn.reference.simple_convnet import SimpleConvNet as ReferenceNet

SMALL = dict(input_dim=(1, 8, 8), conv_param={"filter_num": 3, "filter_size": 3, "pad": 0, "stride": 1},
             hidden_size=5, output_size=4)
RNG = np.random.default_rng(5)
X = RNG.standard_normal((2, 1, 8, 8))
T = np.array([1, 3])


def _net(source: str):
    """Build the assembled class with the reference layers, seeded like the reference network."""
    ns = {"Convolution": Convolution, "Relu": Relu, "Pooling": Pooling, "Affine": Affine,
          "SoftmaxWithLoss": SoftmaxWithLoss, "numerical_gradient": numerical_gradient}
    exec(compile(source, "<assembled>", "exec"), ns)
    np.random.seed(0)
    return ns["SimpleConvNet"](**SMALL)


def _reference_gradient():
    np.random.seed(0)
    return ReferenceNet(**SMALL).gradient(X, T)


def _same_gradients(a: dict, b: dict) -> bool:
    return set(a) == set(b) and all(np.allclose(a[k], b[k]) for k in a)


def test_reference_slots_alone_behave_as_the_reference_network():
    source = convnet_source({})
    assert _same_gradients(_net(source).gradient(X, T), _reference_gradient())
    assert _net(source).accuracy(X, T) in (0.0, 0.5, 1.0)


def test_every_slot_text_is_at_column_zero_and_parses():
    slots = reference_slots().slots
    assert set(slots) == {"7.5.1.2", "7.5.1.3", "7.5.1.4", "7.5.1.5", "7.5.1.6"}
    for qid, text in slots.items():
        ast.parse(text)
        assert not text[0].isspace(), qid


def test_the_reference_slots_are_cut_from_the_reference_itself():
    import inspect

    from assignments.a5_cnn.reference import simple_convnet

    source = inspect.getsource(simple_convnet.SimpleConvNet)
    flat = lambda text: " ".join(text.split())  # noqa: E731
    for qid, text in reference_slots().slots.items():
        assert flat(text) in flat(source) or all(flat(part) in flat(source) for part in text.split("\n\n")), qid


def test_seed_student_slots_drop_the_repeated_class_header(seed):
    sizes = student_slot(seed, "7.5.1.2")
    assert sizes.ok
    assert sizes.source.startswith("filter_num = conv_param['filter_num']")
    assert "class SimpleConvNet" not in sizes.source and "def __init__" not in sizes.source
    assert sizes.lines[0] == 321


def test_seed_assemblies_parse_and_keep_the_seed_bugs(seed):
    sources = sheet_convnet_sources(seed)
    assert set(sources) == {"7.5.1.2", "7.5.1.3", "7.5.1.4", "7.5.1.5", "7.5.1.6"}
    for qid, fragment in sources.items():
        assert fragment.ok, (qid, fragment.notes)
        ast.parse(fragment.source)
    assert "np.random.randn(filter_num, input_dim[0], filter_size, filter_size) # 두 번째" in sources["7.5.1.3"].source
    assert "conv_params['stride']" in sources["7.5.1.4"].source
    assert "self.params['w3']" in sources["7.5.1.4"].source
    assert "grads['w1'] = self.layers['Conv1'].dw" in sources["7.5.1.6"].source


def test_one_bug_costs_once_in_the_seed(seed):
    sources = sheet_convnet_sources(seed)
    reference = _reference_gradient()
    # right parts: the whole network with them behaves as the reference
    assert _same_gradients(_net(sources["7.5.1.2"].source).gradient(X, T), reference)
    assert _same_gradients(_net(sources["7.5.1.5"].source).gradient(X, T), reference)
    # wrong parts fail in their own question only
    assert _net(sources["7.5.1.3"].source).params["W2"].shape == (3, 1, 3, 3)
    with pytest.raises(NameError, match="conv_params"):
        _net(sources["7.5.1.4"].source)
    with pytest.raises(AttributeError, match="dw"):
        _net(sources["7.5.1.6"].source).gradient(X, T)
    # only the student's own part comes from the sheet
    assert "conv_params" not in sources["7.5.1.5"].source


def test_assembled_lines_point_at_the_sheet_for_the_student_part_only(seed):
    fragment = sheet_convnet_sources(seed)["7.5.1.4"]
    lines = fragment.source.split("\n")
    k = lines.index(next(line for line in lines if "self.layers = OrderedDict()" in line))
    assert fragment.lines[k] == 383
    assert fragment.lines[lines.index("class SimpleConvNet:")] == 0


def test_seed_whole_network_has_every_student_part(seed):
    whole = sheet_convnet_whole(seed)
    assert whole.ok
    for marker in ("filter_pad = conv_param['pad']", "conv_params['stride']", "def predict(self, x): #",
                   ".dw #", "self.params['W3'] = weight_init_std * \\"):
        assert marker in whole.source
    with pytest.raises(NameError):
        _net(whole.source)


def test_range_answer_is_split_by_content(markdown):
    sources = sheet_convnet_sources(markdown)
    assert all(f.ok for f in sources.values())
    assert "# forgot layers.reverse()" in sources["7.5.1.6"].source
    for qid in ("7.5.1.2", "7.5.1.3", "7.5.1.4", "7.5.1.5"):
        assert "# forgot layers.reverse()" not in sources[qid].source
        assert _same_gradients(_net(sources[qid].source).gradient(X, T), _reference_gradient()), qid
    assert not _same_gradients(_safe_gradient(sources["7.5.1.6"].source), _reference_gradient())


def _safe_gradient(source: str) -> dict:
    try:
        return _net(source).gradient(X, T)
    except (ValueError, AttributeError):
        return {}


def test_whole_class_pasted_under_one_question_serves_the_others(question_ids):
    sheet = parse_sheet("7.5.1.2 코드를 완성하시오.\n\n```python\nclass SimpleConvNet:\n"
                        "    def __init__(self, input_dim=(1, 28, 28), conv_param=None, hidden_size=100,\n"
                        "                 output_size=10, weight_init_std=0.01):\n"
                        "        filter_num = conv_param['filter_num']\n"
                        "        self.params = {}\n        self.params['b1'] = np.zeros(filter_num)\n```\n",
                        question_ids)
    params = student_slot(sheet, "7.5.1.3")
    assert params.source == "self.params = {}\nself.params['b1'] = np.zeros(filter_num)\n"
    assert any("7.5.1.2의 답에서" in n for n in params.notes)
    assert student_slot(sheet, "7.5.1.6").missing


def test_question_without_code_is_missing_and_not_assembled(question_ids):
    sheet = parse_sheet("7.5.1.5\n\n```\ndef predict(self, x):\n    return x\n```\n", question_ids)
    sources = sheet_convnet_sources(sheet)
    assert sources["7.5.1.6"].missing and not sources["7.5.1.6"].ok
    assert sources["7.5.1.5"].ok
    assert "    def predict(self, x):\n        return x" in sources["7.5.1.5"].source


def test_changed_signature_is_noted(question_ids):
    sheet = parse_sheet("7.5.1.2\n\n```\nclass SimpleConvNet:\n    def __init__(self, input_dim, conv_params):\n"
                        "        filter_num = conv_params['filter_num']\n```\n", question_ids)
    fragment = sheet_convnet_sources(sheet)["7.5.1.2"]
    assert any("conv_params" in n and "서명" in n for n in fragment.notes)


def test_without_the_reference_assembly_is_a_clear_lookup_error(seed, monkeypatch):
    reference_slots.cache_clear()
    from assignments.a5_cnn import assemble

    monkeypatch.setattr(assemble, "REFERENCE_NETWORK", assemble.REFERENCE_NETWORK.parent / "absent" / "simple_convnet.py")
    try:
        assert student_slot(seed, "7.5.1.3").ok  # the student kit can still read the parts
        with pytest.raises(LookupError, match="reference/simple_convnet.py"):
            sheet_convnet_sources(seed)
        with pytest.raises(LookupError):
            convnet_source({})
    finally:
        monkeypatch.undo()
        reference_slots.cache_clear()


def test_slot_texts_are_placed_at_their_indentation_whatever_it_was():
    slots = reference_slots().slots
    indented = "        " + slots["7.5.1.3"].replace("\n", "\n        ").rstrip()
    source = convnet_source({"7.5.1.3": indented, "7.5.1.5": slots["7.5.1.5"]})
    assert _same_gradients(_net(source).gradient(X, T), _reference_gradient())


def test_unknown_slot_is_refused():
    with pytest.raises(ValueError, match="7.5.1.9"):
        convnet_source({"7.5.1.9": "x = 1"})
