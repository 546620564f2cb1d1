"""The layers of the book's `common/layers.py` used by SimpleConvNet.

Each layer is `__init__` (parameters; caches set to None), `forward`, `backward(dout)`,
with parameter gradients in `dW`/`db`. No layer modifies an array it is given.
"""
import numpy as np

from .functions import cross_entropy_error, softmax
from .util import col2im, im2col


class Relu:
    """y = max(0, x); dy/dx = 1 where x > 0, else 0."""

    def __init__(self):
        self.mask = None

    def forward(self, x):
        self.mask = x <= 0
        out = x.copy()  # never zero the caller's array
        out[self.mask] = 0
        return out

    def backward(self, dout):
        dx = dout.copy()  # never zero the caller's dout
        dx[self.mask] = 0
        return dx


class Affine:
    """y = x.reshape(N, -1) @ W + b; dx is reshaped back to the original input shape."""

    def __init__(self, W, b):
        self.W = W
        self.b = b
        self.x = None
        self.original_x_shape = None
        self.dW = None
        self.db = None

    def forward(self, x):
        self.original_x_shape = x.shape
        self.x = x.reshape(x.shape[0], -1)
        return np.dot(self.x, self.W) + self.b

    def backward(self, dout):
        dx = np.dot(dout, self.W.T)  # dL/dx = dL/dy W^T
        self.dW = np.dot(self.x.T, dout)  # dL/dW = x^T dL/dy
        self.db = np.sum(dout, axis=0)  # dL/db = sum over the batch
        return dx.reshape(*self.original_x_shape)


class SoftmaxWithLoss:
    """L = cross_entropy(softmax(x), t); dL/dx = (y - t) / N with t one-hot or labels."""

    def __init__(self):
        self.loss = None
        self.y = None  # softmax output
        self.t = None  # targets, one-hot or labels

    def forward(self, x, t):
        self.t = t
        self.y = softmax(x)
        self.loss = cross_entropy_error(self.y, self.t)
        return self.loss

    def backward(self, dout=1):
        batch_size = self.t.shape[0]
        if self.t.size == self.y.size:  # one-hot
            dx = self.y - self.t
        else:  # labels: subtract 1 at the true class
            dx = self.y.copy()
            dx[np.arange(batch_size), self.t] -= 1
        return dout * dx / batch_size


class Convolution:
    """out[n, f, y, x] = sum_{c, ky, kx} W[f, c, ky, kx] * x_pad[n, c, y*s + ky, x*s + kx] + b[f]."""

    def __init__(self, W, b, stride=1, pad=0):
        self.W = W
        self.b = b
        self.stride = stride
        self.pad = pad
        # caches for backward
        self.x = None
        self.col = None
        self.col_W = None
        # gradients of the parameters
        self.dW = None
        self.db = None

    def forward(self, x):
        FN, C, FH, FW = self.W.shape
        N, C, H, W = x.shape
        out_h = (H + 2 * self.pad - FH) // self.stride + 1
        out_w = (W + 2 * self.pad - FW) // self.stride + 1

        col = im2col(x, FH, FW, self.stride, self.pad)  # (N*out_h*out_w, C*FH*FW)
        col_W = self.W.reshape(FN, -1).T  # (C*FH*FW, FN)
        out = np.dot(col, col_W) + self.b  # (N*out_h*out_w, FN)
        out = out.reshape(N, out_h, out_w, -1).transpose(0, 3, 1, 2)

        self.x = x
        self.col = col
        self.col_W = col_W
        return out

    def backward(self, dout):
        FN, C, FH, FW = self.W.shape
        dout = dout.transpose(0, 2, 3, 1).reshape(-1, FN)  # rows (n, y, x) like col

        self.db = np.sum(dout, axis=0)
        self.dW = np.dot(self.col.T, dout).transpose(1, 0).reshape(FN, C, FH, FW)

        dcol = np.dot(dout, self.col_W.T)
        return col2im(dcol, self.x.shape, FH, FW, self.stride, self.pad)


class Pooling:
    """Max pooling: out[n, c, y, x] = max over the (pool_h, pool_w) window at (y*s, x*s)."""

    def __init__(self, pool_h, pool_w, stride=1, pad=0):
        self.pool_h = pool_h
        self.pool_w = pool_w
        self.stride = stride
        self.pad = pad
        self.x = None
        self.arg_max = None

    def forward(self, x):
        N, C, H, W = x.shape
        out_h = (H + 2 * self.pad - self.pool_h) // self.stride + 1
        out_w = (W + 2 * self.pad - self.pool_w) // self.stride + 1

        # unfold, one window per row: rows ordered (n, y, x, c)
        col = im2col(x, self.pool_h, self.pool_w, self.stride, self.pad)
        col = col.reshape(-1, self.pool_h * self.pool_w)

        arg_max = np.argmax(col, axis=1)
        out = np.max(col, axis=1)
        out = out.reshape(N, out_h, out_w, C).transpose(0, 3, 1, 2)

        self.x = x
        self.arg_max = arg_max
        return out

    def backward(self, dout):
        dout = dout.transpose(0, 2, 3, 1)  # (N, out_h, out_w, C) like the rows of col
        pool_size = self.pool_h * self.pool_w

        # the gradient flows only to the position of each window's maximum
        dmax = np.zeros((dout.size, pool_size), dtype=np.result_type(dout, float))
        dmax[np.arange(self.arg_max.size), self.arg_max] = dout.reshape(-1)
        dcol = dmax.reshape(-1, self.x.shape[1] * pool_size)  # (N*out_h*out_w, C*ph*pw)
        return col2im(dcol, self.x.shape, self.pool_h, self.pool_w, self.stride, self.pad)
