"""Grading one submission: plan it, start its worker, run every rubric item's check, score.

Nothing a submission does can stop this function from returning a `StudentResult`: student
exceptions are failures, worker faults fail the item that was running (the next item gets a
fresh worker), and an error of the grader itself is reported on the item, never raised.
"""

from __future__ import annotations

import hashlib
import re
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import __version__
from .i18n import t, use_lang
from .checks import Context, Failure, registry
from .discover.ids import file_stem
from .discover.plan import Plan, make_plan
from .discover.submission import Submission
from .model import Outcome, QuestionResult, StudentResult
from .rubric import Question, Rubric
from .sandbox.client import StudentError, WorkerFault, Workspace
from .sandbox.launch import Launcher
from .sandbox.limits import Limits
from .sandbox.session import Session
from .scoring import score_question, total

FAULT_KINDS = ("timeout", "budget", "cpu", "memory", "crash", "protocol")
STUCK_KINDS = ("timeout", "cpu")  # faults that would cost the same time again on the next item


def fault_word(kind: str) -> str:
    """The words naming a fault's kind ("시간 제한 초과"), in the current language."""
    return t(f"fault.word.{kind}") if kind in FAULT_KINDS else kind


@dataclass(frozen=True)
class Options:
    mode: str = "grade"  # "grade": the TA's run (hidden items, reference); "check": a student's self-check
    limits: Limits = Limits()
    launcher: Launcher | None = None
    sandbox_note: str = ""
    train: bool = False  # train the student's own network for the card (7.6.1); never changes points
    lang: str = "ko"  # the language of every message of the result ("ko" | "en")


def fingerprint(sub: Submission, rubric: Rubric, options: Options) -> str:
    """What decides a saved result is still this submission's: its files, the rubric, the grader's
    version and the run's options — the limits and the isolation included (a result graded under a
    1 ms call limit, or without a sandbox, is not reused by a run under other ones)."""
    h = hashlib.sha256()
    h.update(sub.fingerprint().encode())
    h.update(Path(rubric.path).read_bytes() if rubric.path and Path(rubric.path).is_file() else b"")
    h.update(f"{__version__}|{options.mode}|{options.train}|{options.lang}".encode())
    h.update(f"|{options.limits.signature()}|{options.sandbox_note}".encode())
    return h.hexdigest()[:32]


def grade_submission(sub: Submission, rubric: Rubric, options: Options = Options(), *,
                     workspace: Workspace | None = None) -> StudentResult:
    """Grade `sub`; every message of the result is in `options.lang` (in this process or a pool's).

    `workspace`: the submission's copy with its worker already starting (see `start_workspace`);
    closed when grading ends."""
    with use_lang(options.lang):
        return _grade_submission(sub, rubric, options, workspace)


def start_workspace(sub: Submission, options: Options) -> Workspace:
    """Copy the submission and start its worker, now: it imports numpy while the grader goes on."""
    return Workspace(sub.path, _safe(sub.id), options.limits, options.launcher)


def _grade_submission(sub: Submission, rubric: Rubric, options: Options, workspace: Workspace | None) -> StudentResult:
    started = time.monotonic()
    with_reference = options.mode == "grade"
    with workspace or start_workspace(sub, options) as ws:  # closed (worker stopped, copy removed) whatever happens
        plan = make_plan(sub, with_reference=with_reference)
        result = StudentResult(sub.id, 0.0, rubric.max_points, "graded", plan.files, list(plan.notes),
                               fingerprint=fingerprint(sub, rubric, options))
        if options.sandbox_note:
            result.notes.append(options.sandbox_note)
        if not plan.files:
            result.status = "not_gradable"
            result.notes.append(t("note.no_files"))
            result.reason = t("note.no_files")
        _root_programs(plan, ws.workdir)
        worker = ws.worker
        session = Session(worker, plan.programs, statement_seconds=options.limits.statement_seconds)
        cache: dict[str, Any] = {}
        try:
            for question in rubric.questions:
                result.questions.append(_grade_question(question, plan, session, options, cache))
            if options.train and "SimpleConvNet" in plan.own:
                from .training import train

                result.training = train(session, plan.own["SimpleConvNet"])
        finally:
            result.log = worker.log()
    result.notes.extend(_load_notes(session, plan))
    for fault in worker.faults:
        result.notes.append(t("fault.note", word=fault_word(fault.kind), message=fault.message)
                            + (f" ({fault.where})" if fault.where else ""))
    result.points = total(result.questions)
    result.seconds = round(time.monotonic() - started, 2)
    if result.status == "graded" and all(q.status == "missing" for q in result.questions):
        result.status = "not_gradable"
        result.reason = t("note.reason.nothing_found")
    return result


def _safe(text: str) -> str:
    """The student's part of its private folder's name (`grade-<it>-…`): its file stem, cut short."""
    return file_stem(text)[:40]


def _root_programs(plan: Plan, workdir: Path) -> None:
    for spec in plan.programs.values():
        if spec.root:
            spec.root = str(workdir)


