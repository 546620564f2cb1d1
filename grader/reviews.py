"""A TA's review: decisions that confirm or override the machine's proposal, kept across re-grading.

Written and drawn answers are the machine's *proposal* until a person decides (`waiting`): this
module is the one definition of what waits, used by the overview, `review-queue.csv`, the review
pages, the review app and the terminal summary. A decision names the answer it judged by its hash
(`answer_hash`); when the student's answer has changed since, the decision is not applied: the
answer waits again, marked "changed", with the old decision shown beside it.

Decisions come from two places, applied in this order by `review_class`:
- the review file (`<out>/reviews.csv` unless `--reviews` names another), which the grader reads on
  every run and never writes. Columns: student, question, points, comment, and optionally
  answer_hash (then a changed answer is caught), reviewer, time. A wrong line stops the run.
- the gradebook (`<out>/gradebook.sqlite`, written by `grade review`), whose latest decision for a
  (student, question) wins over the file's line.
Each run also writes `review-queue.csv`, the answers still waiting, in the file's columns.

Totals: a student's `points` counts every question's current points — the TA's decision where
there is one, else the proposal — and `pending_points` is the part of it not yet confirmed.
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import io
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .i18n import t
from .model import ClassResult, QuestionResult, StudentResult
from .scoring import REVIEWED_KINDS, total

if TYPE_CHECKING:
    from .rubric import Rubric

COLUMNS = ("student", "question", "points", "comment")
QUEUE_COLUMNS = (*COLUMNS, "proposed", "state", "answer_hash")
STATES = ("review", "proposed", "changed", "reviewed")  # of an answer a person judges


class ReviewError(Exception):
    """A review line that cannot be applied: the message names the file, the line, the value and the fix."""


@dataclass(frozen=True)
class Review:
    student: str
    question: str
    points: float
    comment: str
    line: int = 0
    answer_hash: str = ""  # the answer judged; "" (a hand-written line) judges whatever the answer is
    reviewer: str = ""
    at: str = ""
    items: dict[str, float] | None = None  # the TA's points per item, when given item by item
    source: str = "csv"


@dataclass
class Summary:
    """What `review_class` did, for the terminal."""

    from_file: int = 0
    from_gradebook: int = 0
    changed: list[tuple[str, str]] = field(default_factory=list)  # (student, question) judged on another answer
    similar: int = 0  # proposals taken from a decided answer like it


# ── the one definition of what waits for a person ───────────────────────────────────────────────

def answer_hash(q: QuestionResult) -> str:
    """A short hash of the answer as a TA sees it: its text (spacing ignored) and its pictures."""
    text = re.sub(r"\s+", " ", q.answer).strip()
    media = getattr(q, "media", None) or []  # pictures of documents (a list of entries), when present
    h = hashlib.sha256(text.encode("utf-8", "surrogatepass"))
    for entry in media:
        h.update(b"\0" + str(entry.get("path", "") if isinstance(entry, dict) else entry).encode("utf-8", "replace"))
    return h.hexdigest()[:16]


def needs_person(q: QuestionResult) -> bool:
    """Written and drawn answers, and any answer a check sent to review."""
    return q.kind in REVIEWED_KINDS or q.review


def waiting(q: QuestionResult) -> bool:
    """An answer waiting for a TA: one a person judges, answered, and not yet decided."""
    return q.status != "missing" and needs_person(q) and not q.confirmed


def state_of(q: QuestionResult) -> str:
    """"review" (the machine is unsure), "proposed" (sure, unconfirmed), "changed", "reviewed", or ""."""
    if q.status == "missing" or not needs_person(q):
        return ""
    if q.confirmed:
        return "reviewed"
    if q.previous_review:
        return "changed"
    return "review" if q.review or q.kind == "drawing" else "proposed"


def prepare(result: ClassResult) -> None:
    """Hash every answer and mark what waits (in place): the machine's results before any decision."""
    for s in result.students:
        for q in s.questions:
            q.answer_hash = answer_hash(q)
            if q.status == "missing" or not needs_person(q):
                q.confirmed = True
            else:
                q.confirmed = False
            q.review_state = state_of(q)


def settle(result: ClassResult) -> None:
    """States, totals, and each student's pending points and waiting count, after every decision."""
    for s in result.students:
        settle_student(s)


def settle_student(s: StudentResult) -> None:
    for q in s.questions:
        q.review_state = state_of(q)
    s.points = total(s.questions)
    s.pending_points = round(sum(q.points for q in s.questions if waiting(q)), 2)
    s.waiting = sum(1 for q in s.questions if waiting(q))


# ── reading the file ───────────────────────────────────────────────────────────────────────────

