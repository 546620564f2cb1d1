"""SimpleConvNet of the book's chapter 7: Conv - ReLU - Pool - Affine - ReLU - Affine - Softmax.

Departures from the book, on purpose: `accuracy` also counts a last partial batch, and the
parameters are saved with `np.savez` (no pickle) and re-linked to the layers when loaded.
"""
from collections import OrderedDict

import numpy as np

from .gradient import numerical_gradient
from .layers import Affine, Convolution, Pooling, Relu, SoftmaxWithLoss

PARAM_NAMES = ("W1", "b1", "W2", "b2", "W3", "b3")
# which layer holds which parameter: name -> (layer key, attribute of the layer)
_PARAM_LAYERS = {
    "W1": ("Conv1", "W"), "b1": ("Conv1", "b"),
    "W2": ("Affine1", "W"), "b2": ("Affine1", "b"),
    "W3": ("Affine2", "W"), "b3": ("Affine2", "b"),
}


class SimpleConvNet:
    """A three-layer convolutional network with the book's constructor and methods."""

    def __init__(self, input_dim=(1, 28, 28),
                 conv_param={'filter_num': 30, 'filter_size': 5, 'pad': 0, 'stride': 1},
                 hidden_size=100, output_size=10, weight_init_std=0.01):
        filter_num = conv_param['filter_num']
        filter_size = conv_param['filter_size']
        filter_pad = conv_param['pad']
        filter_stride = conv_param['stride']
        input_size = input_dim[1]
        # OH = (H - FH + 2P) / S + 1; 2x2 pooling with stride 2 halves each side
        conv_output_size = (input_size - filter_size + 2 * filter_pad) / filter_stride + 1
        pool_output_size = int(filter_num * (conv_output_size / 2) * (conv_output_size / 2))

        self.params = {}
        self.params['W1'] = weight_init_std * \
            np.random.randn(filter_num, input_dim[0], filter_size, filter_size)
        self.params['b1'] = np.zeros(filter_num)
        self.params['W2'] = weight_init_std * np.random.randn(pool_output_size, hidden_size)
        self.params['b2'] = np.zeros(hidden_size)
        self.params['W3'] = weight_init_std * np.random.randn(hidden_size, output_size)
        self.params['b3'] = np.zeros(output_size)

        self.layers = OrderedDict()
        self.layers['Conv1'] = Convolution(self.params['W1'], self.params['b1'],
                                           conv_param['stride'], conv_param['pad'])
        self.layers['Relu1'] = Relu()
        self.layers['Pool1'] = Pooling(pool_h=2, pool_w=2, stride=2)
        self.layers['Affine1'] = Affine(self.params['W2'], self.params['b2'])
        self.layers['Relu2'] = Relu()
        self.layers['Affine2'] = Affine(self.params['W3'], self.params['b3'])

        self.last_layer = SoftmaxWithLoss()

    def predict(self, x):
        """Scores before softmax: every layer's forward in order."""
        for layer in self.layers.values():
            x = layer.forward(x)
        return x

    def loss(self, x, t):
        """Cross-entropy loss of softmax(predict(x)) against t (one-hot or labels)."""
        y = self.predict(x)
        return self.last_layer.forward(y, t)

    def accuracy(self, x, t, batch_size=100):
        """Fraction of samples whose arg-max score is the label; every sample counts."""
        if t.ndim != 1:
            t = np.argmax(t, axis=1)
        correct = 0
        for start in range(0, x.shape[0], batch_size):  # includes a last partial batch
            y = self.predict(x[start:start + batch_size])
            correct += int(np.sum(np.argmax(y, axis=1) == t[start:start + batch_size]))
        return correct / x.shape[0]

    def numerical_gradient(self, x, t):
        """Gradient of the loss by central differences (slow; to check `gradient`)."""
        loss_w = lambda w: self.loss(x, t)  # the layers share the arrays in params
        return {name: numerical_gradient(loss_w, self.params[name]) for name in PARAM_NAMES}

    def gradient(self, x, t):
        """Gradient of the loss by backpropagation."""
        self.loss(x, t)  # forward

        dout = self.last_layer.backward(1)
        for layer in reversed(list(self.layers.values())):
            dout = layer.backward(dout)

        grads = {}
        grads['W1'], grads['b1'] = self.layers['Conv1'].dW, self.layers['Conv1'].db
        grads['W2'], grads['b2'] = self.layers['Affine1'].dW, self.layers['Affine1'].db
        grads['W3'], grads['b3'] = self.layers['Affine2'].dW, self.layers['Affine2'].db
        return grads

    def save_params(self, file_name="params.npz"):
        """Write params to exactly `file_name` as an .npz archive (no pickle)."""
        with open(file_name, "wb") as f:
            np.savez(f, **self.params)

    def load_params(self, file_name="params.npz"):
        """Read params written by `save_params`; the layers then share the loaded arrays."""
        with np.load(file_name, allow_pickle=False) as data:
            missing = [name for name in PARAM_NAMES if name not in data.files]
            if missing:
                raise ValueError(f"{file_name} has no {', '.join(missing)}; "
                                 f"expected the arrays {', '.join(PARAM_NAMES)}")
            for name in PARAM_NAMES:
                self.params[name] = data[name]
        for name, (layer_key, attribute) in _PARAM_LAYERS.items():
            setattr(self.layers[layer_key], attribute, self.params[name])
