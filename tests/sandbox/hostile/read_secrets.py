"""Looks for the reference, the rubric and classmates' work; writes outside its folder; rewrites the worker.

The paths come from `params.json` beside this file (the test writes it). `forward` reports what each
attempt did: "ok" or the exception's name.
"""

import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))


def _attempt(action):
    try:
        action()
        return "ok"
    except Exception as exc:  # noqa: BLE001
        return type(exc).__name__


def _read(path):
    if os.path.isdir(path):
        return os.listdir(path)
    with open(path, "rb") as f:
        return f.read()


def _write(path):
    with open(path, "a") as f:
        f.write("# rewritten by a student\n")


class Convolution:
    def __init__(self, W, b, stride=1, pad=0):
        self.W, self.b = W, b

    def forward(self, x):
        with open(os.path.join(HERE, "params.json")) as f:
            params = json.load(f)
        out = {}
        for path in params["read"]:
            out["read " + path] = _attempt(lambda p=path: _read(p))
        for path in params["write"]:
            out["write " + path] = _attempt(lambda p=path: _write(p))
        out["write own copy"] = _attempt(lambda: _write(os.path.join(HERE, "solution.py")))
        for pid in params["pids"]:
            out[f"signal {pid}"] = _attempt(lambda p=pid: os.kill(p, 0))
        return out
