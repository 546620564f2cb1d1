"""Stops the worker from inside forward: os._exit(0), sys.exit(3), a segfault, or abort()."""

import ctypes
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


class Convolution:
    def __init__(self, W, b, stride=1, pad=0):
        self.W, self.b = W, b

    def forward(self, x):
        with open(os.path.join(HERE, "params.json")) as f:
            mode = json.load(f)["mode"]
        if mode == "exit0":
            os._exit(0)
        if mode == "sysexit":
            sys.exit(3)
        if mode == "segfault":
            ctypes.string_at(0)
        if mode == "abort":
            os.abort()
        return x
