"""A TA's review: points and comments that override the machine's proposal, kept across re-grading.

The review file is the TA's (`<out>/reviews.csv` unless `--reviews` names another); the grader
reads it on every run and never writes it. Columns: student, question, points, comment. Each run
also writes `review-queue.csv`, the answers still waiting for a person, in the same columns, so
lines can be copied over and filled in.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .i18n import t
from .model import ClassResult, QuestionResult
from .rubric import Rubric
from .scoring import total

COLUMNS = ("student", "question", "points", "comment")


class ReviewError(Exception):
    """A review line that cannot be applied: the message names the file, the line, the value and the fix."""


@dataclass(frozen=True)
class Review:
    student: str
    question: str
    points: float
    comment: str
    line: int


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
        if not any((v or "").strip() for v in row.values()):
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
                              (row.get("comment") or "").strip(), n))
    return reviews


def validate_reviews(reviews: list[Review], students: Iterable[str], rubric: Rubric, path: Path) -> None:
    """Check every review against the class and the rubric before anything is graded: a wrong line
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


def apply_reviews(result: ClassResult, reviews: list[Review], path: Path) -> int:
    """Apply every review to the class result (in place); returns how many were applied."""
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
        _override(q, r)
        student.points = total(student.questions)
        applied += 1
    return applied


def _override(q: QuestionResult, r: Review) -> None:
    q.points = round(r.points, 2)
    q.review = False
    q.review_comment = r.comment or t("review.default_comment")
    q.status = "pass" if q.points >= q.max_points else "partial" if q.points > 0 else "fail"
    q.notes.append(t("review.note", points=q.points, max=q.max_points, comment=f" — {r.comment}" if r.comment else ""))


def review_queue(result: ClassResult) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*COLUMNS, "proposed"])
    for s in result.students:
        for q in s.questions:
            if q.review or q.status == "manual":
                writer.writerow([s.id, q.id, "", "", f"{q.points:g}"])
    return out.getvalue()
