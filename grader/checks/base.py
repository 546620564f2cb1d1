"""Checks: declared with a decorator, run against a submission's worker, concluding an `Outcome`.

A check is a function `(ctx) -> Outcome`. It may raise `Mismatch` (a wrong value, with the
minimal input that shows it) or `Failure` (anything else wrong, in words); a student exception
or a worker fault is turned into an outcome by the runner. Checks never trust the worker's
judgement: they receive plain values and compare them here.

A check may wait for others (check50's dependencies): `after` names the checks that must pass
before it means anything (purity and dtype mean nothing on an output of the wrong shape);
`after_own` adds those it waits for when its question's code runs on the student's own layers
(a self-check, where the reference's layers are not there to isolate it). A check that waits
for one that did not pass is *not checked*: no points, and it says which check it waits for.
Inside a body, `ctx.require(...)` waits the same way for checks that matter on one path only.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Callable

from ..model import Counterexample, Outcome
from ..sandbox.session import Session, StudentError

CheckFn = Callable[["Context"], Outcome | None]


class Failure(Exception):
    """A check's failure in words: what is wrong, for the student, with what shows it.

    The counterexample is typed (`model.Counterexample`: input, expected, actual, first difference);
    give it whole, or give its fields. `cause` identifies the student's exception behind the failure,
    if one was (its type and place): items of a question failing for the same cause report it once.
    """

    def __init__(self, message: str, counterexample: Counterexample | None = None, *, input: Any = None,
                 expected: Any = None, actual: Any = None, first_difference: list[int] | None = None,
                 cause: str = "") -> None:
        super().__init__(message)
        self.message = message
        if counterexample is None and any(v is not None for v in (input, expected, actual, first_difference)):
            counterexample = Counterexample(input, expected, actual, first_difference)
        self.counterexample = counterexample
        self.cause = cause


def student_cause(exc: StudentError) -> str:
    """What identifies a student exception across items: its type and the innermost place of the
    student's code (not the message, which names the sizes of each input)."""
    return f"{exc.type_name} @ {exc.where() or exc.message}"


def failure_outcome(f: Failure) -> Outcome:
    """The one place a Failure becomes an outcome."""
    out = Outcome.fail(f.message, f.counterexample)
    out.cause = f.cause
    return out


class Mismatch(Failure):
    """A value that differs from what the definition gives: what was expected, what came, and the input."""

    def __init__(self, message: str, *, expected: Any, actual: Any, input: Any = None,
                 first_difference: list[int] | None = None, cause: str = "") -> None:
        super().__init__(message, Counterexample(input, expected, actual, first_difference), cause=cause)


class NotChecked(Exception):
    """The check waits for checks that did not pass (`waits`: their ids); it concludes nothing."""

    def __init__(self, waits: tuple[str, ...]) -> None:
        super().__init__(", ".join(waits))
        self.waits = waits


@dataclass(frozen=True)
class CheckSpec:
    id: str
    fn: CheckFn
    needs: tuple[str, ...] = ()  # names the submission must define ("Affine")
    program: str = "code"  # "code": the question's program; "student": own layers; "text": the answer text
    params: tuple[str, ...] = ()  # rubric item keys the check reads (expected values, names)
    doc: str = ""
    after: tuple[str, ...] = ()  # checks that must pass first
    after_own: tuple[str, ...] = ()  # … and these too when the question's code runs on the student's own layers
    may_require: tuple[str, ...] = ()  # checks `ctx.require` may name in the body, in the TA's run (graded first)
    answers: tuple[str, ...] = ()  # the params that are the answer (expected values, concept patterns): TA only
    follows: tuple[str, ...] = ()  # checks graded before it, whatever the rubric's order (it does not wait for them)
    # A property (`property_check`): the strategy its examples are drawn from (a callable, so that
    # Hypothesis is imported only to generate or to shrink), how many, and the type of an example.
    cases: Callable[[], Any] | None = None
    examples: int = 0
    case_type: type | None = None

    def waits_for(self, *, own_layers: bool) -> tuple[str, ...]:
        return self.after + (self.after_own if own_layers else ())

    def graded_after(self, *, own_layers: bool) -> tuple[str, ...]:
        """Every check that must be graded before this one."""
        return self.waits_for(own_layers=own_layers) + (() if own_layers else self.may_require) + self.follows


REGISTRY: dict[str, CheckSpec] = {}


def check(id: str, *, needs: tuple[str, ...] = (), program: str = "code", params: tuple[str, ...] = (),
          after: tuple[str, ...] = (), after_own: tuple[str, ...] = (), may_require: tuple[str, ...] = (),
          answers: tuple[str, ...] = (), follows: tuple[str, ...] = ()) -> Callable[[CheckFn], CheckFn]:
    """Register a check under `id` (the rubric's item id or `check` name)."""

    def register(fn: CheckFn) -> CheckFn:
        if id in REGISTRY:
            raise ValueError(f"check id {id!r} is registered twice")
        REGISTRY[id] = CheckSpec(id, fn, needs, program, params, (fn.__doc__ or "").strip(), after, after_own,
                                 may_require, answers, follows)
        return fn

    return register


def property_check(id: str, *, cases: Callable[[], Any], examples: int, case_type: type,
                   before: Callable[[Context], None] | None = None, **options: Any) -> Callable[..., Any]:
    """Declare a property once: `body(ctx, case)` raises a Failure for a case that breaks it.

    The check runs the body on the property's shipped examples (`cases.json`, generated from this
    declaration by `python -m grader.checks.cases`), in batches, and shrinks a failure with
    Hypothesis drawing from `cases`. `before(ctx)` runs once, before the batched bodies (what they
    must find ready). `options` are those of `check` (needs, after, program, …).
    """

    def register(body: Callable[[Context, Any], None]) -> Callable[[Context, Any], None]:
        def run(ctx: Context) -> Outcome:
            from .props import run_property

            if before is not None:
                before(ctx)
            return run_property(ctx.session, id, lambda case: body(ctx, case))

        run.__doc__ = body.__doc__
        check(id, **options)(run)
        REGISTRY[id] = replace(REGISTRY[id], cases=cases, examples=examples, case_type=case_type)
        return body

    return register


@dataclass
class Context:
    """What a check may use: the session, the question's program, the rubric item, the answer text."""

    session: Session
    program: str
    qid: str
    item: dict[str, Any]
    text: str = ""  # written and numeric answers
    with_reference: bool = False
    isolated: bool = True
    notes: list[str] = field(default_factory=list)
    cache: dict[str, Any] = field(default_factory=dict)  # shared by the checks of one submission
    outcomes: dict[str, Outcome] = field(default_factory=dict)  # what the checks run so far concluded, by check id
    attributes: dict[str, set[str]] = field(default_factory=dict)  # layer name -> attributes the student's class sets

    def param(self, key: str, default: Any = None) -> Any:
        return self.item.get(key, default)

    def passed(self, check_id: str) -> bool:
        out = self.outcomes.get(check_id)
        return out is not None and out.passed

    def require(self, *check_ids: str) -> None:
        """Go on only if every check named has passed; otherwise this check is not checked."""
        waits = tuple(c for c in check_ids if not self.passed(c))
        if waits:
            raise NotChecked(waits)
