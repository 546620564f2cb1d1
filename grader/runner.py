"""Grading one submission: plan it, start its worker, run every rubric item's check, score.

Nothing a submission does can stop this function from returning a `StudentResult`: student
exceptions are failures, worker faults fail the item that was running (the next item gets a
fresh worker), and an error of the grader itself is reported on the item, never raised.
"""

from __future__ import annotations

import hashlib
import re
import tempfile
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import __version__
from .checks import Context, Failure, registry
from .discover.plan import Plan, make_plan
from .discover.submission import Submission
from .model import Outcome, QuestionResult, StudentResult
from .rubric import Question, Rubric
from .sandbox.client import StudentError, Worker, WorkerFault, copy_submission
from .sandbox.launch import Launcher
from .sandbox.limits import Limits
from .sandbox.session import Session
from .scoring import score_question, total

FAULT_WORDS = {
    "timeout": "시간 제한 초과", "budget": "제출물 전체 시간 제한 초과", "cpu": "CPU 시간 제한 초과",
    "memory": "메모리 제한 초과", "crash": "작업 프로세스 중단", "protocol": "통신 규약 위반",
}
STUCK_KINDS = ("timeout", "cpu")  # faults that would cost the same time again on the next item


@dataclass(frozen=True)
class Options:
    mode: str = "grade"  # "grade": the TA's run (hidden items, reference); "check": a student's self-check
    limits: Limits = Limits()
    launcher: Launcher | None = None
    sandbox_note: str = ""
    train: bool = False  # train the student's own network for the card (7.6.1); never changes points


def fingerprint(sub: Submission, rubric: Rubric, options: Options) -> str:
    h = hashlib.sha256()
    h.update(sub.fingerprint().encode())
    h.update(Path(rubric.path).read_bytes() if rubric.path and Path(rubric.path).exists() else b"")
    h.update(f"{__version__}|{options.mode}|{options.train}".encode())
    return h.hexdigest()[:32]


def grade_submission(sub: Submission, rubric: Rubric, options: Options = Options()) -> StudentResult:
    started = time.monotonic()
    with_reference = options.mode == "grade"
    plan = make_plan(sub, with_reference=with_reference)
    result = StudentResult(sub.id, 0.0, rubric.max_points, "graded", plan.files, list(plan.notes),
                           fingerprint=fingerprint(sub, rubric, options))
    if options.sandbox_note:
        result.notes.append(options.sandbox_note)
    if not plan.files:
        result.status = "not_gradable"
        result.notes.append("채점할 파일(.py, .ipynb, .md, .txt)이 없습니다.")
    with tempfile.TemporaryDirectory(prefix=f"grade-{_safe(sub.id)}-") as tmp:
        workdir = copy_submission(sub.path, Path(tmp)) if plan.files else Path(tmp)
        _root_programs(plan, workdir)
        worker = Worker(workdir, options.limits, options.launcher)
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
            worker.cleanup()
    result.notes.extend(_load_notes(session, plan))
    for fault in worker.faults:
        result.notes.append(f"{FAULT_WORDS.get(fault.kind, fault.kind)}: {fault.message}" + (f" ({fault.where})" if fault.where else ""))
    result.points = total(result.questions)
    result.seconds = round(time.monotonic() - started, 2)
    if result.status == "graded" and all(q.status == "missing" for q in result.questions):
        result.status = "not_gradable"
    return result


def _safe(text: str) -> str:
    return "".join(c if c.isalnum() else "_" for c in text)[:40]


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
                notes.append("자가 점검에서는 참조 구현이 없어 여러분의 계층으로 검사합니다.")
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
                outcomes[item.id] = Outcome.fail("답을 찾지 못했습니다.")
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
                outcomes[item.id] = Outcome.error(f"{stuck} (같은 코드가 앞선 항목에서 이미 시간 제한에 걸려 다시 실행하지 않았습니다)")
                continue
        outcome = run_check(spec.fn, ctx)
        if outcome.status == "error" and outcome.message.startswith(tuple(FAULT_WORDS[k] for k in STUCK_KINDS)):
            cache.setdefault("stuck", {})[(ctx.program, spec.needs)] = outcome.message.split(". ")[0]
        outcomes[item.id] = _sheet_lines(outcome, plan)
    return score_question(question, outcomes, answer=answer, answered=answered, source=source, notes=notes)


