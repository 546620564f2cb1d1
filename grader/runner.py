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

from . import __version__, depends
from .checks import Context, Failure, NotChecked, registry
from .audience import student_texts
from .checks.base import failure_outcome, student_cause
from .i18n import t, use_lang
from .discover.ids import file_stem
from .assignment import current
from .discover.plan import Plan, make_plan
from .discover.submission import Submission
from .model import Outcome, QuestionResult, StudentResult
from .rubric import Question, Rubric
from .sandbox.client import StudentError, WorkerFault, Workspace
from .sandbox.launch import Launcher
from .sandbox.limits import Limits
from .sandbox.session import OWN, Session
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
    media_root: str = ""  # the output folder: a document's pictures are stored under its media/ ("": not stored)


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
        plan = make_plan(sub, with_reference=with_reference, rubric=rubric)
        if any(spec.compartment not in ("", OWN) for spec in plan.programs.values()):
            ws.prestart()  # the network questions' worker, starting while the first one works
        result = StudentResult(sub.id, 0.0, rubric.max_points, "graded", plan.files, list(plan.notes),
                               fingerprint=fingerprint(sub, rubric, options), problems=list(plan.problems))
        if options.sandbox_note:
            result.notes.append(options.sandbox_note)
        if not plan.files:
            result.status = "not_gradable"
            result.notes.append(t("note.no_files"))
            result.reason = t("note.no_files")
        _root_programs(plan, ws.workdir)
        session = Session(ws.worker, plan.programs, statement_seconds=options.limits.statement_seconds,
                          spawn=ws.spawn)
        cache: dict[str, Any] = {}
        try:
            result.notes.extend(_settle_choices(rubric, plan, session, options))
            result.questions.extend(_grade_questions(rubric, plan, session, options, cache))
            if plan.pictures:  # a document's pictures: on their questions, stored for the cards
                from .sheets.documents.media import attach_pictures

                attach_pictures(result, plan.pictures, options.media_root)
            train = current().train_function() if options.train else None
            if train is not None and plan.network in plan.own:  # the assignment's `--train`
                result.training = train(session, plan.own[plan.network])
        finally:
            result.log = session.log()
    result.notes.extend(_load_notes(session, plan))
    result.notes.extend(n for n in dict.fromkeys(cache.get("notes", [])) if n not in result.notes)
    for fault in session.faults:
        result.notes.append(t("fault.note", word=fault_word(fault.kind), message=fault.message)
                            + (f" ({fault.where})" if fault.where else ""))
    result.points = total(result.questions)
    result.seconds = round(time.monotonic() - started, 2)
    if result.status == "graded" and all(q.status == "missing" for q in result.questions):
        result.status = "not_gradable"
        result.reason = t("note.reason.nothing_found")
    return result


def _prose(text: str) -> str:
    from .sheets.fences import strip_fences

    return strip_fences(text)


def _safe(text: str) -> str:
    """The student's part of its private folder's name (`grade-<it>-…`): its file stem, cut short."""
    return file_stem(text)[:40]


def _root_programs(plan: Plan, workdir: Path) -> None:
    for spec in plan.programs.values():
        if spec.root:
            spec.root = str(workdir)


@dataclass
class _Answer:
    """What a submission holds for one question, as the items of the question see it."""

    answered: bool
    answer: str
    source: str
    text: str
    code: Any  # the plan's CodeAnswer, or None
    notes: list[str]

    @property
    def own_layers(self) -> bool:
        """The question's code runs on the student's own layers (no reference to isolate it)."""
        return self.code is not None and not self.code.isolated


def _answer_of(question: Question, plan: Plan) -> _Answer:
    code = plan.code.get(question.id)
    text = plan.texts.get(question.id, "")
    notes: list[str] = []
    if question.kind == "code":
        answered, answer, source = code is not None, code.answer if code else "", code.source if code else ""
        if code is not None:
            notes.extend(code.notes)
            if not code.isolated:
                notes.append(t("note.own_layers"))
    else:
        if question.kind == "written" and not _prose(text).strip():
            text = ""  # a code block is never a written answer (a range heading over code questions)
        answered, answer, source = bool(text.strip()), text, ""
        if question.kind == "drawing":  # a picture lost when the sheet was exported still deserves a look
            answered = answered or question.id in plan.headed
    return _Answer(answered, answer, source, text, code, notes)


def _settle_choices(rubric: Rubric, plan: Plan, session: Session, options: Options) -> list[str]:
    """Definitions tied by everything the source tells (two working-looking classes of one graded name in two
    files): grade the questions each would answer, keep the one that earns the most. Returns the notes."""
    from .discover.plan import code_answer
    from .scoring import item_points

    notes = []
    for name, choice in plan.choices.items():
        if not choice.probe:
            continue
        questions = [q for q in rubric.questions if q.kind == "code" and getattr(plan.code.get(q.id), "name", "") == name
                     and plan.code[q.id].program == "student"]
        earned: list[tuple[float, int]] = []
        for n, candidate in enumerate(choice.probe):
            try:
                session.export("student", name, candidate.source.module, candidate.name)
            except (StudentError, WorkerFault, KeyError):
                earned.append((-1.0, -n))
                continue
            points, cache, by_check = 0.0, {}, {}
            for q in questions:
                plan.code[q.id] = code_answer(candidate, name, q.methods)
                a = _answer_of(q, plan)
                for item in q.items:
                    if item.hidden and options.mode == "check":
                        continue
                    out = _grade_item(q, item, a, rubric, plan, session, cache, by_check)
                    if out is not None:
                        by_check[item.check] = out
                        if out.status in (None, "pass", "fail"):
                            points += item_points(item.points, out.fraction)
            earned.append((points, -n))
        best = max(range(len(choice.probe)), key=lambda i: earned[i])
        winner = choice.probe[best]
        session.export("student", name, winner.source.module, winner.name)
        for q in questions:
            plan.code[q.id] = code_answer(winner, name, q.methods)
        scores = ", ".join(f"{d.file} {max(p, 0):g}" for d, (p, _) in zip(choice.probe, earned))
        choice.others = [d for d in [choice.chosen, *choice.others] if d is not winner]
        choice.chosen = winner
        notes.append(choice.why(scores))
    return notes


