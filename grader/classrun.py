"""Grading a class: every submission in parallel, resumable, never losing a student or a good result.

Each finished student is saved at once (`<out>/.students/<id>.json`) and its card written
(`<out>/cards/`), by the process that graded it while the others are graded: the end of the run
writes the class's pages and only the cards that changed since (a TA's review, a kept result).
A run that is interrupted keeps them, and the next run reuses every result whose submission,
rubric and grader version are unchanged (its fingerprint). A submission that breaks the grader
itself gets a note — and keeps its previous good result if there is one.

Every entry is accounted for: an entry that cannot be graded (`Submission.problem`) is a
`not_gradable` result with its reason, made here without a worker; a grading process that dies
costs only the student it was grading (`classpool`), graded again once and then `not_gradable`
with the cause. An interrupted run (Ctrl-C, SIGTERM) raises `Interrupted`, saying how many
students are saved for the next run; no worker of it outlives it.
"""

from __future__ import annotations

import dataclasses
import json
import time
import traceback
from contextlib import closing
from dataclasses import dataclass
from functools import partial
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterator

from . import __version__, classpool
from .discover.ids import file_stem
from .discover.submission import Submission
from .i18n import t
from .model import ClassResult, StudentResult, student_from_dict, to_dict
from .outdir import prune, sweep_tmp
from .report.files import write_atomic
from .report.tables import grades_csv, results_json_chunks
from .reviews import Reviewing, review_student
from .rubric import Rubric
from .runner import Options, fingerprint, grade_submission
from .sandbox.lifetime import kill_marked, run_dir

STORE = ".students"


# Called after each student: (done, total, student id, seconds it took, reused from a saved result);
# the students reused from saved results are told once, before the others: (n reused, total, "", 0, True).
Progress = Callable[[int, int, str, float, bool], None]


class Interrupted(KeyboardInterrupt):
    """The class run was stopped (Ctrl-C, SIGTERM): `saved` students are kept for the next run."""

    def __init__(self, saved: int, total: int) -> None:
        super().__init__(f"{saved} of {total} saved")
        self.saved, self.total = saved, total


def _quiet(done: int, total: int, sid: str, seconds: float, reused: bool) -> None:
    return None


def _store_path(out: Path, sid: str) -> Path:
    return out / STORE / f"{file_stem(sid)}.json"


def load_stored(out: Path, sid: str) -> StudentResult | None:
    path = _store_path(out, sid)
    try:
        return student_from_dict(json.loads(path.read_text("utf-8")))
    except (OSError, ValueError, TypeError, KeyError):
        return None


@dataclass(frozen=True)
class Keep:
    """Where and how a graded student is kept: its saved result, and its card as the class's reports show it."""

    out: Path
    card: str  # the card's file name, from `card_names` of the whole class
    lang: str
    max_points: float
    generated: str  # the run's time, in the card's footer
    version: str
    # The TA's decisions (this student's), applied to the card as it is written; the saved result
    # stays the machine's. None: the run applies none.
    reviewing: Reviewing | None = None


def _grade_one(sub: Submission, rubric: Rubric, options: Options, keep: Keep | None = None) -> dict:
    """Grade `sub` and keep it (`_keep`) here: in a pool's process, a card is written while others are graded."""
    data = to_dict(grade_submission(sub, rubric, options))
    if keep is not None:
        _keep(sub.id, data, keep)
    return data


def _keep(sid: str, data: dict, keep: Keep) -> None:
    """Save a result without a grader error (the class run keeps every such result), then write its card.

    The result is saved first, so a card is never there for a result that was not kept. A result
    with a grader error is left to `grade_class`, which may keep the previous result instead.
    """
    if data.get("error"):
        return
    write_atomic(_store_path(keep.out, sid), json.dumps(data, ensure_ascii=False))
    try:
        from .report.cards import write_card

        student = student_from_dict(data)
        if keep.reviewing is not None:
            review_student(student, keep.reviewing, keep.generated)
        write_card(keep.out, student, name=keep.card, lang=keep.lang, max_points=keep.max_points,
                   generated=keep.generated, version=keep.version)
    except Exception:  # noqa: BLE001 - the result is saved; the end of the run writes the card (or says why it cannot)
        pass


def _failed(sub: Submission, rubric: Rubric, options: Options, error: str) -> StudentResult:
    return StudentResult(sub.id, 0.0, rubric.max_points, "not_gradable", [str(f) for f in sub.files],
                         [t("note.grader_error", error=error)], fingerprint="", error=error,
                         reason=t("note.reason.grader_error"))


