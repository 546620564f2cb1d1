"""softmax and cross_entropy_error as the book defines them (δ = 1e-7 inside the logarithm)."""
import numpy as np


def softmax(x):
    """Along the last axis, shifted by its maximum so that exp never overflows."""
    shifted = x - np.max(x, axis=-1, keepdims=True)
    weights = np.exp(shifted)
    return weights / np.sum(weights, axis=-1, keepdims=True)


def cross_entropy_error(y, t):
    """Mean over the batch of −log y[label]; `t` holds labels or one-hot rows; a 1-D `y` is one sample."""
    probs = np.atleast_2d(y)
    targets = np.asarray(t)
    if targets.size == probs.size:
        targets = targets.reshape(probs.shape).argmax(axis=1)
    labels = targets.reshape(-1).astype(int)
    picked = probs[np.arange(probs.shape[0]), labels]
    return -np.sum(np.log(picked + 1e-7)) / probs.shape[0]
