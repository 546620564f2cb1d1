"""The self-check in a terminal: question by question, what failed, the smallest input that shows it."""

from __future__ import annotations

import json
from typing import Any

import click

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
    lines = [click.style(f"과제 #5 자가 점검 — {result.id}", bold=True), ""]
    for q in result.questions:
        if q.kind not in GATED and not verbose:
            continue
        lines.extend(_question(q))
    hidden = sum(1 for q in result.questions for i in q.items if i.status == "hidden")
    written = [q for q in result.questions if q.kind not in GATED]
    lines.append("")
    if hidden:
        lines.append(click.style(f"※ 채점 때에는 검사 {hidden}개가 더 실행됩니다 (자가 점검에서는 공개되지 않음).", fg="cyan"))
    if written and not verbose:
        found = sum(1 for q in written if q.status != "missing")
        lines.append(f"서술형·그림 문항 {len(written)}개 중 {found}개의 답을 찾았습니다 (채점은 조교가 확인합니다; 자세히: --verbose).")
    for n in result.notes:
        lines.append(click.style(f"참고: {n}", fg="bright_black"))
    ok = check_passed(result)
    answered = [q for q in result.questions if q.kind in GATED and q.status != "missing"]
    code_points = sum(q.points for q in answered)
    code_max = sum(q.max_points for q in answered)
    verdict = "모든 검사를 통과했습니다." if ok else "통과하지 못한 검사가 있습니다."
    lines.append(click.style(f"답한 코드·계산 문항 {len(answered)}개: {code_points:g} / {code_max:g}점 — {verdict}",
                             fg="green" if ok else "red", bold=True))
    return "\n".join(lines)


def _question(q: QuestionResult) -> list[str]:
    sym, colour = MARK.get(q.status, ("?", None))
    head = f"{click.style(sym, fg=colour)} {q.id} {_short(q.title)}  {q.points:g}/{q.max_points:g}"
    lines = [head]
    if q.status == "missing":
        return [head + click.style("  (답을 찾지 못했습니다)", fg="bright_black")]
    lines.extend(click.style(f"    참고: {n}", fg="bright_black") for n in q.notes)
    for i in q.items:
        if i.passed or i.status in ("hidden", "skipped"):
            continue
        lines.append(click.style(f"    ✗ {i.description}", fg="red"))
        if i.message:
            lines.extend("      " + line for line in i.message.splitlines()[:8])
        if i.counterexample:
            lines.extend("      " + line for line in _counterexample(i.counterexample))
        if i.hint:
            lines.append(click.style(f"      힌트: {i.hint}", fg="yellow"))
    return lines


def _short(title: str, n: int = 46) -> str:
    return title if len(title) <= n else title[: n - 1] + "…"


def _counterexample(ce: dict[str, Any]) -> list[str]:
    out = []
    for key, label in (("input", "가장 작은 실패 입력"), ("expected", "기대값"), ("actual", "실제값")):
        if key in ce and ce[key] is not None:
            text = json.dumps(ce[key], ensure_ascii=False)
            if len(text) > 300:
                text = text[:300] + " …"
            out.append(f"{label}: {text}")
    return out