def _not_gradable(sub: Submission, rubric: Rubric, options: Options) -> StudentResult:
    """An entry that cannot be graded at all (`sub.problem`): listed with its reason, never dropped."""
    notes = [sub.problem, *sub.notes]
    if options.sandbox_note:
        notes.append(options.sandbox_note)
    return StudentResult(sub.id, 0.0, rubric.max_points, "not_gradable", [str(f) for f in sub.files], notes,
                         reason=sub.problem)


def _died(sub: Submission, rubric: Rubric, cause: str) -> StudentResult:
    message = t("note.reason.process_died", cause=cause, n=classpool.ATTEMPTS)
    return StudentResult(sub.id, 0.0, rubric.max_points, "not_gradable", [str(f) for f in sub.files],
                         [message, *sub.notes], fingerprint="", error=message, reason=message)


Finished = Iterator[tuple[Submission, StudentResult, float]]


def _local(todo: list[Submission], rubric: Rubric, options: Options, workers: int, keeps: dict[str, Keep]) -> Finished:
    """Grade here: in this process, or in `workers` grading processes (`classpool`); each keeps what it graded."""
    if workers <= 1 or len(todo) <= 1:
        for sub in todo:
            t0 = time.monotonic()
            try:
                result = student_from_dict(_grade_one(sub, rubric, options, keeps.get(sub.id)))
            except Exception:  # noqa: BLE001 - one student never stops the class
                result = _failed(sub, rubric, options, traceback.format_exc(limit=3))
            yield sub, result, time.monotonic() - t0
        return
    work = partial(_grade_task, rubric=rubric, options=options)
    # Far beyond what the limits let one submission take: only a grading process stuck in the grader.
    watchdog = 2 * options.limits.submission_seconds + 4 * options.limits.load_seconds + 60
    tasks = [(s, keeps.get(s.id)) for s in todo]
    again: dict[str, str] = {}  # students graded again because their grading process died: why

    def retried(task: tuple[Submission, Keep | None], cause: str) -> None:
        again[task[0].id] = cause

    with closing(classpool.run(tasks, work, workers, key=lambda task: task[0].id, watchdog=watchdog,
                               retried=retried)) as graded:
        for (sub, _), outcome, seconds in graded:
            if isinstance(outcome, classpool.Died):
                result = _died(sub, rubric, outcome.cause)
            elif isinstance(outcome, classpool.Raised):
                result = _failed(sub, rubric, options, outcome.trace)
            else:
                result = student_from_dict(outcome)
                if sub.id in again:  # on this run's card; the saved result is the second grading's own
                    result.notes.append(t("note.graded_again", cause=again[sub.id]))
            yield sub, result, seconds


def _grade_task(task: tuple[Submission, Keep | None], *, rubric: Rubric, options: Options) -> dict:
    """What a grading process does with one task (looked up by name, so a test's patch is inherited)."""
    sub, keep = task
    return _grade_one(sub, rubric, options, keep)


def _dask(todo: list[Submission], rubric: Rubric, options: Options, address: str, keeps: dict[str, Keep]) -> Finished:
    """Grade on an existing Dask cluster whose workers have the grader installed (one task per submission).

    The cluster's workers may not share this file system: each result is kept here, as it arrives.
    """
    from .backends.dask_backend import grade_with_dask

    for sub, outcome in grade_with_dask(todo, rubric, options, address):
        if isinstance(outcome, BaseException):
            result = _failed(sub, rubric, options, f"{type(outcome).__name__}: {outcome}")
        else:
            _store_media(_out_of(keeps, sub.id), outcome.pop("_media", {}))
            keep = keeps.get(sub.id)
            if keep is not None:
                _keep(sub.id, outcome, keep)
            result = student_from_dict(outcome)
        yield sub, result, result.seconds  # the grading time on the worker, not the time since the first task


def _out_of(keeps: dict[str, Keep], sid: str) -> Path | None:
    keep = keeps.get(sid)
    return keep.out if keep is not None else None


def _store_media(out: Path | None, media: dict[str, bytes]) -> None:
    """Pictures a Dask worker stored in its own folder and sent back: written here, under `out`."""
    for rel, data in media.items():
        target = (out / rel).resolve() if out is not None else None
        if target is not None and target.is_relative_to(out.resolve()):
            write_atomic(target, data)


