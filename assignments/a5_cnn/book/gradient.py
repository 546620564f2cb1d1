"""numerical_gradient: central differences, element by element, the argument perturbed in place."""
import numpy as np


def numerical_gradient(f, x):
    """df/dx by (f(x + h) − f(x − h)) / 2h with h = 1e-4 on each element of `x` in turn (restored after)."""
    step = 1e-4
    grad = np.zeros_like(x, dtype=float)
    for index in np.ndindex(*x.shape):
        kept = x[index]
        x[index] = kept + step
        upper = f(x)
        x[index] = kept - step
        lower = f(x)
        x[index] = kept
        grad[index] = (upper - lower) / (2 * step)
    return grad
