"""Assignment #5 of the course: 밑바닥부터 시작하는 딥러닝 7–8장 (im2col, Convolution, Pooling, SimpleConvNet).

What the engine needs to grade it, declared once:
- `rubric.toml`: the questions, their points and items, and what each code question grades;
- `reference/`: the solution (the TA's run only; the student kit has none of it);
- `book/`: what the book provides and students use without handing it in (the kit ships it);
- `checks/`: the checks of the code questions, registered by id, and `cases.json`, their examples;
- `slots.py`, `assemble.py`: how SimpleConvNet code in an answer sheet is cut into its questions;
- `messages.py`: the checks' words, Korean and English; `training.py`: `--train`.
"""

from __future__ import annotations

from pathlib import Path

from grader.assignment import Assignment, Library, Names

HERE = Path(__file__).resolve().parent
_REFERENCE = HERE / "reference"

ASSIGNMENT = Assignment(
    name="a5",
    title="Deep Learning Assignment #5 — 합성곱 신경망 (CNN)",
    package=__name__,
    root=HERE,
    rubric=HERE / "rubric.toml",
    book=Library(HERE / "book", ("util", "functions", "gradient", "layers"), "book"),
    book_names={
        "im2col": ("util", "im2col"), "col2im": ("util", "col2im"),
        "softmax": ("functions", "softmax"), "cross_entropy_error": ("functions", "cross_entropy_error"),
        "numerical_gradient": ("gradient", "numerical_gradient"),
        "Relu": ("layers", "Relu"), "Affine": ("layers", "Affine"), "SoftmaxWithLoss": ("layers", "SoftmaxWithLoss"),
    },
    # Never the reference's SimpleConvNet (its methods are the network questions' answers): its layers only.
    reference=Library(_REFERENCE if (_REFERENCE / "__init__.py").is_file() else None,
                      ("util", "functions", "layers"), "reference"),
    reference_package=f"{__name__}.reference",
    answer_names={"Convolution": ("layers", "Convolution"), "Pooling": ("layers", "Pooling")},
    layer_names=("Convolution", "Pooling", "Relu", "Affine", "SoftmaxWithLoss", "im2col", "col2im",
                 "softmax", "cross_entropy_error"),
    answer_files={"layers.py": ("Convolution", "Pooling"), "simple_convnet.py": ("SimpleConvNet",)},
    names=Names(
        graded=("im2col", "col2im", "Relu", "Affine", "SoftmaxWithLoss", "Convolution", "Pooling", "SimpleConvNet",
                "softmax", "cross_entropy_error", "numerical_gradient"),
        classes=("Relu", "Affine", "SoftmaxWithLoss", "Convolution", "Pooling", "SimpleConvNet"),
        functions=("im2col", "col2im", "softmax", "cross_entropy_error", "numerical_gradient"),
        # Other names students give the same thing (normal form: lower case, no underscores).
        aliases={
            "Relu": ("relulayer", "rectifiedlinear"),
            "Affine": ("dense", "linear", "fullyconnected", "fc", "affinelayer", "fclayer"),
            "SoftmaxWithLoss": ("softmaxloss", "softmaxcrossentropy", "softmaxwithcrossentropy",
                                "softmaxcrossentropyloss"),
            "Convolution": ("conv", "conv2d", "convlayer", "convolution2d", "convolutionlayer", "convolutional"),
            "Pooling": ("pool", "maxpooling", "maxpool", "maxpool2d", "maxpooling2d", "poolinglayer", "pool2d"),
            "SimpleConvNet": ("simplecnn", "convnet", "simpleconvnetwork", "simpleconvolutionalnet"),
            "im2col": ("imagetocolumn", "img2col"),
            "col2im": ("columntoimage", "col2img"),
        },
        key_methods={"SimpleConvNet": ("__init__", "predict", "loss", "gradient")},
        probed=("Convolution", "Pooling"),
        sheet_helpers=("im2col", "col2im"),
        provided_folders=("common",),
    ),
    check_modules=tuple(f"{__name__}.checks.{m}" for m in ("conv", "pool", "backward", "convnet")),
    cases=HERE / "cases.json",
    messages=f"{__name__}.messages",
    slots=f"{__name__}.assemble",
    training=f"{__name__}.training:train",
    beside={"predict": "_beside_predict", "loss": "_beside_loss"},
    network_file="simple_convnet.py",
    kit_name="dl-assignment5-check",
    interface=("pad", "stride", "pool_h", "pool_w", "input_data", "filter_h", "filter_w", "dout"),
)
