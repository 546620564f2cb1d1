"""A class of submissions written the way other people write them, each with the grade it must get.

`base_student.py` is a correct submission in one file; most students here are it with one change
(`edit` asserts that the text it changes is there exactly as often as said, so a student cannot
silently stop being what its name says). `other_spellings.py` is a whole correct submission with
other names for everything the assignment names. Folders hold several files: a stub beside the
real class, a misnamed class beside a copy of the book's library, two drafts of one class.
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent / "fixtures" / "accuracy"
BASE = (HERE / "base_student.py").read_text("utf-8")
FULL_CODE = 53.0
CODE = {"7.4.3.2": 14, "7.4.4.1": 11, "7.5.1.2": 4, "7.5.1.3": 5, "7.5.1.4": 6, "7.5.1.5": 5, "7.5.1.6": 8}


def edit(text: str, *changes: tuple[str, str] | tuple[str, str, int]) -> str:
    for change in changes:
        old, new = change[0], change[1]
        count = change[2] if len(change) > 2 else 1
        found = text.count(old)
        assert found == count, f"{old!r} is in the text {found} times, not {count}"
        text = text.replace(old, new)
    return text


def _without_backward(text: str) -> str:
    """The layers as an answer sheet gives them: forward only (the assignment asks no backward)."""
    out, skipping = [], False
    for line in text.splitlines(keepends=True):
        if line.startswith("    def backward"):
            skipping = True
            continue
        if skipping and (line.startswith("    def ") or line.startswith("class ") or line.startswith("def ")):
            skipping = False
        if skipping:
            continue
        out.append(line)
    return "".join(out)


def _cut_class(text: str, name: str) -> str:
    start = text.index(f"class {name}")
    nxt = text.find("\nclass ", start + 1)
    return text[:start] + (text[nxt + 1:] if nxt != -1 else "")


TRANSPOSE_BUG = ("out = out.reshape(N, out_h, out_w, -1).transpose(0, 3, 1, 2)", "out = out.reshape(N, -1, out_h, out_w)")
ZEROS = ("        self.x, self.col, self.col_W = x, col, col_W\n        return out",
         "        self.x, self.col, self.col_W = x, col, col_W\n        return np.zeros((N, FN, H, W))")

STUB = '''# 연습용 (나중에 지울 것)
import numpy as np


class Convolution:
    def __init__(self, W, b, stride=1, pad=0):
        pass

    def forward(self, x):
        # 구현
        pass


class Pooling:
    def __init__(self, pool_h, pool_w, stride=1, pad=0):
        pass

    def forward(self, x):
        raise NotImplementedError
'''

NET_ONLY = BASE[BASE.index("class SimpleConvNet"):]


def students() -> dict[str, dict[str, str]]:
    """student id → {relative file path: text}."""
    liar = edit(BASE, ("class Convolution:", '''class Liar(np.ndarray):
    """An array that says it equals anything."""

    def __eq__(self, other):
        return np.ones(np.shape(other), dtype=bool)

    def __array_finalize__(self, obj):
        pass


class Convolution:'''), ZEROS)
    liar = edit(liar, ("return np.zeros((N, FN, H, W))", "return np.zeros(3).view(Liar)"))
    return {
        "base_student": {"hw5.py": BASE},
        "other_spellings": {"other_spellings.py": (HERE / "other_spellings.py").read_text("utf-8")},
        "stub_beside_real": {"hw5.py": BASE, "scratch.py": STUB},
        "misnamed_beside_book": {
            "common/layers.py": "import numpy as np\n\n\n" + BASE[BASE.index("def im2col"):BASE.index("class SimpleConvNet")],
            "my_cnn.py": "import numpy as np\nfrom collections import OrderedDict\nfrom common.layers import *\n\n\n"
                         + edit(BASE[BASE.index("class Convolution"):BASE.index("class Pooling")],
                                ("class Convolution:", "class convolution:"), TRANSPOSE_BUG) + "\n" + NET_ONLY,
        },
        "two_drafts": {
            "a_final.py": BASE[:BASE.index("class SimpleConvNet")],
            "b_draft.py": "import numpy as np\nfrom a_final import im2col, col2im\n\n\n"
                          + edit(BASE[BASE.index("class Convolution"):BASE.index("class Pooling")], TRANSPOSE_BUG),
            "net.py": "import numpy as np\nfrom collections import OrderedDict\nfrom a_final import *\n\n\n" + NET_ONLY,
        },
        "zeros_forward": {"hw5.py": edit(BASE, ZEROS, (
            "        self.x = x\n        return out.reshape(N, out_h, out_w, C).transpose(0, 3, 1, 2)",
            "        self.x = x\n        return np.zeros_like(x)"))},
        "hard_coded": {"hw5.py": edit(BASE, (
            "        self.x, self.col, self.col_W = x, col, col_W\n        return out",
            "        self.x, self.col, self.col_W = x, col, col_W\n        return np.ones((2, 3, 4, 4))"), (
            "        self.x = x\n        return out.reshape(N, out_h, out_w, C).transpose(0, 3, 1, 2)",
            "        self.x = x\n        return np.ones((1, 1, 2, 2))"))},
        "lying_array": {"hw5.py": liar},
        "crash_in_forward": {"hw5.py": edit(BASE, ("col = im2col(x, FH, FW, self.stride, self.pad)",
                                                    "col = im2col(x, FH, FW, self.stride, self.padding)"))},
        "no_network": {"hw5.py": _without_backward(_cut_class(BASE, "SimpleConvNet"))},
        "network_crash": {"hw5.py": edit(_without_backward(BASE), (
            "filter_num = conv_param['filter_num']", "filter_num = conv_param['num_filters']"), (
            "    def gradient(self, x, t):\n        self.loss(x, t)", "    def gradient(self, x, t):\n        pass\n\n"
                                                                       "    def _unused(self, x, t):\n        self.loss(x, t)"))},
        "pool_size_wrong": {"hw5.py": edit(BASE, (
            "pool_output_size = int(filter_num * (conv_output_size / 2) * (conv_output_size / 2))",
            "pool_output_size = int(filter_num * conv_output_size * conv_output_size)"))},
        "missing_relu2": {"hw5.py": edit(BASE, ("        self.layers['Relu2'] = Relu()\n", ""))},
        "affine_numbering": {"hw5.py": edit(BASE, ("['Affine2']", "['Affine3']", 3), ("['Affine1']", "['Affine2']", 3))},
        "mean_pool_max_backward": {"hw5.py": edit(BASE, ("out = col.max(axis=1)", "out = col.mean(axis=1)"))},
        "init_crash_in_layers": {"hw5.py": edit(BASE, ("conv_param['stride'], conv_param['pad'])",
                                                       "conv_params['stride'], conv_params['pad'])"))},
        # Layers without backward (the book's are used) and a gradient reading `.dw`, which the book's
        # layers do not have: a bug of the gradient, not a spelling to forgive.
        "dw_of_book_layers": {"hw5.py": edit(_without_backward(BASE), ("].dW", "].dw", 3))},
    }


# student → the code points each must get (questions not named: full), and why.
EXPECTED: dict[str, dict[str, float]] = {
    "base_student": {},
    "other_spellings": {},  # ReLU, Dense, pooling, conv_params, plain dict, lower-case keys, lastLayer, reversed()
    "stub_beside_real": {},  # a `pass` stub in scratch.py never beats the working class
    "misnamed_beside_book": {"7.4.3.2": 6.0},  # the student's own `convolution` (transposed reshape), not common/'s
    "two_drafts": {},  # two non-stub Convolution classes: both graded, the working one kept
    # Zeros of the wrong shape, a hard-coded array, a lying array, a crash earn nothing; a backward
    # beside a forward that never works is not checked (end-to-end −2, each such backward −1).
    "zeros_forward": {"7.4.3.2": 0.0, "7.4.4.1": 0.0, "7.5.1.6": 8 - 2 - 2},
    "hard_coded": {"7.4.3.2": 0.0, "7.4.4.1": 0.0, "7.5.1.6": 8 - 2 - 2},
    "lying_array": {"7.4.3.2": 0.0, "7.5.1.6": 8 - 2 - 1},
    "crash_in_forward": {"7.4.3.2": 0.0, "7.5.1.6": 8 - 2 - 1},
    "no_network": {q: 0.0 for q in ("7.5.1.2", "7.5.1.3", "7.5.1.4", "7.5.1.5", "7.5.1.6")},
    "network_crash": {"7.5.1.2": 0.0, "7.5.1.3": 0.0, "7.5.1.4": 0.0, "7.5.1.6": 0.0},
    "pool_size_wrong": {"7.5.1.2": 0.0, "7.5.1.6": 8 - 2},  # 7.5.1.3 judges W2 by the student's own size
    "missing_relu2": {"7.5.1.4": 4.0, "7.5.1.6": 8 - 2},  # 7.5.1.5 runs on a network laid out right
    "affine_numbering": {},  # layer keys Affine2/Affine3: the graft keeps the student's keys
    "mean_pool_max_backward": {"7.4.4.1": 5.0, "7.5.1.6": 8 - 2},  # the max backward is right by the definition
    "init_crash_in_layers": {"7.5.1.4": 0.0, "7.5.1.6": 8 - 2},  # 7.5.1.2/7.5.1.3 judged on what was built
    "dw_of_book_layers": {"7.5.1.6": 0.0},
}


def write_class(root: Path) -> Path:
    for sid, files in students().items():
        for rel, text in files.items():
            path = root / sid / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, "utf-8")
    return root
