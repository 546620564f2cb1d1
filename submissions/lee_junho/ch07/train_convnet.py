# coding: utf-8
# 7장 SimpleConvNet 으로 MNIST 학습시키기 (과제 실행 결과 캡처용)
import sys, os
sys.path.append(os.pardir)  # 부모 디렉터리의 파일을 가져올 수 있도록 설정
import numpy as np
from dataset.mnist import load_mnist
import matplotlib.pyplot as plt
from simple_convnet import SimpleConvNet
from common.util import smooth_curve

# 데이터 읽기
(x_train, t_train), (x_test, t_test) = load_mnist(flatten=False)

# 시간이 오래 걸릴 경우 데이터를 줄인다.
x_train, t_train = x_train[:5000], t_train[:5000]
x_test, t_test = x_test[:1000], t_test[:1000]

max_epochs = 20
batch_size = 100
learning_rate = 0.001

network = SimpleConvNet(input_dim=(1, 28, 28),
                        conv_param={'filter_num': 30, 'filter_size': 5, 'pad': 0, 'stride': 1},
                        hidden_size=100, output_size=10, weight_init_std=0.01)

# Adam (책 6장 내용 직접 옮김)
m, v = {}, {}
for key, val in network.params.items():
    m[key] = np.zeros_like(val)
    v[key] = np.zeros_like(val)
beta1, beta2 = 0.9, 0.999

train_size = x_train.shape[0]
iter_per_epoch = max(train_size // batch_size, 1)
max_iter = max_epochs * iter_per_epoch

train_loss_list = []
train_acc_list = []
test_acc_list = []

for i in range(1, max_iter + 1):
    batch_mask = np.random.choice(train_size, batch_size)
    x_batch = x_train[batch_mask]
    t_batch = t_train[batch_mask]

    grads = network.gradient(x_batch, t_batch)

    lr_t = learning_rate * np.sqrt(1.0 - beta2 ** i) / (1.0 - beta1 ** i)
    for key in network.params.keys():
        m[key] += (1 - beta1) * (grads[key] - m[key])
        v[key] += (1 - beta2) * (grads[key] ** 2 - v[key])
        network.params[key] -= lr_t * m[key] / (np.sqrt(v[key]) + 1e-7)

    loss = network.loss(x_batch, t_batch)
    train_loss_list.append(loss)
    print("train loss:" + str(loss))

    if i % iter_per_epoch == 0:
        train_acc = network.accuracy(x_train, t_train)
        test_acc = network.accuracy(x_test, t_test)
        train_acc_list.append(train_acc)
        test_acc_list.append(test_acc)
        print("=== epoch:" + str(i // iter_per_epoch) + ", train acc:" + str(train_acc)
              + ", test acc:" + str(test_acc) + " ===")

# 매개변수 보관
network.save_params("params.pkl")
print("Saved Network Parameters!")

# 그래프 그리기
markers = {'train': 'o', 'test': 's'}
x = np.arange(max_epochs)
plt.plot(x, train_acc_list, marker='o', label='train', markevery=2)
plt.plot(x, test_acc_list, marker='s', label='test', markevery=2)
plt.xlabel("epochs")
plt.ylabel("accuracy")
plt.ylim(0, 1.0)
plt.legend(loc='lower right')
plt.show()

plt.figure()
plt.plot(np.arange(len(train_loss_list)), smooth_curve(train_loss_list))
plt.xlabel("iterations")
plt.ylabel("loss")
plt.show()
