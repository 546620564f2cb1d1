"""Numerical gradient by central differences, for arrays of any dimension."""
from typing import Callable

import numpy as np

H = 1e-4  # step of the central difference, as in the book


def numerical_gradient(f: Callable[[np.ndarray], float], x: np.ndarray) -> np.ndarray:
    """df/dx[i] ~ (f(x + h e_i) - f(x - h e_i)) / 2h for every index i of `x`.

    `f` takes `x` as its argument (the book's `f(x)` convention); `x` is perturbed in place,
    one element at a time, and every element is restored before the next.
    """
    if not np.issubdtype(x.dtype, np.floating):
        raise TypeError(f"x has dtype {x.dtype}; pass a float array (e.g. x.astype(float))")
    grad = np.zeros_like(x, dtype=float)
    it = np.nditer(x, flags=["multi_index"])
    while not it.finished:
        idx = it.multi_index
        original = x[idx].copy()
        x[idx] = original + H
        f_plus = f(x)
        x[idx] = original - H
        f_minus = f(x)
        x[idx] = original  # restore before moving on
        grad[idx] = (f_plus - f_minus) / (2 * H)
        it.iternext()
    return grad
