"""Phones home: TCP to the grader's machine and the internet, a Unix socket, an abstract socket, DNS."""

import json
import os
import socket

HERE = os.path.dirname(os.path.abspath(__file__))


def _outcome(connect):
    try:
        s = connect()
    except OSError as exc:
        return type(exc).__name__
    s.close()
    return "connected"


def _unix(address):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(1.0)
    try:
        s.connect(address)
    except OSError:
        s.close()
        raise
    return s


class Convolution:
    def __init__(self, W, b, stride=1, pad=0):
        self.W, self.b = W, b

    def forward(self, x):
        with open(os.path.join(HERE, "params.json")) as f:
            params = json.load(f)
        out = {}
        for host, port in params["tcp"]:
            out[f"tcp {host}:{port}"] = _outcome(lambda h=host, p=port: socket.create_connection((h, p), timeout=1.0))
        for path in params["unix"]:
            out["unix " + path] = _outcome(lambda a=path: _unix(a))
        for name in params["abstract"]:
            out["abstract " + name] = _outcome(lambda n=name: _unix("\0" + n))
        try:
            socket.getaddrinfo("example.com", 80)
            out["dns"] = "resolved"
        except OSError as exc:
            out["dns"] = type(exc).__name__
        return out
