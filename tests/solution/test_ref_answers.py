"""The numeric answers of reference/answers.py, recomputed from their definitions."""
import numpy as np

from assignments.a5_cnn.reference.answers import ANSWERS
from assignments.a5_cnn.reference.simple_convnet import SimpleConvNet
from reference_oracles import conv_by_definition, out_size


def test_the_worked_convolution_is_the_sum_over_each_window():
    q = ANSWERS["7.2.2.1"]
    x = np.array(q["input"], dtype=float)[None, None]
    w = np.array(q["filter"], dtype=float)[None, None]
    out = conv_by_definition(x, w, np.zeros(1), q["stride"], q["pad"])
    np.testing.assert_array_equal(out[0, 0], q["output"])
    # every line of the working evaluates to its output, in row-major order
    for line, expected in zip(q["working"], np.ravel(q["output"])):
        expression, result = line.split("=")
        assert eval(expression) == int(result) == expected  # digits, * and + only


def test_the_output_size_with_padding_and_stride_follows_the_formula():
    q = ANSWERS["7.2.4"]
    (H, W), (FH, FW) = q["input"], q["filter"]
    assert (q["OH"], q["OW"]) == (out_size(H, FH, q["stride"], q["pad"]),
                                  out_size(W, FW, q["stride"], q["pad"])) == (6, 7)
    padded = np.pad(np.ones((1, 1, H, W)), [(0, 0), (0, 0), (2, 2), (2, 2)])
    assert conv_by_definition(padded, np.ones((1, 1, FH, FW)), np.zeros(1)).shape[2:] == (6, 7)


def test_a_4d_shape_reads_as_number_channels_height_width():
    q = ANSWERS["7.4.1.1"]
    assert tuple(q["shape"]) == (q["N"], q["C"], q["H"], q["W"]) == (105, 2, 50, 50)


def test_the_default_network_sizes_are_what_the_network_builds():
    q = ANSWERS["7.5.1.2"]
    np.random.seed(0)
    net = SimpleConvNet()
    assert net.params["W2"].shape[0] == q["pool_output_size"] == 4320
    x = np.zeros((1, 1, q["input_size"], q["input_size"]))
    conv_out = net.layers["Conv1"].forward(x)
    assert conv_out.shape == (1, q["filter_num"], q["conv_output_size"], q["conv_output_size"])
    pooled = net.layers["Pool1"].forward(conv_out)
    assert pooled.size == q["pool_output_size"]
