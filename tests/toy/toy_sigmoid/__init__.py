"""A second, small assignment, used only by the tests: it proves an assignment is a package the
engine loads, with no line of the engine changed to add it.

"Assignment T — 시그모이드": three questions of our own making, a function (`sigmoid`), a layer
class with forward and backward (`Sigmoid`), and a written question.
"""

from __future__ import annotations

from pathlib import Path

from grader.assignment import Assignment, Library, Names

HERE = Path(__file__).resolve().parent
_REFERENCE = HERE / "reference"

ASSIGNMENT = Assignment(
    name="toy",
    title="Assignment T — 시그모이드",
    package=__name__,
    root=HERE,
    rubric=HERE / "rubric.toml",
    book=Library(HERE / "book", ("util",), "book"),
    book_names={"numerical_diff": ("util", "numerical_diff")},
    reference=Library(_REFERENCE if (_REFERENCE / "__init__.py").is_file() else None, ("functions",), "reference"),
    reference_package=f"{__name__}.reference",
    answer_names={"sigmoid": ("functions", "sigmoid")},
    layer_names=(),
    answer_files={"functions.py": (), "layers.py": ("Sigmoid",)},
    names=Names(graded=("sigmoid", "Sigmoid"), classes=("Sigmoid",), functions=("sigmoid",),
                aliases={"Sigmoid": ("sigmoidlayer", "logistic"), "sigmoid": ("logistic", "sigm")}),
    check_modules=(f"{__name__}.checks",),
    cases=HERE / "cases.json",
    messages=f"{__name__}.messages",
    kit_name="toy-sigmoid-check",
)