def _sheet_lines(out: Outcome, plan: Plan) -> Outcome:
    """`sheet.md §7.4.3.2:19` (a line of the stitched code) → `sheet.md 45행` (the line in the student's sheet)."""
    if not plan.line_maps or "§" not in out.message:
        return out

    def fix(m: re.Match[str]) -> str:
        lines = plan.line_maps.get(m.group(1), [])
        n = int(m.group(2))
        return f"{m.group(1).split(' §')[0]} {lines[n - 1]}행" if 0 < n <= len(lines) and lines[n - 1] else m.group(0)

    out.message = re.sub(r"([^()\s:][^():]*? §[0-9.]+):(\d+)", fix, out.message)
    return out


def _absent(needs: tuple[str, ...], points: float) -> Outcome:
    names = ", ".join(needs) or "답"
    if points == 0:
        return Outcome.skipped(f"{names}을(를) 제출하지 않아 검사하지 않았습니다 (점수 없음).")
    return Outcome.fail(f"{names}의 정의를 찾지 못했습니다. class/def 이름이 과제와 같은지 확인하세요.")


def _fault_outcome(fault: WorkerFault) -> Outcome:
    where = f" — {fault.where}" if fault.where else ""
    return Outcome.error(f"{FAULT_WORDS.get(fault.kind, fault.kind)}: {fault.message}{where}. 이 항목은 0점이고, 나머지 항목은 새 작업 프로세스에서 채점했습니다.")


def run_check(fn: Any, ctx: Context) -> Outcome:
    try:
        out = fn(ctx)
        return out if isinstance(out, Outcome) else Outcome.ok()
    except Failure as f:
        return Outcome.fail(f.message, f.counterexample)
    except StudentError as exc:
        where = exc.where()
        return Outcome.fail(f"여러분의 코드에서 예외가 발생했습니다{f' ({where})' if where else ''}: {exc.type_name}: {exc.message}")
    except WorkerFault as fault:
        return _fault_outcome(fault)
    except Exception:  # noqa: BLE001 - a bug of the grader must not cost the student or stop the class
        return Outcome.error("채점기 내부 오류로 이 항목을 채점하지 못했습니다 (조교에게 알려 주세요):\n" + traceback.format_exc(limit=6))


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
            more = f" 이후 {len(errors) - 1}문장도 실패해 건너뛰었습니다." if len(errors) > 1 else ""
            line = (f"{file}:{first.get('line')}: 모듈 최상위 코드가 실패했습니다 ({first.get('message')}).{more} "
                    "이 문장들만 건너뛰고 정의는 채점했습니다.")
            if line not in seen:
                seen.add(line)
                notes.append(line)
        if report.stand_ins:
            line = f"표시용 라이브러리({', '.join(report.stand_ins)})는 아무 일도 하지 않는 대체 모듈로 바꿔 채점했습니다."
            if line not in seen:
                seen.add(line)
                notes.append(line)
        if name == "student":
            for module, names in sorted(report.injected.items()):
                used = [n for n in names if n not in ("np", "numpy", "OrderedDict")]
                if used:
                    line = f"{module}: 정의하거나 import하지 않은 {', '.join(used)}은(는) 참조 구현의 것을 썼습니다."
                    if line not in seen:
                        seen.add(line)
                        notes.append(line)
    return notes


def _describe_note(n: dict[str, Any]) -> str:
    where = f"{n.get('file')}:{n.get('line')}" if n.get("line") else str(n.get("file"))
    kind = n.get("kind")
    if kind == "timeout":
        return f"{where}: 모듈 최상위 코드가 너무 오래 걸려 건너뛰었습니다 ({n.get('message')}). 정의는 채점했습니다."
    if kind == "syntax":
        return f"{where}: 문법 오류 — {n.get('message')} {n.get('text', '')}".strip()
    if kind == "exit":
        return f"{where}: import 중 {n.get('message')}가 호출되어 무시했습니다."
    if kind in ("stopped", "skipped"):
        return f"{where}: 이 최상위 문장이 작업 프로세스를 멈추게 해 건너뛰었습니다."
    return f"{where}: 모듈 최상위 코드가 실패했습니다 ({n.get('message')}). 이 문장만 건너뛰고 정의는 채점했습니다."

