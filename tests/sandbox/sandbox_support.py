"""Helpers of the sandbox tests: a class folder with one hostile submission, its worker, process checks.

Every hostile submission (`hostile/*.py`) is a whole submission defining `Convolution(W, b, stride=1,
pad=0)` whose `forward(x)` attacks. It sits in a class folder beside an honest classmate and a
`reports/` folder, is copied for its worker as the grader does (`copy_submission`), and reads what it
needs to know (paths, a marker) from `params.json` beside it. Processes a hostile submission starts
carry a unique marker in their environment (and the worker's environment names its private folder),
so a test can look for survivors in /proc.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import shutil
import signal
import time
import uuid
from pathlib import Path
from typing import Any, Callable

import numpy as np

from grader.sandbox.client import Worker, copy_submission
from grader.sandbox.launch import Launcher, plain_launcher
from grader.sandbox.limits import Limits

HOSTILE = Path(__file__).parent / "hostile"
REPO = Path(__file__).resolve().parents[2]


def limits(**changes: Any) -> Limits:
    return dataclasses.replace(Limits(), **changes)


def marked(*markers: str) -> list[int]:
    """Processes other than this one whose command line or environment contains one of the markers."""
    needles = [m.encode() for m in markers]
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == os.getpid():
            continue
        blob = b""
        for part in ("cmdline", "environ"):
            try:
                with open(f"/proc/{entry}/{part}", "rb") as f:
                    blob += f.read()
            except OSError:
                pass
        if any(n in blob for n in needles):
            found.append(int(entry))
    return found


def wait_until(condition: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under a folder and the hash of its bytes."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def naive_convolution(x: np.ndarray, W: np.ndarray, b: np.ndarray, stride: int, pad: int) -> np.ndarray:
    """The definition: the sum over each window, independent of any im2col."""
    N, C, H, Wd = x.shape
    FN, _, FH, FW = W.shape
    xp = np.pad(x, [(0, 0), (0, 0), (pad, pad), (pad, pad)])
    oh, ow = (H + 2 * pad - FH) // stride + 1, (Wd + 2 * pad - FW) // stride + 1
    out = np.zeros((N, FN, oh, ow))
    for n in range(N):
        for f in range(FN):
            for i in range(oh):
                for j in range(ow):
                    window = xp[n, :, i * stride:i * stride + FH, j * stride:j * stride + FW]
                    out[n, f, i, j] = np.sum(window * W[f]) + b[f]
    return out


class Student:
    """One hostile submission in a class folder, its private copy and its worker."""

    def __init__(self, root: Path, hostile: str, launcher: Launcher, limits: Limits | None = None) -> None:
        self.root = root
        self.hostile = hostile
        self.launcher = launcher
        self.limits = limits or Limits()
        self.marker = f"grader-sandbox-test-{uuid.uuid4().hex}"
        self.class_dir = root / "class"
        self.original = self.class_dir / "attacker"
        self.classmate = self.class_dir / "classmate"
        self.reports = root / "reports"
        for folder in (self.original, self.classmate, self.reports):
            folder.mkdir(parents=True)
        shutil.copy(HOSTILE / "honest.py", self.classmate / "solution.py")
        shutil.copy(HOSTILE / f"{hostile}.py", self.original / "solution.py")
        (self.reports / "results.json").write_text('{"students": []}\n')
        self.workdir = root / "work" / "submission"  # where copy_submission puts the private copy
        self.worker: Worker | None = None

    def setup(self, **params: Any) -> Student:
        (self.original / "params.json").write_text(json.dumps({"marker": self.marker, **params}))
        self.before = {"original": snapshot(self.original), "classmate": snapshot(self.classmate),
                       "reports": snapshot(self.reports)}
        copied = copy_submission(self.original, self.workdir.parent)
        assert copied == self.workdir
        self.worker = Worker(self.workdir, self.limits, self.launcher)
        return self

    def untouched(self) -> dict[str, bool]:
        return {"original": snapshot(self.original) == self.before["original"],
                "classmate": snapshot(self.classmate) == self.before["classmate"],
                "reports": snapshot(self.reports) == self.before["reports"]}

    def load(self) -> dict[str, Any]:
        assert self.worker is not None, "call setup() first"
        source = (self.workdir / "solution.py").read_text()
        return self.worker.request("load", {"program": "student", "spec": {
            "root": str(self.workdir), "modules": [{"name": "solution", "file": "solution.py", "source": source}],
            "exports": {"Convolution": "solution"}}}, timeout=self.limits.load_seconds)

    def convolution(self, W: np.ndarray | None = None, b: np.ndarray | None = None, stride: int = 1, pad: int = 0) -> Any:
        report = self.load()
        assert report["exports"] == {"Convolution": "type"}, report
        W = np.ones((1, 1, 2, 2)) if W is None else W
        b = np.zeros(1) if b is None else b
        return self.worker.request("call", {"target": {"program": "student", "name": "Convolution"},
                                            "args": [W, b], "kwargs": {"stride": stride, "pad": pad}})

    def forward(self, conv: Any, x: np.ndarray | None = None) -> Any:
        x = np.ones((1, 1, 3, 3)) if x is None else x
        return self.worker.request("call", {"target": conv, "method": "forward", "args": [x]})

    def survivors(self) -> list[int]:
        """Processes of this student still alive: marked, or with its private folder in their environment."""
        return marked(self.marker, str(self.workdir))

    def close(self) -> None:
        if self.worker is not None:
            self.worker.cleanup()
        for pid in self.survivors():  # leave the machine clean even when a test failed
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass


def sandboxed(launcher: Launcher) -> bool:
    return launcher is not plain_launcher
