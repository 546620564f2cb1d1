"""Reference answers of the numeric questions of Assignment #5, as plain data.

Keys are the question numbers of the assignment. The book's "합성곱" is a
cross-correlation: out[i, j] = sum_{u, v} input[i + u, j + v] * filter[u, v].
"""

# 7.2.2.1: apply the filter to the input (stride 1, no padding)
Q7_2_2_1 = {
    "input": [[3, 3, 2], [0, 5, 1], [4, 2, 2]],
    "filter": [[1, 2], [3, 2]],
    "stride": 1,
    "pad": 0,
    "output": [[19, 24], [26, 17]],
    "working": [
        "3*1 + 3*2 + 0*3 + 5*2 = 19",
        "3*1 + 2*2 + 5*3 + 1*2 = 24",
        "0*1 + 5*2 + 4*3 + 2*2 = 26",
        "5*1 + 1*2 + 2*3 + 2*2 = 17",
    ],
}

# 7.2.4: OH = (H + 2P - FH)/S + 1, OW = (W + 2P - FW)/S + 1
Q7_2_4 = {
    "input": (5, 6),
    "pad": 2,
    "stride": 1,
    "filter": (4, 4),
    "OH": 6,  # (5 + 2*2 - 4)/1 + 1
    "OW": 7,  # (6 + 2*2 - 4)/1 + 1
}

# 7.4.1.1: a 4-D array is (N, C, H, W)
Q7_4_1_1 = {
    "shape": (105, 2, 50, 50),
    "N": 105,  # number of data
    "C": 2,  # channels
    "H": 50,  # height
    "W": 50,  # width
    "meaning": "높이 50, 너비 50, 채널 2개인 데이터가 105개",
}

# 7.5.1.2: the default SimpleConvNet (28x28 input, 30 filters of 5x5, pad 0, stride 1)
Q7_5_1_2 = {
    "input_size": 28,
    "filter_num": 30,
    "filter_size": 5,
    "pad": 0,
    "stride": 1,
    "conv_output_size": 24,  # (28 - 5 + 2*0)/1 + 1
    "pool_output_size": 4320,  # 30 * (24/2) * (24/2)
}

ANSWERS = {
    "7.2.2.1": Q7_2_2_1,
    "7.2.4": Q7_2_4,
    "7.4.1.1": Q7_4_1_1,
    "7.5.1.2": Q7_5_1_2,
}
