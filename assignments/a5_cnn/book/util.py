"""im2col and col2im: a batch of images to a matrix of filter windows, and back (overlaps added)."""
import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


def _out(size, k, stride, pad):
    return (size + 2 * pad - k) // stride + 1


def im2col(input_data, filter_h, filter_w, stride=1, pad=0):
    """(N, C, H, W) → (N·OH·OW, C·FH·FW): one row per window position (n, y, x), columns (c, ky, kx)."""
    n_img, channels = input_data.shape[:2]
    framed = np.pad(input_data, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    views = sliding_window_view(framed, (filter_h, filter_w), axis=(2, 3))[:, :, ::stride, ::stride]
    return views.transpose(0, 2, 3, 1, 4, 5).reshape(-1, channels * filter_h * filter_w)


def col2im(col, input_shape, filter_h, filter_w, stride=1, pad=0):
    """The adjoint of im2col: every window's values added back where the window lay."""
    n_img, channels, height, width = input_shape
    rows, cols = _out(height, filter_h, stride, pad), _out(width, filter_w, stride, pad)
    blocks = col.reshape(n_img, rows, cols, channels, filter_h, filter_w).transpose(0, 3, 4, 5, 1, 2)
    canvas = np.zeros((n_img, channels, height + 2 * pad, width + 2 * pad))
    for ky in range(filter_h):
        for kx in range(filter_w):
            canvas[:, :, ky:ky + stride * (rows - 1) + 1:stride, kx:kx + stride * (cols - 1) + 1:stride] += \
                blocks[:, :, ky, kx]
    return canvas[:, :, pad:pad + height, pad:pad + width]
