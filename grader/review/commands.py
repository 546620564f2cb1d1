"""`grade review`'s work, for the CLI: serve, or export, import and accept without a browser."""

from __future__ import annotations

import getpass
import sys
from pathlib import Path

from ..i18n import t
from ..report.files import write_atomic
from ..reviews import ReviewError, answer_hash, read_reviews
from ..rubric import Rubric
from .gradebook import NewDecision
from .groups import normalise
from .state import BadRequest, ReviewState


class ReviewCommandError(Exception):
    """Bad input to `grade review`: the message names the file or value and the fix (exit 2)."""


def default_reviewer() -> str:
    try:
        return getpass.getuser() or "ta"
    except Exception:  # noqa: BLE001 - no user name in this environment
        return "ta"


def run_review(out: Path, *, rub: Rubric, port: int, host: str, open_browser: bool, reviewer: str | None, lang: str,
               review_file: Path | None, export: Path | None, import_: Path | None, accept: tuple[str, ...]) -> None:
    if not (out / "results.json").is_file():
        raise ReviewCommandError(t("review.app.no_results", out=out))
    try:
        state = ReviewState(out, rub, reviewer=reviewer or default_reviewer(), lang=lang, review_file=review_file)
    except ReviewError as exc:
        raise ReviewCommandError(str(exc)) from None
    if import_ is not None:
        n = import_file(state, import_)
        print(t("review.app.imported", n=n, file=import_), file=sys.stderr)
    for qid in accept:
        try:
            done = state.accept(qid)
        except BadRequest as exc:
            raise ReviewCommandError(str(exc)) from None
        print(t("review.app.accepted", n=done["accepted"], question=qid), file=sys.stderr)
    if export is not None:
        write_atomic(export, state.book.export_csv())
        print(t("review.app.exported", n=len(state.book.latest()), file=export), file=sys.stderr)
    if import_ is not None or accept or export is not None:
        return
    from .serve import serve

    serve(state, host=host, port=port, open_browser=open_browser)


def import_file(state: ReviewState, path: Path) -> int:
    """Every decided line of a review file, added to the gradebook (a wrong line stops the import, adding none)."""
    if not path.is_file():
        raise ReviewCommandError(t("review.app.no_file", file=path))
    try:
        lines = read_reviews(path)
    except ReviewError as exc:
        raise ReviewCommandError(str(exc)) from None
    decisions = []
    for r in lines:
        try:
            q = state.question(r.student, r.question)
        except BadRequest as exc:
            raise ReviewCommandError(f"{path}:{r.line}: {exc}") from None
        if not 0 <= r.points <= q.max_points:
            raise ReviewCommandError(t("review.out_of_range", path=path, line=r.line, student=r.student,
                                       question=r.question, points=r.points, max=q.max_points))
        decisions.append(NewDecision(r.student, r.question, r.points, r.comment, r.reviewer or state.reviewer,
                                     r.answer_hash or answer_hash(q), normalise(q.answer, state.titles.get(q.id, "")),
                                     None, "import"))
    if decisions:
        state.book.record(decisions)
        state.write()
    return len(decisions)
