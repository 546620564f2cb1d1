"""
딥러닝 과제5 (7장 CNN) - 박서연

im2col 방식이 잘 이해가 안 돼서 Convolution이랑 Pooling은
for문으로 필터(창)를 한 칸씩 옮기면서 직접 계산하는 방식으로 짰습니다.
느리지만 결과는 im2col 버전이랑 같게 나오는 것 확인했습니다.
im2col / col2im 함수는 과제에 있어서 따로 구현해 두었습니다.
"""
import numpy as np
from collections import OrderedDict


def im2col(input_data, filter_h, filter_w, stride=1, pad=0):
    # 입력 (N, C, H, W) -> (N*OH*OW, C*FH*FW)
    N, C, H, W = input_data.shape
    OH = (H + 2 * pad - filter_h) // stride + 1
    OW = (W + 2 * pad - filter_w) // stride + 1
    img = np.pad(input_data, ((0, 0), (0, 0), (pad, pad), (pad, pad)), mode='constant')

    col = np.zeros((N, OH, OW, C, filter_h, filter_w))
    for i in range(OH):
        for j in range(OW):
            hs = i * stride
            ws = j * stride
            col[:, i, j, :, :, :] = img[:, :, hs:hs + filter_h, ws:ws + filter_w]
    return col.reshape(N * OH * OW, -1)


def col2im(col, input_shape, filter_h, filter_w, stride=1, pad=0):
    # im2col의 반대. 창끼리 겹치는 곳은 값을 더해 준다
    N, C, H, W = input_shape
    OH = (H + 2 * pad - filter_h) // stride + 1
    OW = (W + 2 * pad - filter_w) // stride + 1
    col = col.reshape(N, OH, OW, C, filter_h, filter_w)

    img = np.zeros((N, C, H + 2 * pad, W + 2 * pad))
    for i in range(OH):
        for j in range(OW):
            hs = i * stride
            ws = j * stride
            img[:, :, hs:hs + filter_h, ws:ws + filter_w] += col[:, i, j, :, :, :]
    return img[:, :, pad:pad + H, pad:pad + W]


def softmax(x):
    if x.ndim == 2:
        c = np.max(x, axis=1, keepdims=True)
        e = np.exp(x - c)
        return e / np.sum(e, axis=1, keepdims=True)
    c = np.max(x)
    e = np.exp(x - c)
    return e / np.sum(e)


def cross_entropy_error(y, t):
    if y.ndim == 1:
        y = y.reshape(1, -1)
        t = t.reshape(1, -1)
    if t.size == y.size:  # 원핫이면 라벨로
        t = np.argmax(t, axis=1)
    n = y.shape[0]
    delta = 1e-7
    return -np.sum(np.log(y[np.arange(n), t] + delta)) / n


def numerical_gradient(f, x):
    h = 1e-4
    grad = np.zeros_like(x)
    for idx in np.ndindex(*x.shape):
        old = x[idx]
        x[idx] = old + h
        f1 = f(x)
        x[idx] = old - h
        f2 = f(x)
        grad[idx] = (f1 - f2) / (2 * h)
        x[idx] = old
    return grad


class Relu:
    def __init__(self):
        self.mask = None

    def forward(self, x):
        self.mask = (x <= 0)
        out = x.copy()
        out[self.mask] = 0
        return out

    def backward(self, dout):
        dx = dout.copy()
        dx[self.mask] = 0
        return dx


class Affine:
    def __init__(self, W, b):
        self.W = W
        self.b = b
        self.x = None
        self.x_shape = None
        self.dW = None
        self.db = None

    def forward(self, x):
        self.x_shape = x.shape           # 4차원으로 들어오면 나중에 복원해야 함
        self.x = x.reshape(x.shape[0], -1)
        return self.x @ self.W + self.b

    def backward(self, dout):
        self.dW = self.x.T @ dout
        self.db = dout.sum(axis=0)
        dx = dout @ self.W.T
        return dx.reshape(self.x_shape)


class SoftmaxWithLoss:
    def __init__(self):
        self.loss = None
        self.y = None
        self.t = None

    def forward(self, x, t):
        self.t = t
        self.y = softmax(x)
        self.loss = cross_entropy_error(self.y, t)
        return self.loss

    def backward(self, dout=1):
        n = self.t.shape[0]
        if self.t.size == self.y.size:
            dx = (self.y - self.t) / n
        else:
            dx = self.y.copy()
            dx[np.arange(n), self.t] -= 1
            dx = dx / n
        return dx * dout


