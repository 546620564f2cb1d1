"""The inputs the checks are run on, as plain frozen dataclasses: a convolution's geometry, a pooling's,
a network's configuration. Hypothesis draws them (`strategies.py`), `cases.json` ships them, the checks
read them; this module imports nothing of those.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .oracles import out_size


@dataclass(frozen=True)
class ConvCase:
    N: int
    C: int
    H: int
    W: int
    FN: int
    FH: int
    FW: int
    stride: int
    pad: int
    seed: int

    @property
    def out(self) -> tuple[int, int]:
        return out_size(self.H, self.FH, self.stride, self.pad), out_size(self.W, self.FW, self.stride, self.pad)

    def geometry(self) -> dict[str, Any]:
        return {"x.shape": (self.N, self.C, self.H, self.W), "W.shape": (self.FN, self.C, self.FH, self.FW),
                "stride": self.stride, "pad": self.pad}


@dataclass(frozen=True)
class PoolCase:
    N: int
    C: int
    H: int
    W: int
    PH: int
    PW: int
    stride: int
    seed: int

    @property
    def out(self) -> tuple[int, int]:
        return out_size(self.H, self.PH, self.stride, 0), out_size(self.W, self.PW, self.stride, 0)

    def geometry(self) -> dict[str, Any]:
        return {"x.shape": (self.N, self.C, self.H, self.W), "pool_h": self.PH, "pool_w": self.PW,
                "stride": self.stride, "pad": 0}


@dataclass(frozen=True)
class NetConfig:
    C: int
    size: int
    filter_num: int
    filter_size: int
    pad: int
    stride: int
    hidden: int
    output: int
    std: float = 0.01

    @property
    def conv_out(self) -> int:
        return (self.size - self.filter_size + 2 * self.pad) // self.stride + 1

    @property
    def pool_out(self) -> int:
        return self.filter_num * (self.conv_out // 2) ** 2

    def kwargs(self) -> dict[str, Any]:
        return {"input_dim": (self.C, self.size, self.size),
                "conv_param": {"filter_num": self.filter_num, "filter_size": self.filter_size,
                               "pad": self.pad, "stride": self.stride},
                "hidden_size": self.hidden, "output_size": self.output, "weight_init_std": self.std}

    def shapes(self) -> dict[str, tuple[int, ...]]:
        fn, fs = self.filter_num, self.filter_size
        return {"W1": (fn, self.C, fs, fs), "b1": (fn,), "W2": (self.pool_out, self.hidden), "b2": (self.hidden,),
                "W3": (self.hidden, self.output), "b3": (self.output,)}

    def shown(self) -> dict[str, Any]:
        return {"SimpleConvNet": self.kwargs()}