def read_reviews(path: Path) -> list[Review]:
    """The reviews of the file (none when it does not exist); ReviewError for a line that is not one."""
    if not path.exists():
        return []
    if path.is_dir():
        raise ReviewError(t("review.is_folder", path=path))
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ReviewError(t("review.unreadable", path=path, error=exc.strerror or exc)) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp949", "replace")
    reader = csv.DictReader(io.StringIO(text))
    if reader.fieldnames is None or not {"student", "question", "points"} <= set(reader.fieldnames):
        raise ReviewError(t("review.header", path=path, fields=reader.fieldnames))
    reviews = []
    for n, row in enumerate(reader, start=2):
        if not any((v or "").strip() for v in row.values() if isinstance(v, str)):
            continue
        raw = (row.get("points") or "").strip()
        if raw == "":
            continue  # a line copied from the queue but not decided yet
        try:
            points = float(raw)
        except ValueError:
            raise ReviewError(t("review.not_number", path=path, line=n, raw=raw)) from None
        if not math.isfinite(points):
            raise ReviewError(t("review.not_number", path=path, line=n, raw=raw))
        reviews.append(Review((row.get("student") or "").strip(), (row.get("question") or "").strip(), points,
                              (row.get("comment") or "").strip(), n, (row.get("answer_hash") or "").strip(),
                              (row.get("reviewer") or "").strip(), (row.get("time") or "").strip()))
    return reviews


def validate_reviews(reviews: list[Review], students: Iterable[str], rubric: Rubric, path: Path) -> None:
    """Check every line against the class and the rubric before anything is graded: a wrong line
    (a student not in the class, a question not in the rubric, points out of range, a question
    reviewed twice) raises ReviewError naming the line, the value and the fix."""
    ids = set(students)
    questions = {q.id: q for q in rubric.questions}
    seen: dict[tuple[str, str], int] = {}
    for r in reviews:
        if r.student not in ids:
            raise ReviewError(t("review.unknown_student", path=path, line=r.line, student=r.student))
        q = questions.get(r.question)
        if q is None:
            raise ReviewError(t("review.unknown_question", path=path, line=r.line, question=r.question))
        if not 0 <= r.points <= q.points:
            raise ReviewError(t("review.out_of_range", path=path, line=r.line, student=r.student, question=r.question,
                                 points=r.points, max=q.points))
        first = seen.setdefault((r.student, r.question), r.line)
        if first != r.line:
            raise ReviewError(t("review.twice", path=path, line=r.line, first=first, student=r.student,
                                question=r.question))


# ── applying decisions ─────────────────────────────────────────────────────────────────────────

def apply_reviews(result: ClassResult, reviews: list[Review], path: Path) -> int:
    """Apply every line of a review file (in place); a wrong line is a ReviewError. Returns how many applied.

    A line whose answer_hash no longer matches is not applied: the answer waits again, "changed".
    """
    students = {s.id: s for s in result.students}
    applied = 0
    for r in reviews:
        student = students.get(r.student)
        if student is None:
            raise ReviewError(t("review.unknown_student", path=path, line=r.line, student=r.student))
        if not student.questions:
            continue  # not graded (a corrupt archive…): nothing to review until it is
        q = student.question(r.question)
        if q is None:
            raise ReviewError(t("review.unknown_question", path=path, line=r.line, question=r.question))
        if not 0 <= r.points <= q.max_points:
            raise ReviewError(t("review.out_of_range", path=path, line=r.line, student=r.student, question=r.question,
                                 points=r.points, max=q.max_points))
        applied += decide(q, r)
        settle_student(student)
    return applied


def apply_decisions(result: ClassResult, decisions: list[Review], summary: Summary | None = None) -> int:
    """Apply the gradebook's current decisions (in place); those for a student or question no longer here are kept, unused."""
    students = {s.id: s for s in result.students}
    applied = 0
    for r in decisions:
        student = students.get(r.student)
        q = student.question(r.question) if student else None
        if q is None or not 0 <= r.points <= q.max_points:
            continue
        if decide(q, r):
            applied += 1
        elif summary is not None:
            summary.changed.append((r.student, r.question))
    return applied


def decide(q: QuestionResult, r: Review) -> bool:
    """The TA's decision `r` on `q`, if it judged this answer (True); else `q` waits again, "changed"."""
    machine = q.proposed_points if q.proposed_points is not None else q.points
    if r.answer_hash and q.answer_hash and r.answer_hash != q.answer_hash:
        if q.confirmed and q.proposed_points is not None:
            return False  # already decided on this very answer (a line of the review file)
        _undo(q, machine)
        q.previous_review = {"points": r.points, "comment": r.comment, "reviewer": r.reviewer, "at": r.at,
                             "answer_hash": r.answer_hash}
        q.confirmed = False
        q.review_state = "changed"
        return False
    _undo(q, machine)
    q.proposed_points = machine
    q.points = round(r.points, 2)
    q.confirmed = True
    q.review = False
    q.review_comment = r.comment
    q.reviewer = r.reviewer
    q.reviewed_at = r.at
    q.previous_review = None
    for item in q.items:
        if r.items and item.id in r.items:
            item.reviewed_points = round(float(r.items[item.id]), 2)
    q.status = "pass" if q.points >= q.max_points else "partial" if q.points > 0 else "fail"
    q.review_state = "reviewed"
    return True


