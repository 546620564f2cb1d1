"""SimpleConvNet of the reference: the book's structure, its gradient, accuracy, saving."""
from collections import OrderedDict

import numpy as np
import pytest

from assignments.a5_cnn.reference.layers import Affine, Convolution, Pooling, Relu, SoftmaxWithLoss
from assignments.a5_cnn.reference.simple_convnet import SimpleConvNet
from reference_oracles import relative_error

# the book's gradient check (ch07/gradient_check.py)
BOOK_CHECK = dict(input_dim=(1, 10, 10),
                  conv_param={'filter_num': 10, 'filter_size': 3, 'pad': 0, 'stride': 1},
                  hidden_size=10, output_size=10, weight_init_std=0.01)
PARAM_LAYERS = {"W1": ("Conv1", "W"), "b1": ("Conv1", "b"), "W2": ("Affine1", "W"),
                "b2": ("Affine1", "b"), "W3": ("Affine2", "W"), "b3": ("Affine2", "b")}


def small_net(seed=0, **overrides):
    np.random.seed(seed)
    return SimpleConvNet(**{**BOOK_CHECK, **overrides})


def assert_layers_share_params(net):
    for name, (layer, attribute) in PARAM_LAYERS.items():
        assert getattr(net.layers[layer], attribute) is net.params[name], f"{layer}.{attribute}"


# --- structure -------------------------------------------------------------------------------

def test_the_default_network_has_the_books_parameter_shapes():
    np.random.seed(0)
    net = SimpleConvNet()
    shapes = {name: value.shape for name, value in net.params.items()}
    assert shapes == {"W1": (30, 1, 5, 5), "b1": (30,), "W2": (4320, 100), "b2": (100,),
                      "W3": (100, 10), "b3": (10,)}
    for name in ("b1", "b2", "b3"):
        assert not net.params[name].any()
    assert net.params["W2"].std() == pytest.approx(0.01, rel=0.02)


def test_the_layers_are_the_books_in_order_and_hold_the_params_arrays():
    net = small_net()
    assert isinstance(net.layers, OrderedDict)
    assert list(net.layers) == ["Conv1", "Relu1", "Pool1", "Affine1", "Relu2", "Affine2"]
    kinds = [Convolution, Relu, Pooling, Affine, Relu, Affine]
    assert [type(layer) for layer in net.layers.values()] == kinds
    assert isinstance(net.last_layer, SoftmaxWithLoss)
    pool = net.layers["Pool1"]
    assert (pool.pool_h, pool.pool_w, pool.stride, pool.pad) == (2, 2, 2, 0)
    assert_layers_share_params(net)


def test_the_conv_param_sets_the_stride_and_pad_of_conv1():
    net = small_net(input_dim=(1, 12, 12),
                    conv_param={'filter_num': 3, 'filter_size': 4, 'pad': 1, 'stride': 2})
    conv = net.layers["Conv1"]
    assert (conv.stride, conv.pad) == (2, 1)
    assert net.params["W2"].shape == (3 * 3 * 3, 10)  # conv (12 - 4 + 2)/2 + 1 = 6, pooled 3
    assert net.predict(np.zeros((2, 1, 12, 12))).shape == (2, 10)


# --- gradient --------------------------------------------------------------------------------

def central_difference_in_place(net, x, t, h):
    """The loss's central differences for every parameter, perturbing net.params in place
    (the layers hold those arrays) and restoring each value."""
    grads = {}
    for name, param in net.params.items():
        grad = np.zeros(param.shape)
        for index in np.ndindex(*param.shape):
            original = param[index]
            param[index] = original + h
            plus = net.loss(x, t)
            param[index] = original - h
            minus = net.loss(x, t)
            param[index] = original
            grad[index] = (plus - minus) / (2 * h)
        grads[name] = grad
    return grads


def batch_of(config, batch, seed):
    """Random images in [0, 1) of the configuration's input_dim, and random labels."""
    rng = np.random.default_rng(seed)
    x = rng.random((batch,) + tuple(config.get("input_dim", BOOK_CHECK["input_dim"])))
    t = rng.integers(0, config.get("output_size", BOOK_CHECK["output_size"]), size=batch)
    return x, t


