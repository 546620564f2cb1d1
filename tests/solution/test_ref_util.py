"""im2col and col2im of the reference, against the definition and each other."""
import numpy as np
import pytest
from hypothesis import given

from assignments.a5_cnn.reference.util import col2im, im2col
from reference_oracles import REPRODUCIBLE, geometries, im2col_by_definition


@REPRODUCIBLE
@given(geometries())
def test_im2col_matches_the_explicit_loops_for_any_geometry(g):
    x = g.rng().standard_normal(g.x_shape)
    col = im2col(x, g.FH, g.FW, g.stride, g.pad)
    assert col.shape == (g.N * g.out_h * g.out_w, g.C * g.FH * g.FW)
    np.testing.assert_array_equal(col, im2col_by_definition(x, g.FH, g.FW, g.stride, g.pad))


@REPRODUCIBLE
@given(geometries())
def test_col2im_is_the_adjoint_of_im2col(g):
    # <im2col(x), c> == <x, col2im(c)> for every x and c
    rng = g.rng()
    x = rng.standard_normal(g.x_shape)
    c = rng.standard_normal((g.N * g.out_h * g.out_w, g.C * g.FH * g.FW))
    back = col2im(c, g.x_shape, g.FH, g.FW, g.stride, g.pad)
    assert back.shape == g.x_shape
    lhs = np.sum(im2col(x, g.FH, g.FW, g.stride, g.pad) * c)
    rhs = np.sum(x * back)
    assert lhs == pytest.approx(rhs, rel=1e-12, abs=1e-12)


@REPRODUCIBLE
@given(geometries())
def test_im2col_and_col2im_leave_their_inputs_alone(g):
    rng = g.rng()
    x = rng.standard_normal(g.x_shape)
    x_before = x.copy()
    col = im2col(x, g.FH, g.FW, g.stride, g.pad)
    np.testing.assert_array_equal(x, x_before)
    assert not np.shares_memory(col, x)
    col_before = col.copy()
    col2im(col, g.x_shape, g.FH, g.FW, g.stride, g.pad)
    np.testing.assert_array_equal(col, col_before)


def test_im2col_of_the_worked_example_lists_the_four_windows():
    x = np.array([[3, 3, 2], [0, 5, 1], [4, 2, 2]], dtype=float).reshape(1, 1, 3, 3)
    expected = [[3, 3, 0, 5], [3, 2, 5, 1], [0, 5, 4, 2], [5, 1, 2, 2]]
    np.testing.assert_array_equal(im2col(x, 2, 2), expected)


def test_col2im_sums_the_overlapping_windows():
    # a 3x3 input under 2x2 windows with stride 1: the centre is in all four windows
    counts = col2im(np.ones((4, 4)), (1, 1, 3, 3), 2, 2)
    np.testing.assert_array_equal(counts[0, 0], [[1, 2, 1], [2, 4, 2], [1, 2, 1]])


def test_im2col_rejects_a_filter_larger_than_the_padded_input():
    with pytest.raises(ValueError, match="larger than the padded input"):
        im2col(np.zeros((1, 1, 3, 3)), 6, 2, stride=1, pad=1)
