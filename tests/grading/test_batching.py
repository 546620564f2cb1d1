"""A property's examples run in batches: few round trips, the same outcomes as a plain Hypothesis run.

The batch protocol (one frame per answered item, the call limit per item, answers before a hang
kept), the replay of check bodies, the shipped example lists, and the promise behind them: a
failing submission gets exactly the shrunk counterexample a plain run gives, a passing one never
needs Hypothesis.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Iterator

import numpy as np
import pytest

import grader.checks.props as props
from grader.checks import Context, registry
from grader.checks.cases import path as cases_path, _shipped, case_list, generate
from grader.checks.cases import properties
from grader.sandbox.client import Worker
from grader.sandbox.launch import plain_launcher
from grader.sandbox.limits import Limits
from grader.sandbox.replay import ReplayMismatch
from grader.sandbox.session import ProgramSpec, Session, StudentError

from grading_support import SAMPLE

CONV = """
import numpy as np

class Convolution:
    def __init__(self, W, b, stride=1, pad=0):
        self.W, self.b, self.stride, self.pad = W, b, stride, pad

    def forward(self, x):
        N, C, H, W = x.shape
        FN, _, FH, FW = self.W.shape
        s, p = self.stride, self.pad
        OH, OW = (H + 2 * p - FH) // s + 1, (W + 2 * p - FW) // s + 1
        xp = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)))
        out = np.zeros((N, FN, OH, OW))
        for i in range(OH):
            for j in range(OW):
                patch = xp[:, :, i * s:i * s + FH, j * s:j * s + FW]
                out[:, :, i, j] = np.tensordot(patch, self.W, axes=([1, 2, 3], [1, 2, 3])){bias}
        return {ret}
"""


def conv_source(bias: str = " + self.b", ret: str = "out", extra: str = "") -> str:
    return CONV.replace("{bias}", bias).replace("{ret}", ret) + textwrap.dedent(extra)


@pytest.fixture
def session(tmp_path: Path) -> Iterator:
    made: list[Session] = []

    def make(source: str, call_seconds: float = 10.0) -> Session:
        folder = tmp_path / f"s{len(made)}" / "submission"  # as copy_submission names the private copy
        folder.mkdir(parents=True)
        (folder / "solution.py").write_text(source)
        worker = Worker(folder, Limits(call_seconds=call_seconds), plain_launcher)
        spec = ProgramSpec("student", [{"name": "solution", "file": "solution.py", "source": source}],
                           exports={"Convolution": "solution"}, root=str(folder))
        s = Session(worker, {"student": spec})
        made.append(s)
        return s

    yield make
    for s in made:
        s.worker.cleanup()


def _context(s: Session) -> Context:
    return Context(s, "student", "7.4.3.2", {})


def _new(W: np.ndarray, stride: int = 1) -> list[dict]:
    return [{"op": "call", "payload": {"target": {"program": "student", "name": "Convolution"},
                                       "args": [W, np.zeros(W.shape[0])], "kwargs": {"stride": stride}}}]


# ── the protocol ───────────────────────────────────────────────────────────────────────────────

def test_a_batch_answers_every_item_in_order_each_with_its_own_exception(session) -> None:
    s = session(conv_source())
    s.load("student")
    layers, fault = s.worker.batch([_new(np.ones((1, 1, 2, 2))), _new(np.ones((2, 1, 1, 1)))])
    assert fault is None and [r.type for r in layers] == ["Convolution", "Convolution"]
    x = np.arange(9.0).reshape(1, 1, 3, 3)
    answers, fault = s.worker.batch([
        [{"op": "call", "payload": {"target": layers[0], "method": "forward", "args": [x]}}],
        [{"op": "call", "payload": {"target": layers[1], "method": "forward", "args": ["not an array"]}}],
        [{"op": "call", "payload": {"target": layers[1], "method": "forward", "args": [x]}}],
    ])
    assert fault is None
    assert np.array_equal(answers[0], [[[[8, 12], [20, 24]]]])
    assert isinstance(answers[1], StudentError) and answers[1].type_name == "AttributeError"
    assert answers[2].shape == (1, 2, 3, 3)


def test_a_hang_keeps_the_answers_before_it_and_names_the_time_limit(session) -> None:
    s = session(conv_source(extra="""
        import time
        _forward = Convolution.forward
        def forward(self, x):
            while x.shape[0] == 3:
                time.sleep(0.05)
            return _forward(self, x)
        Convolution.forward = forward
        """), call_seconds=1.0)
    s.load("student")
    (layer,), _ = s.worker.batch([_new(np.ones((1, 1, 1, 1)))])
    items = [[{"op": "call", "payload": {"target": layer, "method": "forward", "args": [np.ones((n, 1, 2, 2))]}}]
             for n in (1, 2, 3, 1)]
    answers, fault = s.worker.batch(items)
    assert fault is not None and fault.kind == "timeout"
    assert [a.shape[0] for a in answers] == [1, 2]  # the two before the hang; nothing after it
    assert s.worker.current is None  # stopped; the next request starts a fresh worker


def test_each_item_gets_the_whole_call_limit(session) -> None:
    s = session(conv_source(extra="""
        import time
        _forward = Convolution.forward
        def forward(self, x):
            time.sleep(0.4)
            return _forward(self, x)
        Convolution.forward = forward
        """), call_seconds=1.0)
    s.load("student")
    (layer,), _ = s.worker.batch([_new(np.ones((1, 1, 1, 1)))])
    item = [{"op": "call", "payload": {"target": layer, "method": "forward", "args": [np.ones((1, 1, 2, 2))]}}]
    answers, fault = s.worker.batch([item] * 4)  # 1.6 s in all, 0.4 s each: within a 1 s call limit
    assert fault is None and len(answers) == 4


# ── properties ─────────────────────────────────────────────────────────────────────────────────

def _count_round_trips(s: Session) -> list[str]:
    trips: list[str] = []
    request, batch = s.worker.request, s.worker.batch
    s.worker.request = lambda op, *a, **k: (trips.append(op), request(op, *a, **k))[1]  # type: ignore[method-assign]
    s.worker.batch = lambda items: (trips.append(f"batch of {len(items)}"), batch(items))[1]  # type: ignore[method-assign]
    return trips


def test_a_property_costs_as_many_round_trips_as_its_calls_are_deep(session) -> None:
    s = session(conv_source(bias=""))  # values are checked with a zero bias
    trips = _count_round_trips(s)
    outcome = registry()["conv.forward.values"].fn(_context(s))
    assert outcome.passed, outcome.message
    n = len(case_list("conv.forward.values"))
    assert trips == ["load", f"batch of {n}", f"batch of {n}"]  # Convolution(...), then forward(x): 2, not 2·n


def _plain(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make run_property skip the batch: the plain Hypothesis run the batch must agree with."""

    def refuse(*args: object) -> None:
        raise ReplayMismatch("plain run asked for")

    monkeypatch.setattr(props, "run_batched", refuse)