def _undo(q: QuestionResult, machine: float) -> None:
    """Back to the machine's proposal (a later decision replaces an earlier one, never adds to it)."""
    q.points = machine
    for item in q.items:
        item.reviewed_points = None


def propose_like(q: QuestionResult, points: float, student: str) -> None:
    """Take the decision on a near-identical answer of `student` as this answer's proposal (still unconfirmed)."""
    if q.proposed_points is None:
        q.proposed_points = q.points
    q.points = round(min(max(points, 0.0), q.max_points), 2)
    q.proposed_from = student


@dataclass(frozen=True)
class Reviewing:
    """The TA's decisions a class run applies as each student finishes: the review file's lines (read
    and validated before anything is graded), the gradebook of `grade review`, the questions' titles."""

    file: Path
    reviews: tuple[Review, ...] = ()
    gradebook: Path | None = None
    titles: tuple[tuple[str, str], ...] = ()

    def of(self, sid: str) -> Reviewing:
        """The same, with only the review file's lines about student `sid`."""
        return dataclasses.replace(self, reviews=tuple(r for r in self.reviews if r.student == sid))


def _gradebook(path: Path | None) -> tuple[list[Review], list[Any]] | None:
    """The gradebook's current decisions and its decided answers, or None where there is none."""
    if path is None or not path.exists():
        return None
    from .review.gradebook import Gradebook

    book = Gradebook(path)
    return book.current(), book.decided_answers()


def _review(result: ClassResult, reviews: list[Review], review_file: Path,
            book: tuple[list[Review], list[Any]] | None, titles: dict[str, str]) -> Summary:
    summary = Summary()
    prepare(result)
    summary.from_file = apply_reviews(result, reviews, review_file)
    if book is not None:
        from .review.groups import propose_from_decided

        decisions, decided = book
        summary.from_gradebook = apply_decisions(result, decisions, summary)
        summary.similar = propose_from_decided(result, decided, titles)
    settle(result)
    return summary


def review_class(result: ClassResult, review_file: Path, gradebook: Path | None = None,
                 titles: dict[str, str] | None = None) -> Summary:
    """Every decision of the file and of the gradebook applied, similar answers' proposals, totals settled."""
    return _review(result, read_reviews(review_file), review_file, _gradebook(gradebook), titles or {})


@lru_cache(maxsize=4)
def _gradebook_of_run(path: str, run: str) -> tuple[list[Review], list[Any]] | None:
    """The gradebook read once per grading process and run (`run`: the run's time): a decision made
    while the class is graded reaches the cards at the end of the run (`review_class`)."""
    return _gradebook(Path(path))


def review_student(student: StudentResult, reviewing: Reviewing, run: str) -> None:
    """What `review_class` does, for one student (in place): where a class run's grading process writes
    the card of a student it has just graded, the card shows the TA's decisions at once."""
    book = _gradebook_of_run(str(reviewing.gradebook), run) if reviewing.gradebook else None
    _review(ClassResult("", "", "", student.max_points, [student]),
            [r for r in reviewing.reviews if r.student == student.id], reviewing.file, book, dict(reviewing.titles))


def review_queue(result: ClassResult) -> str:
    """The answers waiting for a TA, one line each, in the review file's columns (and the proposal, state, hash)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(QUEUE_COLUMNS)
    for s in result.students:
        for q in s.questions:
            if waiting(q):
                writer.writerow([s.id, q.id, "", "", f"{q.points:g}", state_of(q), q.answer_hash or answer_hash(q)])
    return out.getvalue()


def counts(result: ClassResult) -> dict[str, Any]:
    """How many answers are in each state, in all and per question: the numbers every page shows."""
    per: dict[str, dict[str, int]] = {}
    for s in result.students:
        for q in s.questions:
            st = state_of(q)
            if st:
                per.setdefault(q.id, dict.fromkeys(STATES, 0))[st] += 1
    allc = dict.fromkeys(STATES, 0)
    for c in per.values():
        for k, v in c.items():
            allc[k] += v
    return {"all": allc, "waiting": allc["review"] + allc["proposed"] + allc["changed"], "per_question": per}
