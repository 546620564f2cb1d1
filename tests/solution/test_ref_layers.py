"""The layers of the reference: forward against the definitions, backward against
central differences, and no layer touching the arrays it is given."""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from assignments.a5_cnn.reference.layers import Affine, Convolution, Pooling, Relu, SoftmaxWithLoss
from reference_oracles import (REPRODUCIBLE, central_difference, conv_by_definition,
                               distinct_values, geometries, max_pool_by_definition,
                               relative_error)

GRAD_TOLERANCE = 1e-6  # float64, h = 1e-5: the layers are (piecewise) linear or smooth
SOFTMAX_TOLERANCE = 1e-4  # the book's delta 1e-7 inside the log shifts the numeric gradient


# --- Convolution -----------------------------------------------------------------------------

@REPRODUCIBLE
@given(geometries())
def test_convolution_matches_the_explicit_sum_for_any_geometry(g):
    rng = g.rng()
    x, w, b = rng.standard_normal(g.x_shape), rng.standard_normal(g.w_shape), rng.standard_normal(g.FN)
    out = Convolution(w, b, g.stride, g.pad).forward(x)
    assert out.shape == (g.N, g.FN, g.out_h, g.out_w)
    np.testing.assert_allclose(out, conv_by_definition(x, w, b, g.stride, g.pad), rtol=1e-10, atol=1e-10)


@REPRODUCIBLE
@given(geometries())
def test_convolution_backward_matches_central_differences_for_x_w_and_b(g):
    rng = g.rng()
    x, w, b = rng.standard_normal(g.x_shape), rng.standard_normal(g.w_shape), rng.standard_normal(g.FN)
    dout = rng.standard_normal((g.N, g.FN, g.out_h, g.out_w))

    def loss(x_, w_, b_):  # L = <conv(x, W, b), dout>, so dL/dout = dout
        return np.sum(Convolution(w_, b_, g.stride, g.pad).forward(x_) * dout)

    layer = Convolution(w, b, g.stride, g.pad)
    layer.forward(x)
    dx = layer.backward(dout)
    assert relative_error(dx, central_difference(lambda v: loss(v, w, b), x)) < GRAD_TOLERANCE
    assert relative_error(layer.dW, central_difference(lambda v: loss(x, v, b), w)) < GRAD_TOLERANCE
    assert relative_error(layer.db, central_difference(lambda v: loss(x, w, v), b)) < GRAD_TOLERANCE


def test_convolution_keeps_the_books_caches():
    rng = np.random.default_rng(0)
    x, w = rng.standard_normal((2, 3, 5, 4)), rng.standard_normal((4, 3, 2, 3))
    layer = Convolution(w, np.zeros(4), stride=1, pad=1)
    layer.forward(x)
    assert layer.x is x
    assert layer.col.shape == (2 * 6 * 4, 3 * 2 * 3)
    assert layer.col_W.shape == (3 * 2 * 3, 4)
    layer.backward(np.ones((2, 4, 6, 4)))
    assert layer.dW.shape == w.shape and layer.db.shape == (4,)


# --- Pooling ---------------------------------------------------------------------------------

@REPRODUCIBLE
@given(geometries())
def test_max_pooling_is_the_max_of_each_window_for_any_geometry(g):
    x = g.rng().standard_normal(g.x_shape)
    layer = Pooling(g.FH, g.FW, g.stride, g.pad)
    out = layer.forward(x)
    assert out.shape == (g.N, g.C, g.out_h, g.out_w)
    np.testing.assert_array_equal(out, max_pool_by_definition(x, g.FH, g.FW, g.stride, g.pad))
    assert layer.arg_max.shape == (g.N * g.C * g.out_h * g.out_w,)


@REPRODUCIBLE
@given(geometries())
def test_pooling_backward_matches_central_differences(g):
    rng = g.rng()
    x = distinct_values(rng, g.x_shape)  # no ties, so the max is differentiable
    dout = rng.standard_normal((g.N, g.C, g.out_h, g.out_w))
    layer = Pooling(g.FH, g.FW, g.stride, g.pad)
    layer.forward(x)
    dx = layer.backward(dout)
    numeric = central_difference(
        lambda v: np.sum(Pooling(g.FH, g.FW, g.stride, g.pad).forward(v) * dout), x)
    assert relative_error(dx, numeric) < GRAD_TOLERANCE


def test_pooling_sends_the_gradient_only_to_the_maximum():
    x = np.array([[1.0, 4.0], [3.0, 2.0]]).reshape(1, 1, 2, 2)
    layer = Pooling(2, 2, stride=2)
    np.testing.assert_array_equal(layer.forward(x), [[[[4.0]]]])
    np.testing.assert_array_equal(layer.backward(np.full((1, 1, 1, 1), 5.0))[0, 0], [[0, 5], [0, 0]])


# --- Relu and Affine -------------------------------------------------------------------------

def test_relu_zeroes_negatives_forward_and_their_gradient_backward():
    x = np.array([[-1.0, 2.0], [0.0, -3.0]])
    layer = Relu()
    np.testing.assert_array_equal(layer.forward(x), [[0.0, 2.0], [0.0, 0.0]])
    np.testing.assert_array_equal(layer.backward(np.array([[5.0, 6.0], [7.0, 8.0]])), [[0, 6], [0, 0]])