class Convolution:
    def __init__(self, W, b, stride=1, pad=0):
        self.W = W
        self.b = b
        self.stride = stride
        self.pad = pad

        self.x = None
        self.col = None     # im2col 안 써서 사용 안 함
        self.col_W = None   # im2col 안 써서 사용 안 함
        self.dW = None
        self.db = None

    def forward(self, x):
        FN, C, FH, FW = self.W.shape
        N, C, H, W = x.shape
        OH = (H + 2 * self.pad - FH) // self.stride + 1
        OW = (W + 2 * self.pad - FW) // self.stride + 1

        xp = np.pad(x, ((0, 0), (0, 0), (self.pad, self.pad), (self.pad, self.pad)), mode='constant')
        out = np.zeros((N, FN, OH, OW))

        # 출력의 (i, j) 위치마다 창을 잘라서 필터와 곱해서 다 더함
        for i in range(OH):
            for j in range(OW):
                hs = i * self.stride
                ws = j * self.stride
                window = xp[:, :, hs:hs + FH, ws:ws + FW]          # (N, C, FH, FW)
                for f in range(FN):
                    out[:, f, i, j] = np.sum(window * self.W[f], axis=(1, 2, 3)) + self.b[f]

        self.x = x
        return out

    def backward(self, dout):
        FN, C, FH, FW = self.W.shape
        N, C, H, W = self.x.shape
        OH, OW = dout.shape[2], dout.shape[3]
        p, s = self.pad, self.stride

        xp = np.pad(self.x, ((0, 0), (0, 0), (p, p), (p, p)), mode='constant')
        dxp = np.zeros_like(xp, dtype=float)
        self.dW = np.zeros_like(self.W, dtype=float)
        self.db = np.sum(dout, axis=(0, 2, 3))

        for i in range(OH):
            for j in range(OW):
                hs = i * s
                ws = j * s
                window = xp[:, :, hs:hs + FH, ws:ws + FW]
                for f in range(FN):
                    d = dout[:, f, i, j].reshape(N, 1, 1, 1)
                    self.dW[f] += np.sum(d * window, axis=0)
                    dxp[:, :, hs:hs + FH, ws:ws + FW] += d * self.W[f]

        dx = dxp[:, :, p:p + H, p:p + W]   # 패딩 부분 잘라내기
        return dx


class Pooling:
    def __init__(self, pool_h, pool_w, stride=1, pad=0):
        self.pool_h = pool_h
        self.pool_w = pool_w
        self.stride = stride
        self.pad = pad

        self.x = None
        self.arg_max = None

    def forward(self, x):
        N, C, H, W = x.shape
        OH = (H - self.pool_h) // self.stride + 1
        OW = (W - self.pool_w) // self.stride + 1

        out = np.zeros((N, C, OH, OW))
        # 창 안에서 최댓값 위치 (창을 1줄로 폈을 때의 인덱스)
        self.arg_max = np.zeros((N, C, OH, OW), dtype=int)

        for i in range(OH):
            for j in range(OW):
                hs = i * self.stride
                ws = j * self.stride
                window = x[:, :, hs:hs + self.pool_h, ws:ws + self.pool_w].reshape(N, C, -1)
                out[:, :, i, j] = np.max(window, axis=2)
                self.arg_max[:, :, i, j] = np.argmax(window, axis=2)

        self.x = x
        return out

    def backward(self, dout):
        N, C, H, W = self.x.shape
        OH, OW = dout.shape[2], dout.shape[3]
        dx = np.zeros((N, C, H, W))

        for n in range(N):
            for c in range(C):
                for i in range(OH):
                    for j in range(OW):
                        k = self.arg_max[n, c, i, j]
                        r = i * self.stride + k // self.pool_w
                        q = j * self.stride + k % self.pool_w
                        # 최댓값이었던 자리에만 기울기 전달 (겹치면 더함)
                        dx[n, c, r, q] += dout[n, c, i, j]
        return dx


class SimpleConvNet:
    """conv - relu - pool - affine - relu - affine - softmax"""

    def __init__(self, input_dim=(1, 28, 28),
                 conv_param={'filter_num': 30, 'filter_size': 5, 'pad': 0, 'stride': 1},
                 hidden_size=100, output_size=10, weight_init_std=0.01):
        filter_num = conv_param['filter_num']
        filter_size = conv_param['filter_size']
        filter_pad = conv_param['pad']
        filter_stride = conv_param['stride']
        input_size = input_dim[1]
        conv_output_size = (input_size - filter_size + 2 * filter_pad) // filter_stride + 1
        pool_output_size = int(filter_num * (conv_output_size / 2) * (conv_output_size / 2))

        self.params = {}
        self.params['W1'] = weight_init_std * np.random.randn(filter_num, input_dim[0], filter_size, filter_size)
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
        for layer in self.layers.values():
            x = layer.forward(x)
        return x

    def loss(self, x, t):
        y = self.predict(x)
        return self.last_layer.forward(y, t)

    def accuracy(self, x, t, batch_size=100):
        if t.ndim != 1:
            t = np.argmax(t, axis=1)
        correct = 0
        for start in range(0, x.shape[0], batch_size):
            y = self.predict(x[start:start + batch_size])
            correct += np.sum(np.argmax(y, axis=1) == t[start:start + batch_size])
        return correct / x.shape[0]

    def numerical_gradient(self, x, t):
        f = lambda _: self.loss(x, t)
        grads = {}
        for key in ('W1', 'b1', 'W2', 'b2', 'W3', 'b3'):
            grads[key] = numerical_gradient(f, self.params[key])
        return grads

    def gradient(self, x, t):
        # 순전파
        self.loss(x, t)

        # 역전파
        dout = 1
        dout = self.last_layer.backward(dout)
        layers = list(self.layers.values())
        layers.reverse()
        for layer in layers:
            dout = layer.backward(dout)

        grads = {}
        grads['W1'] = self.layers['Conv1'].dW
        grads['b1'] = self.layers['Conv1'].db
        grads['W2'] = self.layers['Affine1'].dW
        grads['b2'] = self.layers['Affine1'].db
        grads['W3'] = self.layers['Affine2'].dW
        grads['b3'] = self.layers['Affine2'].db
        return grads
