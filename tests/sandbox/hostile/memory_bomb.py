"""Memory bombs: one 8 GB array ("big"), or 32 MB chunks, each touched, until something gives ("grow")."""

import json
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))


class Convolution:
    def __init__(self, W, b, stride=1, pad=0):
        self.W, self.b = W, b

    def forward(self, x):
        with open(os.path.join(HERE, "params.json")) as f:
            mode = json.load(f)["mode"]
        if mode == "big":
            hog = np.ones(8 << 30, dtype=np.uint8)
            return float(hog.sum())
        hogs = []
        while True:
            hogs.append(np.ones(32 << 20, dtype=np.uint8))
