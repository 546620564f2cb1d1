import numpy as np


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


class SigmoidLayer:
    def __init__(self):
        self.y = None

    def forward(self, x):
        self.y = sigmoid(x)
        return self.y

    def backward(self, dout):
        return dout * (1.0 - self.y) * self.y
