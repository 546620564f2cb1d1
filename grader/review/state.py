"""The class as the review app sees it: the machine's results, the TA's decisions, and the files they make.

The machine's result of each student is the one the class run saved (`OUT/.students/<id>.json`,
before any review); a decision is added to the gradebook, then every student is re-scored from
the machine's results and every decision (pure: `reviews.review_class`, exactly what `grade PATH`
does at the end of a run), and the outputs whose content changed are rewritten atomically:
the cards and Gradescope files of the students whose result changed, and results.json,
grades.csv, lms.csv, review-queue.csv, index.html and review.html. The rewrite holds a lock on
the output folder (`OUT/.review.lock`), so two servers on one folder write one after the other,
each with every decision in the gradebook.
"""

from __future__ import annotations

import dataclasses
import fcntl
import json
import math
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from ..i18n import t
from ..model import ClassResult, QuestionResult, StudentResult, student_from_dict
from ..report.files import write_atomic
from ..discover.ids import file_stem
from ..reviews import ReviewError, answer_hash, counts, needs_person, review_class, state_of, waiting
from ..rubric import Rubric
from .gradebook import FILE, Gradebook, NewDecision
from .groups import Group, groups_of, normalise

LOCK = ".review.lock"
FILTERS = ("waiting", "review", "proposed", "changed", "reviewed", "all")


class BadRequest(ValueError):
    """A request the app refuses (unknown student or question, points out of range): 400 with this message."""


@dataclass
class Header:
    assignment: str
    grader_version: str
    generated: str
    max_points: float


