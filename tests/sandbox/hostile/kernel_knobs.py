"""Turns the kernel's knobs and fills the sandbox's own memory-backed folders.

A process whose kernel uid is root may write global sysctls even without capabilities; the worst is
kernel.core_pattern ("|/path/to/my/script" runs that script as root on the next crash). This one only
writes back the value it read, so a sandbox that fails the test changes nothing. It also tries to
create files in /, /etc and /dev (memory the student could fill) and to lift its own rlimits.
"""

import os
import resource


def _attempt(action):
    try:
        action()
        return "ok"
    except Exception as exc:  # noqa: BLE001
        return type(exc).__name__


def _write_back(path):
    with open(path) as f:
        value = f.read()
    with open(path, "w") as f:
        f.write(value)


def _create(path):
    with open(path, "w") as f:
        f.write("x")


def _raise_limit():
    resource.setrlimit(resource.RLIMIT_AS, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))


class Convolution:
    def __init__(self, W, b, stride=1, pad=0):
        self.W, self.b = W, b

    def forward(self, x):
        out = {}
        for knob in ("kernel/core_pattern", "kernel/panic", "vm/drop_caches", "kernel/hostname"):
            path = "/proc/sys/" + knob
            out[knob] = _attempt(lambda p=path: _write_back(p)) if knob != "vm/drop_caches" else \
                ("writable" if os.access(path, os.W_OK) else "PermissionError")
        for path in ("/pwned", "/etc/pwned", "/dev/pwned"):
            out[path] = _attempt(lambda p=path: _create(p))
        out["/dev/shm"] = _attempt(lambda: _create("/dev/shm/ok"))
        out["rlimit"] = _attempt(_raise_limit)
        return out