@REPRODUCIBLE
@given(st.integers(0, 2**32 - 1), st.sampled_from([(3, 5), (2, 3, 4), (2, 2, 3, 3)]))
def test_affine_backward_matches_central_differences_also_for_4d_input(seed, x_shape):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(x_shape)
    features = int(np.prod(x_shape[1:]))
    w, b = rng.standard_normal((features, 4)), rng.standard_normal(4)
    dout = rng.standard_normal((x_shape[0], 4))

    def loss(x_, w_, b_):
        return np.sum(Affine(w_, b_).forward(x_) * dout)

    layer = Affine(w, b)
    out = layer.forward(x)
    np.testing.assert_allclose(out, x.reshape(x_shape[0], -1) @ w + b)
    assert layer.original_x_shape == x_shape and layer.x.shape == (x_shape[0], features)
    dx = layer.backward(dout)
    assert dx.shape == x_shape
    assert relative_error(dx, central_difference(lambda v: loss(v, w, b), x)) < GRAD_TOLERANCE
    assert relative_error(layer.dW, central_difference(lambda v: loss(x, v, b), w)) < GRAD_TOLERANCE
    assert relative_error(layer.db, central_difference(lambda v: loss(x, w, v), b)) < GRAD_TOLERANCE


# --- SoftmaxWithLoss -------------------------------------------------------------------------

def _labels_and_one_hot(rng, n, classes):
    labels = rng.integers(0, classes, size=n)
    return labels, np.eye(classes)[labels]


@pytest.mark.parametrize("target", ["labels", "one-hot"])
@pytest.mark.parametrize("n", [1, 4])
def test_softmax_with_loss_backward_matches_central_differences(target, n):
    rng = np.random.default_rng(n)
    x = rng.standard_normal((n, 5))
    labels, one_hot = _labels_and_one_hot(rng, n, 5)
    t = labels if target == "labels" else one_hot
    layer = SoftmaxWithLoss()
    loss = layer.forward(x, t)
    probabilities = np.exp(x) / np.exp(x).sum(axis=1, keepdims=True)
    assert loss == pytest.approx(-np.mean(np.log(probabilities[np.arange(n), labels] + 1e-7)))
    numeric = central_difference(lambda v: SoftmaxWithLoss().forward(v, t), x)
    # the loss has log(p + 1e-7), its backward the exact (p - t)/N: they differ by ~1e-7/p
    assert relative_error(layer.backward(), numeric) < SOFTMAX_TOLERANCE


def test_softmax_with_loss_backward_scales_with_dout():
    x, t = np.array([[1.0, 2.0, 0.5]]), np.array([2])
    layer = SoftmaxWithLoss()
    layer.forward(x, t)
    np.testing.assert_allclose(layer.backward(2.0), 2 * layer.backward())


# --- nobody touches what they are given ------------------------------------------------------

def _layers_with_inputs():
    """(name, layer, x, dout) for every layer, with negative values in every input."""
    rng = np.random.default_rng(42)
    x4 = rng.standard_normal((2, 3, 5, 4))
    yield "Relu", Relu(), x4, rng.standard_normal(x4.shape)
    yield "Affine", Affine(rng.standard_normal((60, 3)), rng.standard_normal(3)), x4, \
        rng.standard_normal((2, 3))
    yield "Convolution", Convolution(rng.standard_normal((2, 3, 3, 2)), rng.standard_normal(2), 2, 1), \
        x4, rng.standard_normal((2, 2, 3, 3))
    yield "Pooling", Pooling(2, 2, 2), x4, rng.standard_normal((2, 3, 2, 2))


@pytest.mark.parametrize("name, layer, x, dout", list(_layers_with_inputs()),
                         ids=[case[0] for case in _layers_with_inputs()])
def test_forward_and_backward_leave_their_inputs_unchanged(name, layer, x, dout):
    params = {k: v.copy() for k, v in vars(layer).items() if k in ("W", "b")}
    x_before, dout_before = x.copy(), dout.copy()
    out = layer.forward(x)
    dx = layer.backward(dout)
    np.testing.assert_array_equal(x, x_before)
    np.testing.assert_array_equal(dout, dout_before)
    for key, value in params.items():
        np.testing.assert_array_equal(getattr(layer, key), value)
    # the results are new arrays: writing to them cannot reach the caller's data
    assert not np.shares_memory(out, x) and not np.shares_memory(dx, dout)


def test_relu_does_not_zero_the_callers_array_through_its_output():
    x = np.array([-1.0, 2.0])
    out = Relu().forward(x)
    out[:] = 7.0
    np.testing.assert_array_equal(x, [-1.0, 2.0])


@pytest.mark.parametrize("target", ["labels", "one-hot"])
def test_softmax_with_loss_leaves_scores_and_targets_unchanged(target):
    rng = np.random.default_rng(3)
    x = rng.standard_normal((3, 4))
    labels, one_hot = _labels_and_one_hot(rng, 3, 4)
    t = labels if target == "labels" else one_hot
    x_before, t_before = x.copy(), t.copy()
    layer = SoftmaxWithLoss()
    layer.forward(x, t)
    layer.backward()
    layer.backward()  # twice: the second result must equal the first
    np.testing.assert_array_equal(x, x_before)
    np.testing.assert_array_equal(t, t_before)
    np.testing.assert_allclose(layer.backward(), layer.backward())