def _grade_question(question: Question, plan: Plan, session: Session, options: Options,
                    cache: dict[str, Any]) -> QuestionResult:
    checks = registry()
    code = plan.code.get(question.id)
    text = plan.texts.get(question.id, "")
    outcomes: dict[str, Outcome] = {}
    notes: list[str] = []
    if question.kind == "code":
        answered, answer, source = code is not None, code.answer if code else "", code.source if code else ""
        if code is not None:
            notes.extend(code.notes)
            if not code.isolated:
                notes.append(t("note.own_layers"))
    else:
        answered, answer, source = bool(text.strip()), text, ""
        if question.kind == "drawing":  # a picture lost when the sheet was exported still deserves a look
            answered = answered or question.id in plan.headed
    runnable = code is None or bool(code.program)  # a sheet's network needs the reference: TA's run only
    for item in question.items:
        if item.hidden and options.mode == "check":
            continue
        if not runnable and checks[item.check].program != "text":
            continue
        spec = checks[item.check]
        params = {**item.params, "title": question.title}
        if spec.program == "text":
            if not answered:
                outcomes[item.id] = Outcome.fail(t("check.no_answer"))
                continue
            ctx = Context(session, "", question.id, params, text=text)
        else:
            if spec.program == "code":
                program = code.program if code is not None else None
            else:  # the student's own code, own layers included
                program = plan.own.get(spec.needs[0]) if spec.needs else None
            if program is None:
                outcomes[item.id] = _absent(spec.needs, item.points)
                continue
            ctx = Context(session, program, question.id, params, with_reference=plan.with_reference,
                          isolated=code.isolated if code else True, cache=cache)
            try:
                present = all(session.has(program, n) for n in spec.needs)
            except WorkerFault as fault:
                outcomes[item.id] = _fault_outcome(fault)
                continue
            if not present:
                outcomes[item.id] = _absent(spec.needs, item.points)
                continue
            stuck = cache.setdefault("stuck", {}).get((program, spec.needs))
            if stuck:  # the same code already ran out of time: do not wait for it again
                outcomes[item.id] = Outcome.error(t("fault.stuck", fault=stuck))
                continue
        outcome = run_check(spec.fn, ctx)
        if outcome.fault in STUCK_KINDS:
            cache.setdefault("stuck", {})[(ctx.program, spec.needs)] = fault_word(outcome.fault)
        outcomes[item.id] = _sheet_lines(outcome, plan)
    return score_question(question, outcomes, answer=answer, answered=answered, source=source, notes=notes)


def _sheet_lines(out: Outcome, plan: Plan) -> Outcome:
    """`sheet.md §7.4.3.2:19` (a line of the stitched code) → `sheet.md 45행` (the line in the student's sheet)."""
    if not plan.line_maps or "§" not in out.message:
        return out

    def fix(m: re.Match[str]) -> str:
        lines = plan.line_maps.get(m.group(1), [])
        n = int(m.group(2))
        if 0 < n <= len(lines) and lines[n - 1]:
            return t("note.sheet_line", file=m.group(1).split(" §")[0], line=lines[n - 1])
        return m.group(0)

    out.message = re.sub(r"([^()\s:][^():]*? §[0-9.]+):(\d+)", fix, out.message)
    return out


def _absent(needs: tuple[str, ...], points: float) -> Outcome:
    names = ", ".join(needs) or t("check.absent.answer")
    if points == 0:
        return Outcome.skipped(t("check.absent.skipped", names=names))
    return Outcome.fail(t("check.absent.missing", names=names))


def _fault_outcome(fault: WorkerFault) -> Outcome:
    where = f" — {fault.where}" if fault.where else ""
    out = Outcome.error(t("fault.item", word=fault_word(fault.kind), message=fault.message, where=where))
    out.fault = fault.kind
    return out


def run_check(fn: Any, ctx: Context) -> Outcome:
    try:
        out = fn(ctx)
        return out if isinstance(out, Outcome) else Outcome.ok()
    except Failure as f:
        return Outcome.fail(f.message, f.counterexample)
    except StudentError as exc:
        where = exc.where()
        return Outcome.fail(t("check.student_error", where=f" ({where})" if where else "", type=exc.type_name,
                              message=exc.message))
    except WorkerFault as fault:
        return _fault_outcome(fault)
    except Exception:  # noqa: BLE001 - a bug of the grader must not cost the student or stop the class
        return Outcome.error(t("fault.grader", trace=traceback.format_exc(limit=6)))


def _load_notes(session: Session, plan: Plan) -> list[str]:
    notes: list[str] = []
    seen: set[str] = set()
    for name, report in session.first_reports.items():
        if name.startswith("_"):
            continue
        failed: dict[str, list[dict[str, Any]]] = {}
        for n in report.notes:
            if n.get("kind") == "error":
                failed.setdefault(str(n.get("file")), []).append(n)
                continue
            line = _describe_note(n)
            if line not in seen:
                seen.add(line)
                notes.append(line)
        for file, errors in failed.items():
            first = errors[0]
            more = t("note.top_failed_more", n=len(errors) - 1) if len(errors) > 1 else ""
            line = t("note.top_failed_many", where=f"{file}:{first.get('line')}", message=first.get("message"),
                     more=more)
            if line not in seen:
                seen.add(line)
                notes.append(line)
        if report.stand_ins:
            line = t("note.stand_ins", names=", ".join(report.stand_ins))
            if line not in seen:
                seen.add(line)
                notes.append(line)
        if name == "student":
            for module, names in sorted(report.injected.items()):
                used = [n for n in names if n not in ("np", "numpy", "OrderedDict")]
                if used:
                    line = t("note.injected", module=module, names=", ".join(used))
                    if line not in seen:
                        seen.add(line)
                        notes.append(line)
    return notes


def _describe_note(n: dict[str, Any]) -> str:
    where = f"{n.get('file')}:{n.get('line')}" if n.get("line") else str(n.get("file"))
    kind = n.get("kind")
    if kind == "timeout":
        return t("note.top_timeout", where=where, message=n.get("message"))
    if kind == "syntax":
        return t("note.top_syntax", where=where, message=n.get("message"), text=n.get("text", "")).strip()
    if kind == "exit":
        return t("note.top_exit", where=where, message=n.get("message"))
    if kind in ("stopped", "skipped"):
        return t("note.top_stopped", where=where)
    return t("note.top_failed", where=where, message=n.get("message"))