def assert_gradients_agree(backprop, numeric, bound):
    assert set(backprop) == set(numeric) == set(PARAM_LAYERS)
    for name in PARAM_LAYERS:
        assert backprop[name].shape == numeric[name].shape, name
        assert relative_error(backprop[name], numeric[name]) < bound, name


@pytest.mark.parametrize("batch", [1, 2])
def test_backprop_matches_central_differences_in_the_books_check_configuration(batch):
    # With weight_init_std 0.01 the conv outputs are ~0.01, so the book's step h = 1e-4
    # often pushes one across a ReLU or max-pool kink, where the numeric value is off by
    # O(1) for that element. h = 1e-6 makes crossings rare; these fixed seeds have none.
    net = small_net(seed=1)
    x, t = batch_of(BOOK_CHECK, batch, seed=1)
    numeric = central_difference_in_place(net, x, t, h=1e-6)
    assert_gradients_agree(net.gradient(x, t), numeric, bound=1e-4)


@pytest.mark.parametrize("config", [
    dict(input_dim=(2, 8, 8), conv_param={'filter_num': 3, 'filter_size': 3, 'pad': 1, 'stride': 1},
         hidden_size=6, output_size=4, weight_init_std=0.3),
    dict(input_dim=(1, 12, 12), conv_param={'filter_num': 2, 'filter_size': 4, 'pad': 1, 'stride': 2},
         hidden_size=5, output_size=3, weight_init_std=0.3),
], ids=["two-channels-pad-1", "stride-2"])
@pytest.mark.parametrize("batch", [1, 2])
def test_backprop_matches_the_networks_numerical_gradient(config, batch):
    # larger weights keep the activations away from the kinks at the book's h = 1e-4
    net = small_net(seed=batch, **config)
    x, t = batch_of(config, batch, seed=batch)
    assert_gradients_agree(net.gradient(x, t), net.numerical_gradient(x, t), bound=1e-5)


def test_the_networks_numerical_gradient_is_the_central_difference_of_its_loss():
    # same step as the book, same points evaluated: equal up to rounding, kinks and all
    net = small_net(seed=0)
    x, t = batch_of(BOOK_CHECK, 2, seed=0)
    expected = central_difference_in_place(net, x, t, h=1e-4)
    assert_gradients_agree(net.numerical_gradient(x, t), expected, bound=1e-9)


def test_numerical_gradient_and_gradient_leave_the_network_and_data_unchanged():
    net = small_net()
    x, t = np.random.default_rng(0).random((2, 1, 10, 10)), np.array([3, 7])
    params, x_before, t_before = {k: v.copy() for k, v in net.params.items()}, x.copy(), t.copy()
    net.numerical_gradient(x, t)
    net.gradient(x, t)
    for name, value in params.items():
        np.testing.assert_array_equal(net.params[name], value)
    np.testing.assert_array_equal(x, x_before)
    np.testing.assert_array_equal(t, t_before)
    assert_layers_share_params(net)


def test_loss_accepts_one_hot_targets_as_well_as_labels():
    net = small_net(weight_init_std=0.3)
    x, labels = np.random.default_rng(0).random((3, 1, 10, 10)), np.array([1, 4, 9])
    assert net.loss(x, np.eye(10)[labels]) == pytest.approx(net.loss(x, labels))


# --- accuracy --------------------------------------------------------------------------------

def _net_that_always_says(label):
    net = small_net()
    net.params["b3"][label] = 100.0  # the layer holds this very array
    return net


def test_accuracy_counts_a_last_partial_batch():
    net = _net_that_always_says(2)
    x = np.random.default_rng(0).random((150, 1, 10, 10))
    right, wrong = np.full(100, 2), np.full(50, 5)
    assert net.accuracy(x, np.full(150, 2), batch_size=100) == 1.0
    # only the 50 samples of the partial batch are right: the book's loop would say 0.0
    assert net.accuracy(x, np.concatenate([np.full(100, 5), np.full(50, 2)]), batch_size=100) \
        == pytest.approx(50 / 150)
    assert net.accuracy(x, np.concatenate([right, wrong]), batch_size=100) == pytest.approx(100 / 150)


