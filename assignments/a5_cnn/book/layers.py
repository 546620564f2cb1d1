"""Relu, Affine and SoftmaxWithLoss with the book's interface: forward, backward(dout), dW and db."""
import numpy as np

from .functions import cross_entropy_error, softmax


class Relu:
    """Passes positive values, zeroes the rest (and their gradient)."""

    def __init__(self):
        self.mask = None

    def forward(self, x):
        self.mask = x <= 0
        return np.where(self.mask, 0.0, x)

    def backward(self, dout):
        return np.where(self.mask, 0.0, dout)


class Affine:
    """x · W + b on each sample flattened; backward restores the input's shape."""

    def __init__(self, W, b):
        self.W = W
        self.b = b
        self.x = None
        self.original_x_shape = None
        self.dW = None
        self.db = None

    def forward(self, x):
        self.original_x_shape = x.shape
        self.x = x.reshape(len(x), -1)
        return self.x @ self.W + self.b

    def backward(self, dout):
        self.dW = self.x.T @ dout
        self.db = dout.sum(axis=0)
        return (dout @ self.W.T).reshape(self.original_x_shape)


class SoftmaxWithLoss:
    """The loss of softmax(scores) against labels or one-hot targets; backward gives (y − t) / N."""

    def __init__(self):
        self.loss = None
        self.y = None
        self.t = None

    def forward(self, x, t):
        self.t = t
        self.y = softmax(x)
        self.loss = cross_entropy_error(self.y, t)
        return self.loss

    def backward(self, dout=1):
        batch = len(self.y)
        if self.t.size == self.y.size:
            return dout * (self.y - self.t) / batch
        grad = self.y.copy()
        grad[np.arange(batch), self.t] -= 1
        return dout * grad / batch