def _grade_questions(rubric: Rubric, plan: Plan, session: Session, options: Options,
                     cache: dict[str, Any]) -> list[QuestionResult]:
    """Every item, each after the items it waits for; then every question scored, in the rubric's order."""
    checks = registry()
    answers = {q.id: _answer_of(q, plan) for q in rubric.questions}
    by_check: dict[str, Outcome] = {}  # what each check concluded, for the items that wait for it
    by_item: dict[str, dict[str, Outcome]] = {q.id: {} for q in rubric.questions}
    for question, item in depends.order(rubric, checks, lambda q: answers[q.id].own_layers):
        if item.hidden and options.mode == "check":
            continue
        got = _grade_item(question, item, answers[question.id], rubric, plan, session, cache, by_check)
        if got is None:
            continue
        by_item[question.id][item.id] = by_check[item.check] = got
    results = []
    for question in rubric.questions:
        a = answers[question.id]
        outcomes = depends.fold_repeats(question, by_item[question.id])
        results.append(score_question(question, outcomes, answer=a.answer, answered=a.answered, source=a.source,
                                      notes=list(dict.fromkeys(a.notes)), explain=options.mode == "grade"))
    return results


def _grade_item(question: Question, item: Any, a: _Answer, rubric: Rubric, plan: Plan, session: Session,
                cache: dict[str, Any], by_check: dict[str, Outcome]) -> Outcome | None:
    """One item's outcome (in a self-check, what only the TA's run can grade says so, and is not graded)."""
    spec = registry()[item.check]
    code = a.code
    runnable = code is None or bool(code.program)  # a sheet's network needs the reference: TA's run only
    if not runnable and spec.program != "text":
        return Outcome.not_checked(t("check.ta_only"))
    if spec.program == "text" and not plan.with_reference:  # a self-check: the kit has no answer key
        if not a.answered:
            return Outcome.fail(t("check.no_answer"))
        from .sheets.form import form

        return form(item.check, a.text, item.params)
    waits = [c for c in spec.waits_for(own_layers=a.own_layers) if not _passed(by_check.get(c))]
    if waits:
        return depends.waiting(waits, rubric, question, by_check)
    params = {**item.params, "title": question.title, "description": item.description, "copied": student_texts(rubric)}
    if spec.program == "text":
        if not a.answered:
            return Outcome.fail(t("check.no_answer"))
        ctx = Context(session, "", question.id, params, text=a.text, outcomes=by_check)
    else:
        if spec.program == "code":
            program = code.program if code is not None else None
        else:  # the student's own code, own layers included
            program = plan.own.get(spec.needs[0]) if spec.needs else None
        if program is None:
            return _absent(spec.needs, item.points)
        ctx = Context(session, program, question.id, params, with_reference=plan.with_reference,
                      isolated=code.isolated if code else True, cache=cache, outcomes=by_check,
                      attributes=plan.attributes)
        try:
            present = all(session.has(program, n) for n in spec.needs)
        except WorkerFault as fault:
            return _fault_outcome(fault)
        if not present:
            return _absent(spec.needs, item.points)
        stuck = cache.setdefault("stuck", {}).get((program, spec.needs))
        if stuck:  # the same code already ran out of time: do not wait for it again
            return Outcome.error(t("fault.stuck", fault=stuck))
    outcome = run_check(spec.fn, ctx)
    if outcome.status == "not_checked" and outcome.waits_for and not outcome.message:  # raised by ctx.require
        outcome = depends.waiting(outcome.waits_for, rubric, question, by_check)
    if outcome.fault in STUCK_KINDS:
        cache.setdefault("stuck", {})[(ctx.program, spec.needs)] = fault_word(outcome.fault)
    a.notes.extend(ctx.notes)
    return _sheet_lines(outcome, plan)


def _passed(out: Outcome | None) -> bool:
    return out is not None and out.passed


def _sheet_lines(out: Outcome, plan: Plan) -> Outcome:
    """`sheet.md §3.1.2:19` (a line of the stitched code) → `sheet.md 45행` (the line in the student's sheet)."""
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
    out = Outcome.fail(t("check.absent.missing", names=names))
    out.cause = f"absent:{names}"  # the items of a question that all miss the same name say it once
    return out


def _fault_outcome(fault: WorkerFault) -> Outcome:
    where = f" — {fault.where}" if fault.where else ""
    out = Outcome.error(t("fault.item", word=fault_word(fault.kind), message=fault.message, where=where))
    out.fault = fault.kind
    return out


def run_check(fn: Any, ctx: Context) -> Outcome:
    try:
        out = fn(ctx)
        return out if isinstance(out, Outcome) else Outcome.ok()
    except NotChecked as wait:
        return Outcome.not_checked("", list(wait.waits))
    except Failure as f:
        return failure_outcome(f)
    except StudentError as exc:
        where = exc.where()
        out = Outcome.fail(t("check.student_error", where=f" ({where})" if where else "", type=exc.type_name,
                             message=exc.message))
        out.cause = student_cause(exc)
        return out
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

