"""The self-check in a terminal: question by question, what failed, the smallest input that shows it."""

from __future__ import annotations

import json
from typing import Any

import click

from ..i18n import t
from ..model import QuestionResult, StudentResult

MARK = {"pass": ("✓", "green"), "partial": ("△", "yellow"), "fail": ("✗", "red"), "missing": ("·", "bright_black"),
        "manual": ("?", "cyan")}
GATED = ("code", "numeric")  # kinds whose failures fail the self-check; written answers are proposals


def check_passed(result: StudentResult) -> bool:
    """True when every check of the code and numeric questions passed (exit status 0)."""
    return result.status == "graded" and any(q.status != "missing" for q in result.questions) and all(
        i.passed or i.status in ("hidden", "skipped") or i.max_points == 0
        for q in result.questions if q.kind in GATED and q.status != "missing" for i in q.items)


def render_check(result: StudentResult, *, verbose: bool = False) -> str:
    lines = [click.style(t("terminal.title", id=result.id), bold=True), ""]
    for q in result.questions:
        if q.kind not in GATED and not verbose:
            continue
        lines.extend(_question(q))
    hidden = sum(1 for q in result.questions for i in q.items if i.status == "hidden")
    written = [q for q in result.questions if q.kind not in GATED]
    lines.append("")
    if hidden:
        lines.append(click.style(t("terminal.hidden", n=hidden), fg="cyan"))
    if written and not verbose:
        found = sum(1 for q in written if q.status != "missing")
        lines.append(t("terminal.written", total=len(written), found=found))
    for n in result.notes:
        lines.append(click.style(t("terminal.note", note=n), fg="bright_black"))
    ok = check_passed(result)
    answered = [q for q in result.questions if q.kind in GATED and q.status != "missing"]
    graded = [i for q in answered for i in q.items if i.status not in ("hidden", "not_checked")]
    code_points = sum(i.points for i in graded)
    code_max = sum(i.max_points for i in graded)  # items that wait for others are not part of this total
    verdict = t("terminal.passed") if ok else t("terminal.failed")
    lines.append(click.style(t("terminal.summary", n=len(answered), points=code_points, max=code_max, verdict=verdict),
                             fg="green" if ok else "red", bold=True))
    return "\n".join(lines)


def _question(q: QuestionResult) -> list[str]:
    sym, colour = MARK.get(q.status, ("?", None))
    head = f"{click.style(sym, fg=colour)} {q.id} {_short(q.title)}  {q.points:g}/{q.max_points:g}"
    lines = [head]
    if q.status == "missing":
        return [head + click.style("  " + t("terminal.no_answer"), fg="bright_black")]
    lines.extend(click.style("    " + t("terminal.note", note=n), fg="bright_black") for n in q.notes)
    for i in q.items:
        if i.passed or i.status in ("hidden", "skipped"):
            continue
        if i.status == "not_checked":  # waits for another item: not a failure of its own
            lines.append(click.style(f"    – {i.description}", fg="bright_black"))
            lines.extend(click.style("      " + line, fg="bright_black") for line in i.message.splitlines()[:3])
            continue
        lines.append(click.style(f"    ✗ {i.description}", fg="red"))
        if i.message:
            lines.extend("      " + line for line in i.message.splitlines()[:8])
        if i.counterexample:
            lines.extend("      " + line for line in _counterexample(i.counterexample))
        if i.hint:
            lines.append(click.style("      " + t("terminal.hint", hint=i.hint), fg="yellow"))
    return lines


def _short(title: str, n: int = 46) -> str:
    return title if len(title) <= n else title[: n - 1] + "…"


def _counterexample(ce: dict[str, Any]) -> list[str]:
    out = []
    labels = {"input": t("terminal.smallest_input"), "expected": t("ce.expected"), "actual": t("ce.actual")}
    for key, label in labels.items():
        if key in ce and ce[key] is not None:
            text = json.dumps(ce[key], ensure_ascii=False)
            if len(text) > 300:
                text = text[:300] + " …"
            out.append(f"{label}: {text}")
    return out
