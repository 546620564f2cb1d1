"""The reference SimpleConvNet cut into the slots the assignment asks for, as source text.

Questions 7.5.1.2 … 7.5.1.6 each fill one part of the class. To grade one question on the
student's code for that part alone (one bug costs once), the grader builds the class text from
the student's slot and these reference slots (`grader.sheets.assemble.convnet_source`).

Every slot is written at column 0; the assembler indents it. The class text expects these names
where it is executed: `np` (numpy), `OrderedDict`, the layers `Convolution`, `Relu`, `Pooling`,
`Affine`, `SoftmaxWithLoss`, and the function `numerical_gradient` (for the method of that name).
It behaves as `reference.simple_convnet.SimpleConvNet` (same parameters, layers and gradients).

This module is part of the TA's reference and is not shipped in the student kit.
"""

PRELUDE = """\
import numpy as np
from collections import OrderedDict
"""

CLASS_LINE = "class SimpleConvNet:"

DOCSTRING = '"""Conv - ReLU - Pool - Affine - ReLU - Affine - Softmax (the book\'s chapter 7)."""'

INIT_SIGNATURE = """\
def __init__(self, input_dim=(1, 28, 28),
             conv_param={'filter_num': 30, 'filter_size': 5, 'pad': 0, 'stride': 1},
             hidden_size=100, output_size=10, weight_init_std=0.01):"""

# 7.5.1.2: the convolution's hyper-parameters out of conv_param, and the output sizes.
SIZES = """\
filter_num = conv_param['filter_num']
filter_size = conv_param['filter_size']
filter_pad = conv_param['pad']
filter_stride = conv_param['stride']
input_size = input_dim[1]
# OH = (H - FH + 2P) / S + 1; 2x2 pooling with stride 2 halves each side
conv_output_size = (input_size - filter_size + 2 * filter_pad) / filter_stride + 1
pool_output_size = int(filter_num * (conv_output_size / 2) * (conv_output_size / 2))
"""

# 7.5.1.3: the weights (standard deviation weight_init_std) and zero biases, in self.params.
PARAMS = """\
self.params = {}
self.params['W1'] = weight_init_std * \\
    np.random.randn(filter_num, input_dim[0], filter_size, filter_size)
self.params['b1'] = np.zeros(filter_num)
self.params['W2'] = weight_init_std * np.random.randn(pool_output_size, hidden_size)
self.params['b2'] = np.zeros(hidden_size)
self.params['W3'] = weight_init_std * np.random.randn(hidden_size, output_size)
self.params['b3'] = np.zeros(output_size)
"""

# 7.5.1.4: the layers in order, sharing the arrays of self.params, and the loss layer.
LAYERS = """\
self.layers = OrderedDict()
self.layers['Conv1'] = Convolution(self.params['W1'], self.params['b1'],
                                   conv_param['stride'], conv_param['pad'])
self.layers['Relu1'] = Relu()
self.layers['Pool1'] = Pooling(pool_h=2, pool_w=2, stride=2)
self.layers['Affine1'] = Affine(self.params['W2'], self.params['b2'])
self.layers['Relu2'] = Relu()
self.layers['Affine2'] = Affine(self.params['W3'], self.params['b3'])

self.last_layer = SoftmaxWithLoss()
"""

# 7.5.1.5: inference and loss.
PREDICT_LOSS = """\
def predict(self, x):
    for layer in self.layers.values():
        x = layer.forward(x)
    return x

def loss(self, x, t):
    y = self.predict(x)
    return self.last_layer.forward(y, t)
"""

# 7.5.1.6: the gradient by backpropagation.
GRADIENT = """\
def gradient(self, x, t):
    # forward
    self.loss(x, t)

    # backward
    dout = 1
    dout = self.last_layer.backward(dout)

    layers = list(self.layers.values())
    layers.reverse()
    for layer in layers:
        dout = layer.backward(dout)

    grads = {}
    grads['W1'], grads['b1'] = self.layers['Conv1'].dW, self.layers['Conv1'].db
    grads['W2'], grads['b2'] = self.layers['Affine1'].dW, self.layers['Affine1'].db
    grads['W3'], grads['b3'] = self.layers['Affine2'].dW, self.layers['Affine2'].db
    return grads
"""

# Methods no question asks for, needed to train and check the network.
OTHER_METHODS = """\
def accuracy(self, x, t, batch_size=100):
    if t.ndim != 1:
        t = np.argmax(t, axis=1)
    correct = 0
    for start in range(0, x.shape[0], batch_size):
        y = self.predict(x[start:start + batch_size])
        correct += int(np.sum(np.argmax(y, axis=1) == t[start:start + batch_size]))
    return correct / x.shape[0]

def numerical_gradient(self, x, t):
    loss_w = lambda w: self.loss(x, t)
    grads = {}
    for name in ('W1', 'b1', 'W2', 'b2', 'W3', 'b3'):
        grads[name] = numerical_gradient(loss_w, self.params[name])
    return grads
"""

INIT_SLOTS = ("7.5.1.2", "7.5.1.3", "7.5.1.4")  # statements of __init__, in this order
METHOD_SLOTS = ("7.5.1.5", "7.5.1.6")  # methods of the class
SLOTS = {
    "7.5.1.2": SIZES,
    "7.5.1.3": PARAMS,
    "7.5.1.4": LAYERS,
    "7.5.1.5": PREDICT_LOSS,
    "7.5.1.6": GRADIENT,
}
