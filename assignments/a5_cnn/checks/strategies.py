"""The inputs properties are checked on, as Hypothesis strategies (each property names its own in
its declaration: `@property_check(..., cases=lambda: strategies().conv_cases())`).

Imported only to generate the shipped example lists (`grader/checks/cases.py`) and to shrink a
failing example: a submission that passes never needs Hypothesis in the grader at all.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from .geometry import ConvCase, NetConfig, PoolCase


@st.composite
def conv_cases(draw: Any, max_side: int = 7, stride_max: int = 3, pad_max: int = 2) -> ConvCase:
    N = draw(st.integers(1, 3))
    C = draw(st.integers(1, 3))
    FN = draw(st.integers(1, 3))
    FH = draw(st.integers(1, 4))
    FW = draw(st.integers(1, 4))
    stride = draw(st.integers(1, stride_max))
    pad = draw(st.integers(0, pad_max))
    H = draw(st.integers(max(1, FH - 2 * pad), max_side))
    W = draw(st.integers(max(1, FW - 2 * pad), max_side))
    seed = draw(st.integers(0, 2**16))
    return ConvCase(N, C, H, W, FN, FH, FW, stride, pad, seed)


@st.composite
def pool_cases(draw: Any, max_side: int = 7) -> PoolCase:
    N = draw(st.integers(1, 3))
    C = draw(st.integers(1, 3))
    PH = draw(st.integers(1, 3))
    PW = draw(st.integers(1, 3))
    stride = draw(st.integers(1, 3))
    H = draw(st.integers(PH, max_side))
    W = draw(st.integers(PW, max_side))
    return PoolCase(N, C, H, W, PH, PW, stride, draw(st.integers(0, 2**16)))


@st.composite
def even_configs(draw: Any) -> NetConfig:
    fs = draw(st.integers(1, 5))
    pad = draw(st.integers(0, 2))
    stride = draw(st.integers(1, 2))
    half = draw(st.integers(1, 4))  # conv output = 2·half: even, as 2×2 pooling assumes
    size = (2 * half - 1) * stride + fs - 2 * pad
    if size < max(fs, 1):
        size += stride * 2 * ((max(fs, 1) - size) // (2 * stride) + 1)
    return NetConfig(C=draw(st.integers(1, 3)), size=size, filter_num=draw(st.integers(1, 4)), filter_size=fs,
                     pad=pad, stride=stride, hidden=draw(st.integers(1, 4)), output=draw(st.integers(2, 4)))
