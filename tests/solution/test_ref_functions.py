"""softmax, cross_entropy_error and numerical_gradient of the reference."""
import numpy as np
import pytest

from assignments.a5_cnn.reference.functions import cross_entropy_error, relu, sigmoid, softmax
from assignments.a5_cnn.reference.gradient import numerical_gradient
from reference_oracles import relative_error


def test_softmax_rows_are_probabilities_even_for_huge_scores():
    x = np.array([[1000.0, 1001.0, 1002.0], [-5.0, 0.0, 5.0]])
    y = softmax(x)
    assert np.all(np.isfinite(y)) and np.all(y > 0)
    np.testing.assert_allclose(y.sum(axis=1), 1.0)
    np.testing.assert_allclose(y[0], softmax(np.array([0.0, 1.0, 2.0])))


def test_softmax_of_a_vector_is_exp_over_the_sum_of_exps():
    x = np.array([0.3, -1.2, 2.0])
    np.testing.assert_allclose(softmax(x), np.exp(x) / np.exp(x).sum())


def test_cross_entropy_is_the_batch_mean_of_minus_log_of_the_true_class():
    y = np.array([[0.7, 0.2, 0.1], [0.1, 0.1, 0.8]])
    expected = -(np.log(0.7 + 1e-7) + np.log(0.8 + 1e-7)) / 2
    assert cross_entropy_error(y, np.array([0, 2])) == pytest.approx(expected)
    assert cross_entropy_error(y, np.array([[1, 0, 0], [0, 0, 1]])) == pytest.approx(expected)


def test_cross_entropy_treats_a_vector_as_a_batch_of_one():
    y = np.array([0.1, 0.6, 0.3])
    assert cross_entropy_error(y, np.array([0, 1, 0])) == pytest.approx(-np.log(0.6 + 1e-7))
    assert cross_entropy_error(y, np.array(1)) == pytest.approx(-np.log(0.6 + 1e-7))


def test_cross_entropy_stays_finite_when_the_true_class_has_probability_zero():
    assert cross_entropy_error(np.array([[1.0, 0.0]]), np.array([1])) == pytest.approx(-np.log(1e-7))


def test_relu_and_sigmoid_follow_their_formulas():
    x = np.array([-2.0, 0.0, 3.0])
    np.testing.assert_array_equal(relu(x), [0.0, 0.0, 3.0])
    np.testing.assert_allclose(sigmoid(x), 1 / (1 + np.exp(-x)))


def test_numerical_gradient_of_a_cubic_on_a_3d_array_is_three_x_squared():
    x = np.random.default_rng(0).standard_normal((2, 3, 4))
    grad = numerical_gradient(lambda w: np.sum(w ** 3), x)
    assert relative_error(grad, 3 * x ** 2) < 1e-7


def test_numerical_gradient_sees_interactions_between_elements():
    x = np.array([[1.0, 2.0], [3.0, 4.0]])
    grad = numerical_gradient(lambda w: np.prod(w), x)  # d/dx_i prod = prod / x_i
    assert relative_error(grad, 24.0 / x) < 1e-7


def test_numerical_gradient_restores_every_element_exactly():
    x = np.random.default_rng(1).standard_normal((3, 2))
    before = x.copy()
    numerical_gradient(lambda w: np.sum(np.sin(w)), x)
    np.testing.assert_array_equal(x, before)


def test_numerical_gradient_evaluates_f_on_the_array_itself():
    # the book's SimpleConvNet relies on it: the layers hold the very array being perturbed
    x = np.zeros(3)
    seen = []
    numerical_gradient(lambda w: seen.append(w is x) or 0.0, x)
    assert seen and all(seen)


def test_numerical_gradient_refuses_an_integer_array():
    with pytest.raises(TypeError, match="float"):
        numerical_gradient(lambda w: 0.0, np.arange(3))
