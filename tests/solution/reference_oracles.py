"""Independent definitions the reference is tested against (shared by the tests here).

Everything in this module is written from the definitions with explicit Python loops,
without numpy tricks and without importing the reference, so a bug in the reference
cannot hide in its own oracle. The module name is unique on purpose: this folder has no
__init__.py (a package named `reference` here would shadow the package under test).
"""
from dataclasses import dataclass
from itertools import product

import numpy as np
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

# reproducible: the same examples on every run and machine, no example database
REPRODUCIBLE = settings(derandomize=True, database=None, deadline=None, max_examples=40,
                        suppress_health_check=[HealthCheck.too_slow])


def out_size(size: int, window: int, stride: int, pad: int) -> int:
    """Number of window positions along one axis of the zero-padded input."""
    return (size + 2 * pad - window) // stride + 1


def padded_value(x, n, c, y, x_, pad):
    """x_pad[n, c, y, x_]: the input, or 0 in the padding border."""
    H, W = x.shape[2], x.shape[3]
    yy, xx = y - pad, x_ - pad
    return x[n, c, yy, xx] if 0 <= yy < H and 0 <= xx < W else 0.0


def conv_by_definition(x, w, b, stride=1, pad=0):
    """out[n, f, i, j] = b[f] + sum_{c, u, v} w[f, c, u, v] * x_pad[n, c, i*s + u, j*s + v]."""
    N, C, H, W = x.shape
    FN, _, FH, FW = w.shape
    OH, OW = out_size(H, FH, stride, pad), out_size(W, FW, stride, pad)
    out = np.zeros((N, FN, OH, OW))
    for n, f, i, j in product(range(N), range(FN), range(OH), range(OW)):
        total = b[f]
        for c, u, v in product(range(C), range(FH), range(FW)):
            total += w[f, c, u, v] * padded_value(x, n, c, i * stride + u, j * stride + v, pad)
        out[n, f, i, j] = total
    return out


def max_pool_by_definition(x, pool_h, pool_w, stride=1, pad=0):
    """out[n, c, i, j] = max of the (pool_h, pool_w) window of x_pad at (i*s, j*s)."""
    N, C, H, W = x.shape
    OH, OW = out_size(H, pool_h, stride, pad), out_size(W, pool_w, stride, pad)
    out = np.zeros((N, C, OH, OW))
    for n, c, i, j in product(range(N), range(C), range(OH), range(OW)):
        out[n, c, i, j] = max(padded_value(x, n, c, i * stride + u, j * stride + v, pad)
                              for u, v in product(range(pool_h), range(pool_w)))
    return out


def im2col_by_definition(x, filter_h, filter_w, stride=1, pad=0):
    """Row (n, i, j), column (c, u, v) holds x_pad[n, c, i*s + u, j*s + v]."""
    N, C, H, W = x.shape
    OH, OW = out_size(H, filter_h, stride, pad), out_size(W, filter_w, stride, pad)
    col = np.zeros((N * OH * OW, C * filter_h * filter_w))
    for n, i, j in product(range(N), range(OH), range(OW)):
        row = (n * OH + i) * OW + j
        for c, u, v in product(range(C), range(filter_h), range(filter_w)):
            column = (c * filter_h + u) * filter_w + v
            col[row, column] = padded_value(x, n, c, i * stride + u, j * stride + v, pad)
    return col


def central_difference(f, x, h=1e-5):
    """d f / d x[i] ~ (f(x + h e_i) - f(x - h e_i)) / 2h, on copies: `x` is never touched."""
    grad = np.zeros(x.shape)
    for index in np.ndindex(*x.shape):
        plus, minus = x.copy(), x.copy()
        plus[index] += h
        minus[index] -= h
        grad[index] = (f(plus) - f(minus)) / (2 * h)
    return grad


def relative_error(actual, expected) -> float:
    """max |actual - expected| / max(|actual|, |expected|), 0 when both are 0."""
    actual, expected = np.asarray(actual, float), np.asarray(expected, float)
    assert actual.shape == expected.shape, f"shape {actual.shape} != {expected.shape}"
    scale = max(np.max(np.abs(actual), initial=0.0), np.max(np.abs(expected), initial=0.0))
    return 0.0 if scale == 0 else float(np.max(np.abs(actual - expected)) / scale)


@dataclass(frozen=True)
class Geometry:
    """One batch of (N, C, H, W) images under a (FN, C, FH, FW) filter or pooling window."""

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
    def x_shape(self):
        return (self.N, self.C, self.H, self.W)

    @property
    def w_shape(self):
        return (self.FN, self.C, self.FH, self.FW)

    @property
    def out_h(self):
        return out_size(self.H, self.FH, self.stride, self.pad)

    @property
    def out_w(self):
        return out_size(self.W, self.FW, self.stride, self.pad)

    def rng(self):
        return np.random.default_rng(self.seed)


@st.composite
def geometries(draw, max_side=6, max_filter=4):
    """Random geometry: N 1-3, C 1-3, non-square H, W and filters, stride 1-3, pad 0-2."""
    pad = draw(st.integers(0, 2))
    H = draw(st.integers(1, max_side))
    W = draw(st.integers(1, max_side))
    FH = draw(st.integers(1, min(max_filter, H + 2 * pad)))  # output is at least 1x1
    FW = draw(st.integers(1, min(max_filter, W + 2 * pad)))
    return Geometry(N=draw(st.integers(1, 3)), C=draw(st.integers(1, 3)), H=H, W=W,
                    FN=draw(st.integers(1, 3)), FH=FH, FW=FW,
                    stride=draw(st.integers(1, 3)), pad=pad, seed=draw(st.integers(0, 2**32 - 1)))


def distinct_values(rng, shape, spacing=0.1):
    """Values pairwise at least `spacing` apart and away from 0 (no ties, also with padding)."""
    size = int(np.prod(shape))
    half_integers = rng.permutation(size) - size // 2 + 0.5  # k + 1/2, never 0
    return (spacing * half_integers).reshape(shape)
