"""Disk bombs: one 100 MB file in its own folder ("file"), or 10 MB files in /tmp until it is full ("tmp")."""

import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
MB = b"x" * (1 << 20)


class Convolution:
    def __init__(self, W, b, stride=1, pad=0):
        self.W, self.b = W, b

    def forward(self, x):
        with open(os.path.join(HERE, "params.json")) as f:
            mode = json.load(f)["mode"]
        if mode == "file":
            with open(os.path.join(HERE, "big.bin"), "wb") as f:
                for _ in range(100):
                    f.write(MB)
                    f.flush()
            return 100
        written = 0
        for i in range(20):
            with open(f"/tmp/fill-{i}.bin", "wb") as f:
                for _ in range(10):
                    f.write(MB)
                    f.flush()
                    written += 1
        return written
