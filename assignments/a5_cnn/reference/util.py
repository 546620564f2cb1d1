"""im2col / col2im: unfold image patches into matrix rows and fold them back.

A convolution with a (FN, C, FH, FW) filter becomes one matrix product once every
receptive field of the zero-padded input is laid out as a row of length C*FH*FW.
`col2im` is the adjoint of `im2col` (overlapping contributions are summed), which is
exactly what the backward pass of a convolution or a pooling layer needs.
"""
import numpy as np


def _out_size(size: int, filter_size: int, stride: int, pad: int) -> int:
    """Number of filter positions along one axis: (size + 2*pad - filter_size)//stride + 1."""
    if stride < 1:
        raise ValueError(f"stride={stride} must be at least 1")
    if filter_size > size + 2 * pad:
        raise ValueError(
            f"filter size {filter_size} is larger than the padded input {size} + 2*{pad}; "
            "use a smaller filter or more padding"
        )
    return (size + 2 * pad - filter_size) // stride + 1


def im2col(input_data: np.ndarray, filter_h: int, filter_w: int,
           stride: int = 1, pad: int = 0) -> np.ndarray:
    """Unfold (N, C, H, W) into (N*out_h*out_w, C*filter_h*filter_w).

    Rows are ordered (n, y, x) over output positions, columns (c, ky, kx) over the window;
    the input is zero-padded by `pad` on every spatial side.
    """
    N, C, H, W = input_data.shape
    out_h = _out_size(H, filter_h, stride, pad)
    out_w = _out_size(W, filter_w, stride, pad)

    img = np.pad(input_data, [(0, 0), (0, 0), (pad, pad), (pad, pad)], mode="constant")
    # windows[n, c, y, x, ky, kx] = img[n, c, y*stride + ky, x*stride + kx]
    windows = np.lib.stride_tricks.sliding_window_view(img, (filter_h, filter_w), axis=(2, 3))
    windows = windows[:, :, ::stride, ::stride]  # exactly out_h x out_w positions

    # one explicit copy into a fresh array: never a view of the caller's data
    col = np.empty((N, out_h, out_w, C, filter_h, filter_w), dtype=img.dtype)
    col[...] = windows.transpose(0, 2, 3, 1, 4, 5)
    return col.reshape(N * out_h * out_w, -1)


def col2im(col: np.ndarray, input_shape: tuple, filter_h: int, filter_w: int,
           stride: int = 1, pad: int = 0) -> np.ndarray:
    """Fold (N*out_h*out_w, C*filter_h*filter_w) back into `input_shape` = (N, C, H, W).

    Every entry of `col` is added to the input pixel it was read from, so overlapping
    windows sum up and padding is cut away: <im2col(x), c> == <x, col2im(c)>.
    """
    N, C, H, W = input_shape
    out_h = _out_size(H, filter_h, stride, pad)
    out_w = _out_size(W, filter_w, stride, pad)
    col = col.reshape(N, out_h, out_w, C, filter_h, filter_w).transpose(0, 3, 4, 5, 1, 2)

    img = np.zeros((N, C, H + 2 * pad, W + 2 * pad), dtype=col.dtype)
    for ky in range(filter_h):
        y_end = ky + stride * (out_h - 1) + 1
        for kx in range(filter_w):
            x_end = kx + stride * (out_w - 1) + 1
            # img[n, c, y*stride + ky, x*stride + kx] += col[n, c, ky, kx, y, x]
            img[:, :, ky:y_end:stride, kx:x_end:stride] += col[:, :, ky, kx, :, :]
    return img[:, :, pad:H + pad, pad:W + pad]