class ReviewState:
    """The machine's results of one output folder, the gradebook, and the reviewed class they make."""

    def __init__(self, out: Path, rubric: Rubric, *, reviewer: str, lang: str = "ko",
                 review_file: Path | None = None) -> None:
        self.out = Path(out)
        self.rubric = rubric
        self.reviewer = reviewer
        self.lang = lang
        self.review_file = review_file or self.out / "reviews.csv"
        self.book = Gradebook(self.out / FILE)
        self.titles = {q.id: q.title for q in rubric.questions}
        self.lock = threading.RLock()
        self._stamp: tuple[int, int] | None = None
        self._machine: dict[str, tuple[int, str]] = {}  # id → (mtime of the saved result, its JSON text)
        self.order: list[str] = []
        self.header = Header("", "", "", rubric.max_points)
        self.result = ClassResult("", "", "", rubric.max_points)
        self._written: dict[str, tuple[Any, str]] = {}  # id → (signature, results.json entry) last written
        self._version: tuple[Any, ...] = ()
        self._pages: threading.Event | None = None  # set: the class pages wait for the page writer
        self.refresh()

    # ── reading ──

    def refresh(self) -> None:
        """Read what a class run wrote since (results.json's students, each changed saved result), then re-score."""
        with self.lock:
            path = self.out / "results.json"
            try:
                st = path.stat()
            except OSError:
                raise ReviewError(t("review.app.no_results", out=self.out)) from None
            stamp = (st.st_mtime_ns, st.st_size)
            if stamp != self._stamp:
                data = json.loads(path.read_text("utf-8"))
                self.header = Header(data.get("assignment", ""), data.get("grader_version", ""),
                                     data.get("generated", ""), float(data.get("max_points", self.rubric.max_points)))
                self.order = [s["id"] for s in data.get("students", [])]
                self._fallback = {s["id"]: s for s in data.get("students", [])}
                self._stamp = stamp
            changed = [self._load_machine(sid) for sid in self.order]
            version = (stamp, self.book.version(), _mtime(self.review_file))
            if any(changed) or version != self._version:
                self.result = self._reviewed()
                self._version = version

    def _load_machine(self, sid: str) -> bool:
        store = self.out / ".students" / f"{file_stem(sid)}.json"
        try:
            mtime = store.stat().st_mtime_ns
        except OSError:
            mtime = -1
        known = self._machine.get(sid)
        if known is not None and known[0] == mtime:
            return False
        text = None
        if mtime >= 0:
            try:
                text = store.read_text("utf-8")
                student_from_dict(json.loads(text))
            except (OSError, ValueError, TypeError, KeyError):
                text = None
        if text is None:  # no saved result (a grader error): results.json's entry is all there is
            text = json.dumps(self._fallback[sid], ensure_ascii=False)
        self._machine[sid] = (mtime, text)
        return True

    def _reviewed(self) -> ClassResult:
        students = [student_from_dict(json.loads(self._machine[sid][1])) for sid in self.order]
        result = ClassResult(self.header.assignment, self.header.grader_version, self.header.generated,
                             self.header.max_points, students)
        review_class(result, self.review_file, self.out / FILE, self.titles)
        return result

    def student(self, sid: str) -> StudentResult:
        s = next((s for s in self.result.students if s.id == sid), None)
        if s is None:
            raise BadRequest(t("review.app.unknown_student", student=sid))
        return s

    def question(self, sid: str, qid: str) -> QuestionResult:
        q = self.student(sid).question(qid)
        if q is None:
            raise BadRequest(t("review.app.unknown_question", question=qid))
        return q

    def questions(self) -> list[dict[str, Any]]:
        """The questions a person judges, in rubric order, with how many answers wait and in which state."""
        per = counts(self.result)["per_question"]
        out = []
        for rq in self.rubric.questions:
            c = per.get(rq.id)
            if c is None and rq.kind not in ("written", "drawing"):
                continue
            c = c or {}
            out.append({"id": rq.id, "kind": rq.kind, "title": rq.title, "max_points": rq.points,
                        "waiting": c.get("review", 0) + c.get("proposed", 0) + c.get("changed", 0),
                        "counts": {k: c.get(k, 0) for k in ("review", "proposed", "changed", "reviewed")}})
        return out

    def groups(self, qid: str) -> list[Group]:
        if qid not in self.titles:
            raise BadRequest(t("review.app.unknown_question", question=qid))
        return groups_of(self.result, qid, self.titles.get(qid, ""), self.book.splits())

    def queue(self, qid: str, which: str = "all") -> list[tuple[Group, list[tuple[StudentResult, QuestionResult]]]]:
        """The groups of `qid` with their members in the state `which` (a filter of FILTERS)."""
        if which not in FILTERS:
            raise BadRequest(t("review.app.bad_filter", value=which, choices=", ".join(FILTERS)))
        out = []
        for g in self.groups(qid):
            members = [(s, q) for s, q in g.members if needs_person(q) and _shown(q, which)]
            if members:
                out.append((g, members))
        return out

    # ── deciding ──

    def decide(self, sid: str, qid: str, points: Any, comment: Any = "", *, items: Any = None, group: bool = False,
               source: str = "app") -> dict[str, Any]:
        """Record a TA's decision (on the answer's group when `group`), re-score, rewrite; the new totals."""
        with self.lock:
            self.refresh()
            q = self.question(sid, qid)
            item_points = _items(q, items)
            if points is None and item_points is not None:
                points = sum(item_points.values()) + sum(i.points for i in q.items if i.id not in item_points)
            value = _points(points, q.max_points)
            if not isinstance(comment, str):
                raise BadRequest(t("review.app.bad_comment"))
            targets = [sid]
            if group:
                g = next((g for g in self.groups(qid) if sid in g.students), None)
                targets = g.students if g else [sid]
            decisions = []
            for member in targets:
                mq = self.question(member, qid)
                decisions.append(NewDecision(member, qid, value, comment.strip()[:2000], self.reviewer,
                                             answer_hash(mq), normalise(mq.answer, self.titles.get(qid, "")),
                                             item_points if member == sid else None,
                                             source if member == sid else "group"))
            self.book.record(decisions)
            self.write()
            return self._answer(sid, qid, targets)

    def accept(self, qid: str, sid: str | None = None) -> dict[str, Any]:
        """Confirm the proposals: of one answer, or every proposed answer of `qid` (not those to review)."""
        with self.lock:
            self.refresh()
            if sid is not None:
                chosen = [(sid, self.question(sid, qid))]
                if not waiting(chosen[0][1]):
                    chosen = []
            else:
                if qid not in self.titles:
                    raise BadRequest(t("review.app.unknown_question", question=qid))
                chosen = [(s.id, q) for s in self.result.students if (q := s.question(qid)) is not None
                          and waiting(q) and state_of(q) == "proposed"]
            decisions = [NewDecision(s, qid, q.points, "", self.reviewer, answer_hash(q),
                                     normalise(q.answer, self.titles.get(qid, "")), None, "accept") for s, q in chosen]
            if decisions:
                self.book.record(decisions)
                self.write()
            out = self._answer(sid, qid, [s for s, _ in chosen]) if sid else {"question": qid}
            out["accepted"] = len(decisions)
            out.setdefault("students", [self._total(s) for s, _ in chosen])
            return out

    def split(self, sid: str, qid: str) -> dict[str, Any]:
        with self.lock:
            q = self.question(sid, qid)
            self.book.split(sid, qid, answer_hash(q))
            g = next(g for g in self.groups(qid) if sid in g.students)
            return {"student": sid, "question": qid, "group": g.id}

    def _total(self, sid: str) -> dict[str, Any]:
        s = self.student(sid)
        return {"student": sid, "points": s.points, "pending_points": s.pending_points}

    def _answer(self, sid: str | None, qid: str, targets: list[str]) -> dict[str, Any]:
        if sid is None:
            return {"question": qid, "students": [self._total(s) for s in targets]}
        q = self.question(sid, qid)
        return {**self._total(sid), "question": qid, "question_points": q.points, "state": state_of(q),
                "students": [self._total(s) for s in targets]}

    # ── writing ──

    def write(self) -> list[str]:
        """Re-score every student from the gradebook and rewrite what changed; the ids of the students rewritten."""
        from ..report.cards import write_cards
        from ..report.exports import gradescope, lms_csv
        from ..report.html import card_names, render_class
        from ..report.tables import grades_csv, results_json_chunks, student_json
        from ..reviews import review_queue

        with self.lock, folder_lock(self.out):
            for sid in self.order:
                self._load_machine(sid)
            result = self._reviewed()
            marks = {s.id: _signature(s, self._machine[s.id][0]) for s in result.students}
            changed = [sid for sid, mark in marks.items() if self._written.get(sid, (None,))[0] != mark]
            encoded = {s.id: student_json(s) if s.id in changed else self._written[s.id][1] for s in result.students}
            for name, text in (("results.json", results_json_chunks(result, encoded)),
                               ("grades.csv", grades_csv(result, self.rubric)),
                               ("review-queue.csv", review_queue(result)), ("lms.csv", lms_csv(result))):
                write_atomic(self.out / name, text)
            for s in result.students:
                if s.id in changed:
                    write_atomic(self.out / "gradescope" / f"{file_stem(s.id)}.json", gradescope(s))
            touched = dataclasses.replace(result, students=[s for s in result.students if s.id in changed])
            write_cards(touched, self.out, lang=self.lang, names=card_names(s.id for s in result.students))
            if self._pages is None:
                render_class(result, self.out, lang=self.lang, cards=False)
            else:
                self._pages.set()  # the class pages follow in the page writer, so the TA need not wait for them
            self._written = {sid: (marks[sid], encoded[sid]) for sid in marks}
            self.result = result
            # results.json is ours now: the next refresh need not read it, nor re-score, unless something else changes
            st = (self.out / "results.json").stat()
            self._stamp = (st.st_mtime_ns, st.st_size)
            self._version = (self._stamp, self.book.version(), _mtime(self.review_file))
            return changed


    # ── the class pages, written behind the decisions ──

    def start_page_writer(self) -> None:
        """Write index.html and review.html in a thread after decisions (a burst of them: once), not in the request.

        The student's own files, results.json and grades.csv are written before the decision is
        answered; the two class pages, whose rendering grows with the class, a moment later.
        """
        self._pages = threading.Event()
        threading.Thread(target=self._page_loop, name="class-pages", daemon=True).start()

    def _page_loop(self) -> None:
        assert self._pages is not None
        while True:
            self._pages.wait()
            self._pages.clear()
            self.write_pages()

    def write_pages(self) -> None:
        from ..report.html import render_class

        result = self.result  # replaced, never changed, by `write`: a consistent snapshot without the lock
        with folder_lock(self.out):
            render_class(result, self.out, lang=self.lang, cards=False)

    def flush(self) -> None:
        """The class pages written now if a decision is still waiting for them (at the server's end)."""
        if self._pages is not None and self._pages.is_set():
            self._pages.clear()
            self.write_pages()


