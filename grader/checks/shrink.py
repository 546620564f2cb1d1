"""A property run the plain way by Hypothesis: to generate its shipped examples, and to shrink a failure.

Derandomized: the examples depend on the strategy and `hypothesis_run` only (Hypothesis seeds a
derandomized run from the test function's source), so generating the shipped lists and shrinking a
failure see the same sequence. Imported only when a property fails, or by `cases.py`.
"""

from __future__ import annotations

from typing import Any, Callable

from hypothesis import HealthCheck, Phase, Verbosity, given, settings
from hypothesis import strategies as st

from ..model import Outcome
from .base import Failure, failure_outcome

SETTINGS = dict(
    derandomize=True, database=None, deadline=None, verbosity=Verbosity.quiet, report_multiple_bugs=False,
    suppress_health_check=list(HealthCheck), phases=(Phase.explicit, Phase.generate, Phase.shrink),
)


def hypothesis_run(strategy: st.SearchStrategy, body: Callable[[Any], None], examples: int) -> Outcome | None:
    """Run `body` on `examples` examples of `strategy`: None if all pass, else the first failure, shrunk.

    Derandomized: the examples depend on the strategy and this function only (Hypothesis seeds a
    derandomized run from the test function's source), so generating the shipped lists and
    shrinking a failure see the same sequence. Exceptions other than `Failure` propagate.
    """

    @settings(max_examples=examples, **SETTINGS)
    @given(strategy)
    def prop(case: Any) -> None:
        body(case)

    try:
        prop()
    except Failure as f:
        return failure_outcome(f)
    return None
