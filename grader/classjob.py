"""Grading a class as one call: every input checked first, each student graded, reviewed and given its
card as it finishes, the class's pages written last. `grade PATH` is this function and its messages.

Order, and why:
1. the limits, the review file given with `--reviews`, the class folder, the output folder (writable,
   locked against another run, what an interrupted run left swept), the review file of OUT: a
   mistake in any of them stops the run before anything is graded (`ClassJobError`);
2. each student graded (`classrun.grade_class`); the process that graded it saves the result (the
   machine's) and writes the card with the TA's decisions on it (`reviews.review_student`);
3. under the review app's lock, the decisions applied to the whole class once more (a decision made
   in `grade review` while the class was graded is not lost) and `write_outputs`, which rewrites only
   the cards that differ.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import classrun
from .classrun import Progress
from .discover.ids import file_stem
from .discover.submission import SubmissionError, discover
from .model import ClassResult
from .outdir import OutputError, OutputLock, check_writable, sweep_tmp
from .reviews import ReviewError, Reviewing, Summary, read_reviews, review_class, validate_reviews
from .rubric import Rubric
from .runner import Options


class ClassJobError(Exception):
    """An input that stops the run before anything is graded; the message names it and the fix."""


@dataclass
class ClassJob:
    """What a class run did: the results (reviewed), the review summary, where it wrote."""

    result: ClassResult
    out: Path
    summary: Summary
    review_file: Path
    skipped: list[Any] = field(default_factory=list)  # output folders inside the class folder, left out


def _review_lock(out: Path) -> contextlib.AbstractContextManager[Any]:
    """The review app's lock on OUT (grader/review/state.py), or none in the student kit, which has no app."""
    try:
        from .review.state import folder_lock
    except ImportError:
        return contextlib.nullcontext()
    return folder_lock(out)


def run_class(path: Path, rubric: Rubric, options: Options, *, out: Path | None = None, reviews: Path | None = None,
              one: bool = False, workers: int = 2, fresh: bool = False, scheduler: str | None = None,
              progress: Progress | None = None, starting: Callable[[Any], None] | None = None) -> ClassJob:
    """Grade the class (or the one submission) at `path` into `out` (default `reports/`, or
    `reports/<id>/` for one submission). `starting(found)` is called once every input is checked, just
    before grading (the CLI says there what protects the machine). Raises `ClassJobError` for an
    input mistake; `classrun.Interrupted` when interrupted (what was saved is kept)."""
    try:
        given = read_reviews(reviews) if reviews is not None else None  # its mistakes before the folder's
        found = discover(path, single=True if one else None, out=out or Path("reports"),
                         also_skip=(reviews,) if reviews else ())
    except (ReviewError, SubmissionError) as exc:
        raise ClassJobError(str(exc)) from None
    subs = found.submissions
    if out is None:  # one submission never overwrites a class's pages: it gets a folder of its own
        out = Path("reports") / file_stem(subs[0].id) if found.single else Path("reports")
    with contextlib.ExitStack() as stack:
        try:
            check_writable(out)
            stack.enter_context(OutputLock(out))
        except OutputError as exc:
            raise ClassJobError(str(exc)) from None
        sweep_tmp(out)  # what an interrupted earlier run left half-written
        review_file = reviews or out / "reviews.csv"
        titles = {q.id: q.title for q in rubric.questions}
        try:
            lines = given if given is not None else read_reviews(review_file)
            validate_reviews(lines, [s.id for s in subs], rubric, review_file)
        except ReviewError as exc:
            raise ClassJobError(str(exc)) from None
        if starting is not None:
            starting(found)
        reviewing = Reviewing(review_file, tuple(lines), out / "gradebook.sqlite", tuple(titles.items()))
        result = classrun.grade_class(subs, rubric, out, options=options, workers=workers, fresh=fresh, progress=progress,
                             scheduler=scheduler, reviewing=reviewing)
        with _review_lock(out):  # a `grade review` server on OUT writes the same files
            try:
                summary = review_class(result, review_file, out / "gradebook.sqlite", titles)
            except ReviewError as exc:  # the file changed while the class was graded
                raise ClassJobError(str(exc)) from None
            classrun.write_outputs(result, rubric, out, lang=options.lang)
    return ClassJob(result, out, summary, review_file, list(found.skipped))