def _signature(s: StudentResult, machine: int) -> tuple[Any, ...]:
    """What a decision can change in a student's result (the rest comes from the saved result, by its mtime)."""
    return (machine, s.points, s.pending_points, s.waiting, tuple(
        (q.id, q.points, q.status, q.confirmed, q.review_state, q.proposed_points, q.proposed_from, q.review_comment,
         q.reviewer, q.reviewed_at, repr(q.previous_review), q.review,
         tuple(i.reviewed_points for i in q.items)) for q in s.questions))




def _mtime(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return -1


def _shown(q: QuestionResult, which: str) -> bool:
    if q.status == "missing":
        return False
    state = state_of(q)
    if which == "all":
        return True
    if which == "waiting":
        return waiting(q)
    return state == which


def _points(raw: Any, top: float) -> float:
    if isinstance(raw, bool) or not isinstance(raw, (int, float)):
        try:
            raw = float(str(raw).strip())
        except ValueError:
            raise BadRequest(t("review.app.not_number", value=raw)) from None
    if not math.isfinite(raw) or not 0 <= raw <= top:
        raise BadRequest(t("review.app.out_of_range", value=raw, max=top))
    return round(float(raw), 2)


def _items(q: QuestionResult, raw: Any) -> dict[str, float] | None:
    if raw in (None, {}):
        return None
    if not isinstance(raw, dict):
        raise BadRequest(t("review.app.bad_items"))
    known = {i.id: i for i in q.items}
    out = {}
    for iid, value in raw.items():
        if iid not in known:
            raise BadRequest(t("review.app.unknown_item", item=iid, question=q.id))
        out[iid] = _points(value, known[iid].max_points)
    return out


@contextmanager
def folder_lock(out: Path) -> Iterator[None]:
    """Writers of one output folder take turns (two servers, or a server and `grade review --accept`)."""
    out.mkdir(parents=True, exist_ok=True)
    with open(out / LOCK, "a+") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)
