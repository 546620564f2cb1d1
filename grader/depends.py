"""Items that wait for others: the order a submission's items are graded in, what a wait says, and
one failure reported once.

A check declares the checks it waits for (`after`, `after_own`, `may_require` in `checks.base`);
here those become rubric items. Items are graded so that every item comes after the items it
waits for, in the rubric's order otherwise. An item whose wait is not met is *not checked*, and
says which item (and question) it waits for; an item of a question that fails for the same
student exception as an earlier item of that question says so instead of repeating it.
"""

from __future__ import annotations

from typing import Callable, Iterable

from .checks.base import CheckSpec
from .i18n import t
from .model import Outcome
from .rubric import Item, Question, Rubric, RubricError


def items_by_check(rubric: Rubric) -> dict[str, tuple[Question, Item]]:
    """The first item of the rubric running each check."""
    found: dict[str, tuple[Question, Item]] = {}
    for q, i in rubric.items():
        found.setdefault(i.check, (q, i))
    return found


def validate(rubric: Rubric, checks: dict[str, CheckSpec]) -> None:
    """Every check an item waits for is run by an item of the rubric that is no more hidden than it,
    and no item waits for itself through others. Raises RubricError naming the item and the fix."""
    by_check = items_by_check(rubric)
    for q, item in rubric.items():
        spec = checks[item.check]
        for dep in (*spec.after, *spec.after_own, *spec.may_require, *spec.follows):
            owner = by_check.get(dep)
            if owner is None:
                raise RubricError(t("rubric.dependency_missing", where=rubric.path, question=q.id, item=item.id,
                                    check=dep))
            if owner[1].hidden and not item.hidden:
                raise RubricError(t("rubric.dependency_hidden", where=rubric.path, question=q.id, item=item.id,
                                    other=owner[1].id))
    for own in (True, False):
        order(rubric, checks, lambda q, own=own: own)  # raises on a cycle


def order(rubric: Rubric, checks: dict[str, CheckSpec],
          own_layers: Callable[[Question], bool]) -> list[tuple[Question, Item]]:
    """The rubric's items, each after those it waits for (rubric order otherwise)."""
    by_check = items_by_check(rubric)
    done: list[tuple[Question, Item]] = []
    placed: set[str] = set()
    visiting: list[str] = []

    def visit(q: Question, item: Item) -> None:
        if item.id in placed:
            return
        if item.id in visiting:
            cycle = " → ".join([*visiting[visiting.index(item.id):], item.id])
            raise RubricError(t("rubric.dependency_cycle", where=rubric.path, cycle=cycle))
        visiting.append(item.id)
        spec = checks[item.check]
        for dep in spec.graded_after(own_layers=own_layers(q)):
            if dep in by_check:
                visit(*by_check[dep])
        visiting.pop()
        placed.add(item.id)
        done.append((q, item))

    for q, item in rubric.items():
        visit(q, item)
    return done


def waiting(waits: Iterable[str], rubric: Rubric, question: Question, outcomes: dict[str, Outcome]) -> Outcome:
    """The outcome of an item that waits for the checks `waits`, which did not pass."""
    by_check = items_by_check(rubric)
    named, ids = [], []
    waits = list(waits)
    # Name what actually failed: an item that itself waits is left out when another is named.
    own = [d for d in waits if not (outcomes.get(d) and outcomes[d].status == "not_checked")]
    for dep in own or waits:
        q, item = by_check.get(dep, (None, None))
        if item is None:
            continue
        ids.append(item.id)
        what = t("check.waits.item", description=_description(item), id=item.id)
        if q is not None and q.id != question.id:
            what = t("check.waits.other_question", question=q.id, what=what)
        out = outcomes.get(dep)
        if out is None:
            what += t("check.waits.not_run")
        elif out.fault:
            from .runner import fault_word

            what += t("check.waits.fault", word=fault_word(out.fault))
        named.append(what)
    return Outcome.not_checked(t("check.waits", items=", ".join(named)), ids)


def fold_repeats(question: Question, outcomes: dict[str, Outcome]) -> dict[str, Outcome]:
    """Items of `question` failing for the cause an earlier item already reported point at it instead."""
    first: dict[str, Item] = {}
    folded = dict(outcomes)
    for item in question.items:
        out = outcomes.get(item.id)
        if out is None or out.status not in (None, "fail") or out.fraction > 0:
            continue
        # The same student exception; in a code question, the very same words too (a written
        # answer's items stay apart: each is a concept of its own, and may go to review).
        key = out.cause or (out.message if question.kind == "code" else "")
        if not key:
            continue
        if key in first:
            earlier = first[key]
            folded[item.id] = Outcome.not_checked(
                t("check.same_failure", description=_description(earlier), id=earlier.id), [earlier.id])
        else:
            first[key] = item
    return folded


def _description(item: Item) -> str:
    from .i18n import current_lang

    text = item.description_en if current_lang() == "en" and item.description_en else item.description
    return _short(text or item.id)


def _short(text: str, n: int = 60) -> str:
    text = text.split(" — ")[0]
    return text if len(text) <= n else text[: n - 1] + "…"
