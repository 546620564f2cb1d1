import numpy as np


def numerical_diff(f, x, h=1e-4):
    x = np.asarray(x, dtype=float)
    return (f(x + h) - f(x - h)) / (2 * h)