def test_accuracy_is_a_float_and_takes_one_hot_targets():
    net = _net_that_always_says(7)
    x = np.random.default_rng(1).random((5, 1, 10, 10))
    acc = net.accuracy(x, np.eye(10)[[7, 7, 7, 0, 1]], batch_size=2)
    assert isinstance(acc, float) and acc == pytest.approx(3 / 5)


# --- save and load ---------------------------------------------------------------------------

def test_save_and_load_round_trip_and_the_layers_share_the_loaded_arrays(tmp_path):
    saved, loaded = small_net(seed=1), small_net(seed=2)
    path = tmp_path / "params.npz"
    saved.save_params(str(path))
    loaded.load_params(str(path))
    for name in PARAM_LAYERS:
        np.testing.assert_array_equal(loaded.params[name], saved.params[name])
        assert loaded.params[name] is not saved.params[name]
    assert_layers_share_params(loaded)
    x = np.random.default_rng(0).random((2, 1, 10, 10))
    np.testing.assert_array_equal(loaded.predict(x), saved.predict(x))
    # sharing is what numerical_gradient relies on: a change to params reaches the layers
    before = loaded.predict(x)
    loaded.params["b3"][0] += 1.0
    assert loaded.predict(x)[0, 0] == pytest.approx(before[0, 0] + 1.0)


def test_saved_params_are_plain_arrays_readable_without_pickle(tmp_path):
    net = small_net()
    path = tmp_path / "weights.npz"
    net.save_params(str(path))
    with np.load(path, allow_pickle=False) as data:
        assert sorted(data.files) == sorted(PARAM_LAYERS)
        for name in PARAM_LAYERS:
            assert data[name].dtype == np.float64
            np.testing.assert_array_equal(data[name], net.params[name])


def test_save_params_writes_exactly_the_file_name_it_is_given(tmp_path):
    net = small_net()
    path = tmp_path / "params.bin"  # np.savez alone would append .npz
    net.save_params(str(path))
    assert path.exists() and not (tmp_path / "params.bin.npz").exists()
    small_net(seed=5).load_params(str(path))


def test_load_params_names_the_missing_arrays(tmp_path):
    path = tmp_path / "partial.npz"
    np.savez(path, W1=np.zeros(1))
    with pytest.raises(ValueError, match="b1"):
        small_net().load_params(str(path))


# --- it learns -------------------------------------------------------------------------------

def bars(rng, n, size=8, noise=0.3):
    """1x8x8 images of a horizontal (0), vertical (1) or diagonal (2) bar, plus noise."""
    labels = rng.integers(0, 3, size=n)
    images = noise * rng.standard_normal((n, 1, size, size))
    for image, label, offset in zip(images, labels, rng.integers(0, size, size=n)):
        if label == 0:
            image[0, offset, :] += 1.0
        elif label == 1:
            image[0, :, offset] += 1.0
        else:
            image[0] += np.eye(size, k=offset - size // 2)
    return images, labels


def test_a_few_hundred_sgd_steps_learn_bar_orientations():
    rng = np.random.default_rng(2024)
    x_train, t_train = bars(rng, 300)
    x_test, t_test = bars(rng, 150)
    np.random.seed(0)
    net = SimpleConvNet(input_dim=(1, 8, 8),
                        conv_param={'filter_num': 6, 'filter_size': 3, 'pad': 1, 'stride': 1},
                        hidden_size=20, output_size=3, weight_init_std=0.1)
    loss_before = net.loss(x_train, t_train)
    for step in range(300):
        batch = rng.choice(len(x_train), size=20, replace=False)
        grads = net.gradient(x_train[batch], t_train[batch])
        for name in PARAM_LAYERS:
            net.params[name] -= 0.1 * grads[name]  # in place: the layers see the update
    loss_after = net.loss(x_train, t_train)
    assert loss_after < 0.3 * loss_before
    assert net.accuracy(x_test, t_test) > 0.9  # chance is 1/3
