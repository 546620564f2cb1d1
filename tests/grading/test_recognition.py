"""Names as students spell them, definitions chosen by evidence, arguments passed by the student's names."""

from __future__ import annotations

import pytest

from assignments.a5_cnn.checks.network import adapt_arguments, align, kind_by_name, param_keys
from grader.discover.definitions import choose, is_stub
from grader.discover.python import Source
from grader.names import closest, distance, near


@pytest.mark.parametrize("a, b, d", [("pooling", "pooling", 0), ("poolong", "pooling", 1), ("pooilng", "pooling", 1),
                                     ("convolutoin", "convolution", 1), ("relu", "pool", 3)])
def test_distance_counts_edits_and_swaps(a: str, b: str, d: int) -> None:
    assert distance(a, b) == d


def test_near_misses_need_names_long_enough_that_one_edit_is_not_another_word() -> None:
    assert near("Poolong", "Pooling") and near("ReLU", "Relu") and near("conv_params", "conv_param")
    assert not near("Relu", "Relu6") and not near("col2im", "im2col") and not near("Affine", "Affix1")


def test_closest_prefers_the_same_name_in_another_case() -> None:
    assert closest("conv_param", ["conv_params", "convParam"]) == "convParam"
    assert closest("hidden_size", ["input_dim", "output_size"]) is None


def _source(text: str, file: str = "hw.py") -> Source:
    return Source.parse(file.removesuffix(".py").replace("/", "."), file, text)


def test_a_stub_is_a_definition_whose_forward_does_nothing() -> None:
    src = _source("class A:\n    def forward(self, x):\n        '''todo'''\n        pass\n"
                  "class B:\n    def forward(self, x):\n        raise NotImplementedError()\n"
                  "class C:\n    def forward(self, x):\n        return x * 2\n"
                  "class D:\n    def __init__(self):\n        self.x = 1\n")
    assert [is_stub("Pooling", src.definitions[n]) for n in "ABCD"] == [True, True, False, True]


def test_a_stub_never_beats_working_code_whatever_the_file_order() -> None:
    real = _source("class Pooling:\n    def forward(self, x):\n        return x.max()\n", "a.py")
    stub = _source("class Pooling:\n    def forward(self, x):\n        pass\n", "z.py")
    assert choose("Pooling", [real, stub]).chosen.source is real
    assert choose("Pooling", [stub, real]).chosen.source is real


def test_the_students_own_misnamed_class_beats_the_books_copy() -> None:
    book = _source("class Convolution:\n    def forward(self, x):\n        return x\n", "common/layers.py")
    own = _source("class convolution:\n    def forward(self, x):\n        return -x\n", "hw.py")
    choice = choose("Convolution", [book, own])
    assert choice.chosen.source is own and choice.chosen.name == "convolution" and not choice.probe


def test_a_graded_name_of_another_kind_is_not_a_candidate() -> None:
    src = _source("def softmax(x):\n    return x\nclass Softmax:\n    pass\n")
    assert choose("SoftmaxWithLoss", [src]) is None  # `softmax` is softmax, not the loss layer
    assert choose("im2col", [_source("class im2col:\n    pass\n")]) is None  # a class is not the function


def test_tied_layer_candidates_are_left_to_be_graded() -> None:
    a = _source("class Convolution:\n    def forward(self, x):\n        return x\n", "a.py")
    b = _source("class Convolution:\n    def forward(self, x):\n        return -x\n", "b.py")
    choice = choose("Convolution", [a, b])
    assert {d.source.file for d in choice.probe} == {"a.py", "b.py"}


def test_constructor_arguments_go_by_near_name_then_by_position() -> None:
    sig = [("input_dim", "POSITIONAL_OR_KEYWORD", True), ("conv_params", "POSITIONAL_OR_KEYWORD", True),
           ("hidden", "POSITIONAL_OR_KEYWORD", True), ("output_size", "POSITIONAL_OR_KEYWORD", True),
           ("weight_init_std", "POSITIONAL_OR_KEYWORD", True)]
    mapping = adapt_arguments(sig)
    assert mapping["conv_param"] == "conv_params" and mapping["hidden_size"] == "hidden"
    assert mapping["input_dim"] == "input_dim"
    assert adapt_arguments([("kwargs", "VAR_KEYWORD", False)])["conv_param"] == "conv_param"


def test_layer_kinds_are_read_from_many_class_names() -> None:
    assert [kind_by_name(n) for n in ("ReLU", "MaxPooling", "Dense", "Conv2D", "SoftmaxLoss", "Dropout")] == \
        ["Relu", "Pooling", "Affine", "Convolution", "SoftmaxWithLoss", None]


def test_alignment_keeps_the_layers_that_are_there() -> None:
    kinds = ["Convolution", "Relu", "Pooling", "Affine", "Affine"]  # the second ReLU is missing
    assert align(kinds) == [0, 1, 2, 3, None, 4]
    assert align(["Relu", "Convolution"]) == [1, None, None, None, None, None]  # out of order: one kept


def test_parameter_keys_are_found_in_any_capitalisation() -> None:
    assert param_keys(["w1", "b1", "W2", "b2", "W3", "B3"]) == {"W1": "w1", "b1": "b1", "W2": "W2", "b2": "b2",
                                                                 "W3": "W3", "b3": "B3"}