BUGGY = {
    "ignores pad": conv_source(extra="""
        _init = Convolution.__init__
        def __init__(self, W, b, stride=1, pad=0):
            _init(self, W, b, stride, 0)
        Convolution.__init__ = __init__
        """),
    "transposed reshape": conv_source(ret="out.transpose(0, 2, 3, 1).reshape(out.shape)"),
    "drops the bias": conv_source(bias=""),
    "fails for stride 3": conv_source(extra="""
        _forward = Convolution.forward
        def forward(self, x):
            if self.stride == 3:
                raise ValueError("stride 3 is not supported")
            return _forward(self, x)
        Convolution.forward = forward
        """),
}


@pytest.mark.parametrize("bug", sorted(BUGGY))
@pytest.mark.parametrize("check", ["conv.forward.values", "conv.forward.bias", "conv.forward.shape"])
def test_a_failure_is_shrunk_to_the_same_counterexample_as_a_plain_run(
        session, monkeypatch: pytest.MonkeyPatch, bug: str, check: str) -> None:
    batched = registry()[check].fn(_context(session(BUGGY[bug])))
    _plain(monkeypatch)
    plain = registry()[check].fn(_context(session(BUGGY[bug])))
    assert (batched.passed, batched.message) == (plain.passed, plain.message)
    assert repr(batched.counterexample) == repr(plain.counterexample)  # arrays included, value for value


def test_code_that_depends_on_the_order_of_calls_gets_the_same_outcome_every_run(session) -> None:
    source = conv_source(bias="", extra="""
        _forward = Convolution.forward
        calls = [0]
        def forward(self, x):
            calls[0] += 1
            if calls[0] % 7 == 0:
                return _forward(self, x) + 1
            return _forward(self, x)
        Convolution.forward = forward
        """)
    outcomes = [registry()["conv.forward.values"].fn(_context(session(source))) for _ in range(2)]
    assert not outcomes[0].passed
    assert (outcomes[0].message, repr(outcomes[0].counterexample)) == (outcomes[1].message, repr(outcomes[1].counterexample))


# ── the shipped examples ───────────────────────────────────────────────────────────────────────

def test_every_property_has_its_shipped_examples_and_they_are_valid_inputs() -> None:
    shipped = _shipped()["properties"]
    assert set(shipped) == set(properties())
    for key, examples in ((k, registry()[k].examples) for k in properties()):
        cases = case_list(key)
        assert len(cases) == examples, key
        assert len(set(cases)) == len(cases), f"{key}: an example is repeated"
        for case in cases:
            if hasattr(case, "FH"):  # a convolution: the padded input holds the filter
                assert case.H + 2 * case.pad >= case.FH and case.W + 2 * case.pad >= case.FW, (key, case)
                assert min(case.out) >= 1, (key, case)
            elif hasattr(case, "PH"):
                assert case.H >= case.PH and case.W >= case.PW, (key, case)
            else:  # a network whose conv output 2×2 pooling halves exactly
                assert case.conv_out >= 2 and case.conv_out % 2 == 0, (key, case)


def test_the_shipped_examples_are_what_hypothesis_generates() -> None:
    import hypothesis

    made_by = _shipped()["generated_by"]
    if made_by != f"hypothesis {hypothesis.__version__}":
        pytest.skip(f"{cases_path().name} was generated by {made_by}; hypothesis {hypothesis.__version__} is installed")
    for key in properties():
        assert tuple(generate(key)) == case_list(key), f"run `python -m grader.checks.cases` ({key} changed)"


def test_a_passing_self_check_never_imports_hypothesis() -> None:
    code = textwrap.dedent(f"""
        import sys
        from pathlib import Path
        from grader.cli import _options
        from grader.discover.submission import find_submissions
        from grader.rubric import load_rubric
        from grader.runner import grade_submission
        sub = find_submissions(Path({str(SAMPLE / "kim_minji")!r}), single=True)[0]
        result = grade_submission(sub, load_rubric(None), _options("check"))
        assert result.status == "graded", result.status
        print(result.points, "hypothesis" in sys.modules)
        """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    points, imported = out.stdout.split()
    assert float(points) > 0 and imported == "False"
