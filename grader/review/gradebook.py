"""The gradebook: every TA decision in `OUT/gradebook.sqlite` (standard library sqlite3, WAL mode).

Decisions are only ever added, never updated or deleted: the current decision on a (student,
question) is its latest row, and the rows before it are its history. Each row says who decided
(`reviewer`), when, the points (per item too, when given item by item), the comment and the hash
of the answer it judged — and that answer's normalised text, so that a near-identical answer met
later (another student's, or the same student's next version) can take the decision as its
proposal. Two TAs (two browsers on one server, or two servers on one folder) add rows in their
own short transactions; SQLite serialises them, so neither loses a decision.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

from ..reviews import Review

FILE = "gradebook.sqlite"
SCHEMA_VERSION = 1
EXPORT_COLUMNS = ("student", "question", "points", "comment", "reviewer", "time", "answer_hash")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS decisions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    student TEXT NOT NULL,
    question TEXT NOT NULL,
    points REAL NOT NULL,
    comment TEXT NOT NULL DEFAULT '',
    items TEXT,                          -- JSON {item id: points} when decided item by item
    reviewer TEXT NOT NULL,
    at TEXT NOT NULL,                    -- ISO-8601, UTC
    answer_hash TEXT NOT NULL,
    answer_norm TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL                 -- app | group | accept | import | cli
);
CREATE INDEX IF NOT EXISTS decisions_key ON decisions (student, question, id);
CREATE INDEX IF NOT EXISTS decisions_question ON decisions (question);
CREATE TABLE IF NOT EXISTS splits (      -- answers taken out of their group by a TA
    student TEXT NOT NULL,
    question TEXT NOT NULL,
    answer_hash TEXT NOT NULL,
    PRIMARY KEY (student, question)
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


@dataclass(frozen=True)
class Decision:
    """One row of the history."""

    id: int
    student: str
    question: str
    points: float
    comment: str
    items: dict[str, float] | None
    reviewer: str
    at: str
    answer_hash: str
    answer_norm: str
    source: str

    def as_review(self) -> Review:
        return Review(self.student, self.question, self.points, self.comment, 0, self.answer_hash, self.reviewer,
                      self.at, self.items, self.source)


@dataclass(frozen=True)
class NewDecision:
    """A decision to record (the time is the gradebook's)."""

    student: str
    question: str
    points: float
    comment: str
    reviewer: str
    answer_hash: str
    answer_norm: str = ""
    items: dict[str, float] | None = None
    source: str = "app"


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


class Gradebook:
    """The gradebook file of one output folder; every call opens its own connection (threads, processes)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        with self._connect() as db:
            db.executescript(_SCHEMA)
            db.execute("INSERT OR IGNORE INTO meta VALUES ('schema', ?)", (str(SCHEMA_VERSION),))

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with closing(sqlite3.connect(self.path, timeout=30, isolation_level=None)) as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA busy_timeout=30000")
            db.execute("PRAGMA synchronous=FULL")  # a decision acknowledged is a decision on disk
            yield db

    def record(self, decisions: list[NewDecision]) -> list[Decision]:
        """Add decisions in one transaction (a group's members land together or not at all)."""
        at = now()
        out = []
        with self._connect() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                for d in decisions:
                    cur = db.execute(
                        "INSERT INTO decisions (student, question, points, comment, items, reviewer, at, answer_hash,"
                        " answer_norm, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (d.student, d.question, float(d.points), d.comment,
                         json.dumps(d.items, ensure_ascii=False) if d.items else None, d.reviewer, at, d.answer_hash,
                         d.answer_norm, d.source))
                    out.append(Decision(int(cur.lastrowid or 0), d.student, d.question, float(d.points), d.comment,
                                        d.items, d.reviewer, at, d.answer_hash, d.answer_norm, d.source))
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        return out

    def _rows(self, sql: str, args: tuple = ()) -> list[Decision]:
        with self._connect() as db:
            rows = db.execute(sql, args).fetchall()
        return [Decision(r[0], r[1], r[2], r[3], r[4], json.loads(r[5]) if r[5] else None, r[6], r[7], r[8], r[9],
                         r[10]) for r in rows]

    _COLS = "id, student, question, points, comment, items, reviewer, at, answer_hash, answer_norm, source"

    def latest(self) -> list[Decision]:
        """The current decision of every (student, question) that has one."""
        return self._rows(f"SELECT {self._COLS} FROM decisions WHERE id IN "
                          "(SELECT MAX(id) FROM decisions GROUP BY student, question) ORDER BY id")

    def current(self) -> list[Review]:
        return [d.as_review() for d in self.latest()]

    def history(self, student: str | None = None, question: str | None = None) -> list[Decision]:
        """Every decision, oldest first (of one student and/or question when given)."""
        where, args = [], []
        if student is not None:
            where.append("student = ?")
            args.append(student)
        if question is not None:
            where.append("question = ?")
            args.append(question)
        clause = f" WHERE {' AND '.join(where)}" if where else ""
        return self._rows(f"SELECT {self._COLS} FROM decisions{clause} ORDER BY id", tuple(args))

    def decided_answers(self) -> list[Decision]:
        """Per question, every distinct answer text a TA decided, with its latest decision (for similar answers)."""
        return self._rows(f"SELECT {self._COLS} FROM decisions WHERE answer_norm != '' AND id IN "
                          "(SELECT MAX(id) FROM decisions GROUP BY question, answer_norm) ORDER BY id")

    def version(self) -> tuple[int, int, int]:
        """Changes whenever a decision or a split is added (by this process or another)."""
        with self._connect() as db:
            d = db.execute("SELECT COALESCE(MAX(id), 0), COUNT(*) FROM decisions").fetchone()
            n = db.execute("SELECT COUNT(*) FROM splits").fetchone()
        return int(d[0]), int(d[1]), int(n[0])

    # ── answers split off their group ──

    def split(self, student: str, question: str, answer_hash: str) -> None:
        with self._connect() as db:
            db.execute("INSERT OR REPLACE INTO splits VALUES (?, ?, ?)", (student, question, answer_hash))

    def splits(self) -> set[tuple[str, str, str]]:
        with self._connect() as db:
            return {tuple(r) for r in db.execute("SELECT student, question, answer_hash FROM splits")}

    # ── the review file: export and import ──

    def export_csv(self) -> str:
        """The current decisions in the review file's columns (plus reviewer, time, answer_hash)."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(EXPORT_COLUMNS)
        for d in sorted(self.latest(), key=lambda d: (d.student, d.question)):
            writer.writerow([d.student, d.question, f"{d.points:g}", d.comment, d.reviewer, d.at, d.answer_hash])
        return out.getvalue()


def gradebook_path(out: Path) -> Path:
    return Path(out) / FILE
