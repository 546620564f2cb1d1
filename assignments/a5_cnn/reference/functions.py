"""Activation and loss functions of the book's `common/functions.py`."""
import numpy as np

DELTA = 1e-7  # keeps log() finite when a probability underflows to 0


def sigmoid(x: np.ndarray) -> np.ndarray:
    """1 / (1 + exp(-x))."""
    return 1 / (1 + np.exp(-x))


def relu(x: np.ndarray) -> np.ndarray:
    """max(0, x), elementwise."""
    return np.maximum(0, x)


def softmax(x: np.ndarray) -> np.ndarray:
    """exp(x_i - max x) / sum_j exp(x_j - max x) along the last axis (1-D or 2-D)."""
    x = x - np.max(x, axis=-1, keepdims=True)  # shift for numerical stability
    e = np.exp(x)
    return e / np.sum(e, axis=-1, keepdims=True)


def cross_entropy_error(y: np.ndarray, t: np.ndarray) -> float:
    """-(1/N) sum_n log(y[n, t_n] + 1e-7); t is one-hot (same size as y) or class labels.

    A 1-D `y` is one sample, i.e. a batch of one.
    """
    y = np.asarray(y)
    t = np.asarray(t)
    if y.ndim == 1:
        y = y.reshape(1, y.size)
        t = t.reshape(1, t.size)
    if t.size == y.size:  # one-hot -> labels
        t = t.argmax(axis=1)
    t = t.reshape(-1)
    batch_size = y.shape[0]
    return -np.sum(np.log(y[np.arange(batch_size), t] + DELTA)) / batch_size
