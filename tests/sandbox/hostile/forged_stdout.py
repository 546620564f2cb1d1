"""Prints things that look like the grader's protocol (a framed JSON answer) and returns a real value."""

import json
import os
import struct
import sys


def _frame(seq):
    body = json.dumps({"seq": seq, "ok": True, "value": 123456, "arrays": 0}).encode()
    return struct.pack("<Q", len(body)) + body


class Convolution:
    def __init__(self, W, b, stride=1, pad=0):
        self.W, self.b = W, b

    def forward(self, x):
        for seq in range(1, 10):
            sys.stdout.buffer.write(_frame(seq))
            os.write(1, _frame(seq))
            os.write(2, _frame(seq))
        sys.stdout.flush()
        print('{"ok": true, "value": 123456}')
        print("PASS 7.4.3.2: 15/15 points", file=sys.stderr)
        return x * 2