def grade_class(subs: list[Submission], rubric: Rubric, out: Path, *, options: Options = Options(),
                workers: int = 2, fresh: bool = False, progress: Progress | None = None,
                scheduler: str | None = None, reviewing: Reviewing | None = None) -> ClassResult:
    """Grade `subs` into `out`: each student saved, and its card written in `options.lang`, as it finishes
    (with the TA's decisions of `reviewing` on it).

    The class's time (`generated`, in every card's footer) is the time the run started: the cards
    written while grading show it, as do those `write_outputs` rewrites at the end.
    """
    progress = progress or _quiet
    out.mkdir(parents=True, exist_ok=True)
    run_dir()  # made (and held) here, before any grading process: theirs is this process's, swept after it
    if not options.media_root:  # documents' pictures go to out/media/<student>/, beside the cards that show them
        options = dataclasses.replace(options, media_root=str(out))
    generated = datetime.now(timezone.utc).isoformat(timespec="seconds")
    results: dict[str, StudentResult] = {}
    todo: list[Submission] = []
    for sub in subs:
        if sub.problem:
            results[sub.id] = _not_gradable(sub, rubric, options)
            continue
        stored = None if fresh else load_stored(out, sub.id)
        if stored is not None and stored.fingerprint == fingerprint(sub, rubric, options):
            results[sub.id] = stored
        else:
            todo.append(sub)
    gradable = sum(not s.problem for s in subs)  # the progress counts these; the others are listed at the end
    done = saved = gradable - len(todo)  # reused from saved results
    if done:
        progress(done, gradable, "", 0.0, True)  # once for all of them: "13 reused, 0 to grade"
    keeps = _keeps(subs, todo, rubric, out, options.lang, generated, reviewing)

    def finish(sub: Submission, result: StudentResult, seconds: float) -> None:
        nonlocal done, saved
        if result.error:  # a result without one was kept where it was graded (`_keep`)
            previous = load_stored(out, sub.id)
            if previous is not None and previous.status == "graded" and not previous.error:
                previous.notes.append(t("note.kept_previous"))
                result = previous
            else:
                write_atomic(_store_path(out, sub.id), json.dumps(to_dict(result), ensure_ascii=False))
        if result.status == "not_gradable" and not result.reason:
            result.reason = t("note.reason.nothing_found")
        results[sub.id] = result
        done += 1
        saved += 1
        progress(done, gradable, sub.id, seconds, False)

    if scheduler:
        finished = _dask(todo, rubric, options, scheduler, keeps)
    else:
        finished = _local(todo, rubric, options, workers, keeps)
    try:
        for sub, result, seconds in finished:
            finish(sub, result, seconds)
    except KeyboardInterrupt:
        raise Interrupted(saved, gradable) from None
    finally:
        close = getattr(finished, "close", None)
        if close is not None:
            close()  # stops the grading processes now, whatever ended the loop
        kill_marked()  # a worker whose grading process was killed, a daemon without a sandbox
        sweep_tmp(out)  # a card or result a killed grading process was writing

    ordered = [results[s.id] for s in subs]
    return ClassResult(rubric.id, __version__, generated, rubric.max_points, ordered)


def _keeps(subs: list[Submission], todo: list[Submission], rubric: Rubric, out: Path, lang: str,
           generated: str, reviewing: Reviewing | None = None) -> dict[str, Keep]:
    """How each student to grade is kept; card names come from the whole class (they avoid each other)."""
    from .report.html import card_names

    names = card_names(s.id for s in subs)
    return {s.id: Keep(out, names[s.id], lang, rubric.max_points, generated, __version__,
                       reviewing.of(s.id) if reviewing is not None else None) for s in todo}


def write_outputs(result: ClassResult, rubric: Rubric, out: Path, *, lang: str = "ko") -> list[Path]:
    """results.json, grades.csv, index.html and the cards, each written atomically.

    A card already written for the same result, language and renderer (by the process that graded
    its student, or by an earlier run) is kept; the others — a TA's review applied, a previous
    result kept, a card missing — are written here, before the index that links to them.
    """
    from .report.exports import gradescope, lms_csv
    from .reviews import review_queue

    outputs = [("results.json", results_json_chunks(result)), ("grades.csv", grades_csv(result, rubric)),
               ("review-queue.csv", review_queue(result)), ("lms.csv", lms_csv(result))]
    written = []
    for name, text in outputs:
        write_atomic(out / name, text)
        written.append(out / name)
    for student in result.students:  # one at a time: never every student's export at once
        path = out / "gradescope" / f"{file_stem(student.id)}.json"
        write_atomic(path, gradescope(student))
        written.append(path)
    try:
        from .report.cards import write_cards
        from .report.html import card_names, render_class
    except ImportError:  # pragma: no cover - the HTML renderer ships with the grader
        return written
    names = card_names(s.id for s in result.students)
    written.extend(write_cards(result, out, lang=lang, names=names))
    written.extend(render_class(result, out, lang=lang, cards=False))
    # Students no longer in the class leave the pages (their saved results stay in .students/).
    prune(out, set(names.values()) | {file_stem(s.id) for s in result.students})
    return written
