"""The self-check in a terminal: what is wrong with the files first, then question by question what
failed and the smallest input that shows it, and a total of only what the self-check grades.

Written and numeric answers are the TA's to grade: the self-check says whether each was found (and,
for numbers, in what form), never what the answer should be. Items that wait for another item, or
that only the TA's run can judge, are shown as such and left out of the total.
"""

from __future__ import annotations

import json

import click

from ..i18n import t
from ..model import Counterexample, ItemResult, QuestionResult, StudentResult

MARK = {"pass": ("✓", "green"), "partial": ("△", "yellow"), "fail": ("✗", "red"), "missing": ("·", "bright_black"),
        "ta": ("⋯", "cyan")}
GATED = ("code", "numeric")  # kinds shown without --verbose
NOT_GRADED = ("hidden", "not_checked")  # statuses the self-check does not grade


def graded(q: QuestionResult) -> list[ItemResult]:
    """The items of an answered question the self-check graded (their points are the TA's run's points)."""
    return [] if q.status == "missing" else [i for i in q.items if i.status not in NOT_GRADED]


def check_passed(result: StudentResult) -> bool:
    """True when the self-check graded something, and every item it graded passed (exit status 0)."""
    items = [i for q in result.questions if q.kind == "code" for i in graded(q)]
    return result.status == "graded" and bool(items) and all(
        i.passed or i.status == "skipped" or i.max_points == 0 for i in items)


def render_check(result: StudentResult, *, verbose: bool = False) -> str:
    lines = [click.style(t("terminal.title", id=result.id), bold=True), ""]
    for problem in result.problems:  # a syntax error explains every answer it hides: say it first
        lines.append(click.style(t("terminal.problem", problem=problem), fg="red", bold=True))
    if result.problems:
        lines.append("")
    said: set[str] = set()
    for q in result.questions:
        if q.kind in GATED:
            lines.extend(_question(q, said))
        elif verbose:
            lines.append(_written(q))
    lines.append("")
    hidden = sum(1 for q in result.questions for i in q.items if i.status == "hidden")
    if hidden:
        lines.append(click.style(t("terminal.hidden", n=hidden), fg="cyan"))
    waiting = sum(1 for q in result.questions if q.kind == "code" for i in q.items if i.status == "not_checked")
    if waiting:
        lines.append(click.style(t("terminal.not_graded_here", n=waiting), fg="cyan"))
    written = [q for q in result.questions if q.kind not in GATED]
    if written and not verbose:
        found = sum(1 for q in written if q.status != "missing")
        lines.append(t("terminal.written", total=len(written), found=found))
    pictured = [q.id for q in result.questions if q.pictures]
    if pictured or result.pictures:  # a student checking a Word file sees where each picture landed
        lines.append(t("doc.terminal.pictures", questions=", ".join(pictured) or "–", loose=len(result.pictures)))
    for n in result.notes:
        if n not in said and n not in result.problems:
            lines.append(click.style(t("terminal.note", note=n), fg="bright_black"))
    items = [i for q in result.questions if q.kind == "code" for i in graded(q)]
    if not items:
        lines.append(click.style(t("terminal.nothing_graded"), fg="red", bold=True))
        return "\n".join(lines)
    ok = check_passed(result)
    verdict = t("terminal.passed") if ok else t("terminal.failed")
    lines.append(click.style(t("terminal.summary", n=len(items), points=sum(i.points for i in items),
                               max=sum(i.max_points for i in items), verdict=verdict),
                             fg="green" if ok else "red", bold=True))
    return "\n".join(lines)


def _status(q: QuestionResult) -> str:
    items = graded(q)
    if q.status == "missing":
        return "missing"
    if not items:
        return "ta"
    if all(i.passed or i.max_points == 0 for i in items) and len(items) == len(q.items):
        return "pass"
    return "partial" if any(i.points > 0 for i in items) else "fail"


def _question(q: QuestionResult, said: set[str]) -> list[str]:
    state = _status(q)
    sym, colour = MARK[state]
    items = graded(q)
    if state == "missing":
        return [f"{click.style(sym, fg=colour)} {q.id} {_short(q.title)}" + click.style("  " + t("terminal.no_answer"),
                                                                                       fg="bright_black")]
    if state == "ta":
        score = t("terminal.ta_question")
    else:
        score = f"{sum(i.points for i in items):g}/{sum(i.max_points for i in items):g}"
    lines = [f"{click.style(sym, fg=colour)} {q.id} {_short(q.title)}  {score}"]
    for n in q.notes:
        if n not in said:
            said.add(n)
            lines.append(click.style("    " + t("terminal.note", note=n), fg="bright_black"))
    if state == "ta" and q.kind == "code":  # one line says it: no list of items it cannot grade
        return lines
    for i in q.items:
        if i.passed or i.status in ("hidden", "skipped"):
            continue
        if i.status == "not_checked":  # waits for another item, or is the TA's to judge: not a failure
            colour = "cyan" if q.kind == "numeric" else "bright_black"
            lines.append(click.style(f"    – {i.description}", fg=colour))
            lines.extend(click.style("      " + line, fg=colour) for line in i.message.splitlines()[:3])
            continue
        lines.append(click.style(f"    ✗ {i.description}", fg="red"))
        if i.message:
            lines.extend("      " + line for line in i.message.splitlines()[:8])
        if i.counterexample:
            lines.extend("      " + line for line in _counterexample(i.counterexample))
        if i.hint:
            lines.append(click.style("      " + t("terminal.hint", hint=i.hint), fg="yellow"))
    return lines


def _written(q: QuestionResult) -> str:
    """A written or drawing question in --verbose: found or not, how long, and that the TA grades it."""
    sym, colour = MARK["missing" if q.status == "missing" else "ta"]
    what = t("terminal.no_answer") if q.status == "missing" else t("terminal.written_found", n=len(q.answer.strip()))
    return f"{click.style(sym, fg=colour)} {q.id} {_short(q.title)}  " + click.style(what, fg=colour)


def _short(title: str, n: int = 46) -> str:
    return title if len(title) <= n else title[: n - 1] + "…"


def _counterexample(ce: Counterexample) -> list[str]:
    out = []
    for label, value in ((t("terminal.smallest_input"), ce.input), (t("ce.expected"), ce.expected),
                         (t("ce.actual"), ce.actual)):
        if value is not None:
            text = json.dumps(value, ensure_ascii=False)
            if len(text) > 300:
                text = text[:300] + " …"
            out.append(f"{label}: {text}")
    return out
