"""`--train`: the student's own SimpleConvNet, trained briefly, for question 7.6.1 in pictures.

The data set is made here (nothing is downloaded): 12×12 images of four stroke directions
(horizontal, vertical, two diagonals) with noise. The grader drives plain SGD through the
worker — `gradient(x, t)`, then the updated params written back in place — and keeps the loss
curve and the first-layer filters before and after, as in the book's figure 7-24. Training never
changes a grade: it is a picture for the card.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from grader.i18n import t as msg
from grader.sandbox.session import Session, StudentError, WorkerFault

KEYS = ("W1", "b1", "W2", "b2", "W3", "b3")
CONFIG = {"input_dim": (1, 12, 12), "conv_param": {"filter_num": 8, "filter_size": 3, "pad": 1, "stride": 1},
          "hidden_size": 24, "output_size": 4, "weight_init_std": 0.1}
CLASSES = ("horizontal", "vertical", "diagonal_down", "diagonal_up")  # names of the labels 0–3 (train.class.*)


def strokes(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """n images (n, 1, 12, 12) of the four stroke directions at random places, plus noise; labels (n,)."""
    rng = np.random.default_rng(seed)
    x = rng.normal(0, 0.15, size=(n, 1, 12, 12))
    t = rng.integers(0, 4, size=n)
    for i, k in enumerate(t):
        off = int(rng.integers(2, 10))
        if k == 0:
            x[i, 0, off, 1:11] += 1.0
        elif k == 1:
            x[i, 0, 1:11, off] += 1.0
        else:
            shift = int(rng.integers(-3, 4))
            for j in range(12):
                col = j + shift if k == 2 else 11 - j + shift
                if 0 <= col < 12:
                    x[i, 0, j, col] += 1.0
    return x, t


def train(session: Session, program: str, *, steps: int = 120, batch: int = 20, lr: float = 0.1,
          seed: int = 0) -> dict[str, Any]:
    """Train the student's network; returns the loss curve, accuracy, and W1 before and after."""
    x, t = strokes(400, seed)
    x_test, t_test = strokes(200, seed + 1)
    rng = np.random.default_rng(seed)
    record: dict[str, Any] = {"steps": steps, "batch": batch, "lr": lr, "loss": [],
                              "classes": [msg(f"train.class.{c}") for c in CLASSES]}
    try:
        session.seed(seed)
        net = session.new(program, "SimpleConvNet", **CONFIG)
        params = {k: np.array(v, dtype=float) for k, v in session.get(net, "params").items()}
        record["filters_before"] = params["W1"][:, 0].round(4).tolist()
        for step in range(steps):
            idx = rng.choice(len(x), batch, replace=False)
            grads = session.call(net, "gradient", x[idx], t[idx])
            lower = {str(k).lower(): v for k, v in grads.items()}
            for k in KEYS:
                params[k] = params[k] - lr * np.asarray(lower[k.lower()], dtype=float)
                session.assign(net, ["params", (k,)], params[k])
            if step % 5 == 0 or step == steps - 1:
                record["loss"].append([step, float(session.call(net, "loss", x[idx], t[idx]))])
        scores = session.call(net, "predict", x_test)
        record["accuracy"] = float(np.mean(np.argmax(scores, axis=1) == t_test))
        record["filters_after"] = params["W1"][:, 0].round(4).tolist()
        record["status"] = "ok"
    except (StudentError, WorkerFault, KeyError, TypeError, ValueError, AttributeError) as exc:
        record["status"] = "failed"
        record["message"] = msg("train.incomplete", type=type(exc).__name__, error=exc)
    return record
