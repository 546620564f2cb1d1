"""Finding submissions: a class folder holds one entry per student; a submission is a folder or a file."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from ..i18n import t

CODE_SUFFIXES = (".py", ".ipynb")
SHEET_SUFFIXES = (".md", ".markdown", ".txt")
DOCUMENT_SUFFIXES = (".docx", ".pdf", ".hwpx", ".hwp")  # read by grader.sheets.documents
GRADABLE = CODE_SUFFIXES + SHEET_SUFFIXES + DOCUMENT_SUFFIXES
IGNORED_DIRS = {"__pycache__", ".git", ".ipynb_checkpoints", ".idea", ".vscode", "venv", ".venv", "node_modules"}
MAX_FILE_BYTES = 2 << 20  # larger "source" files are data, not answers
MAX_DOCUMENT_BYTES = 64 << 20  # a document with screenshots is larger than any source file


def size_limit(path: Path) -> int:
    """The largest file of this kind that is graded (documents hold pictures; sources do not)."""
    return MAX_DOCUMENT_BYTES if path.suffix.lower() in DOCUMENT_SUFFIXES else MAX_FILE_BYTES


class SubmissionError(Exception):
    """A path that cannot be graded at all (missing, empty, unreadable)."""


@dataclass
class Submission:
    id: str
    path: Path
    files: list[Path] = field(default_factory=list)  # relative to `root`
    notes: list[str] = field(default_factory=list)

    @property
    def root(self) -> Path:
        return self.path if self.path.is_dir() else self.path.parent

    def fingerprint(self) -> str:
        """A hash of the submission's gradable files (names and bytes)."""
        h = hashlib.sha256()
        for rel in self.files:
            h.update(str(rel).encode() + b"\0")
            try:
                h.update((self.root / rel).read_bytes())
            except OSError:
                pass
            h.update(b"\0")
        return h.hexdigest()


def gradable_files(path: Path) -> list[Path]:
    if path.is_file():
        return [Path(path.name)] if path.suffix.lower() in GRADABLE else []
    found = []
    for p in sorted(path.rglob("*")):
        rel = p.relative_to(path)
        if any(part in IGNORED_DIRS or part.startswith(".") for part in rel.parts):
            continue
        if p.is_symlink() or not p.is_file() or p.suffix.lower() not in GRADABLE:
            continue
        found.append(rel)
    return found


def student_id(path: Path) -> str:
    return path.stem if path.is_file() else path.name


def is_single_submission(path: Path) -> bool:
    """A file, or a folder laid out like one student's work (the book's `common/`, `ch07/`)."""
    if path.is_file():
        return True
    entries = [p for p in path.iterdir() if not p.name.startswith(".") and p.name not in IGNORED_DIRS]
    names = {p.name for p in entries if p.is_dir()}
    if names & {"common", "ch07", "ch08"}:
        return True
    files = [p for p in entries if p.is_file() and p.suffix.lower() in GRADABLE]
    if any(p.is_dir() for p in entries):
        return False
    return len(files) <= 1 or _imports_a_sibling(files)


def _imports_a_sibling(files: list[Path]) -> bool:
    """Python files that import each other (`from layers import *`) are one student's modules."""
    import ast

    stems = {p.stem for p in files if p.suffix == ".py"}
    for p in files:
        if p.suffix != ".py":
            continue
        try:
            tree = ast.parse(p.read_bytes())
        except (SyntaxError, ValueError, OSError):
            continue
        for node in ast.walk(tree):
            mods = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            if any(m.split(".")[0] in stems - {p.stem} for m in mods):
                return True
    return False


def load_submission(path: Path) -> Submission:
    sub = Submission(student_id(path), path, gradable_files(path))
    big = [f for f in sub.files if (sub.root / f).stat().st_size > size_limit(f)]
    for f in big:
        sub.notes.append(t("note.too_big", file=f, mib=size_limit(f) >> 20))
    sub.files = [f for f in sub.files if f not in big]
    return sub


def find_submissions(path: Path, *, single: bool | None = None) -> list[Submission]:
    """The submissions at `path`: a class folder (one per entry), or one submission.

    Raises SubmissionError with a message naming the path and the fix when there is nothing to grade.
    """
    if not path.exists():
        raise SubmissionError(t("cli.path_missing", path=path))
    if single is None:
        single = is_single_submission(path)
    if single:
        sub = load_submission(path)
        if not sub.files:
            raise SubmissionError(t("cli.nothing_to_grade", path=path))
        return [sub]
    subs = []
    for entry in sorted(path.iterdir()):
        if entry.name.startswith(".") or entry.name in IGNORED_DIRS:
            continue
        if entry.is_file() and entry.suffix.lower() not in GRADABLE:
            continue
        subs.append(load_submission(entry))
    if not subs:
        raise SubmissionError(t("cli.empty_class", path=path))
    seen: dict[str, Submission] = {}
    for sub in subs:
        if sub.id in seen:  # kim.py and kim/ : keep both, apart
            sub.id = f"{sub.id}{sub.path.suffix or '_dir'}"
        seen[sub.id] = sub
    return subs


def several_students(path: Path, *, at_least: int = 3) -> list[str]:
    """The entries of a folder that each hold a whole answer (a SimpleConvNet or Convolution class, or a
    sheet answering many questions), when there are at least `at_least`: a class folder, not one
    student's (whose drafts or images sit beside the real work). Empty otherwise."""
    import re

    if not path.is_dir() or is_single_submission(path):
        return []
    answer = re.compile(rb"^\s*class\s+(SimpleConvNet|Convolution)\b|^#*\s*7\.4\.3\.2\b", re.M)
    found = []
    for entry in sorted(path.iterdir()):
        if entry.name.startswith(".") or entry.name in IGNORED_DIRS:
            continue
        files = [entry] if entry.is_file() else [entry / f for f in gradable_files(entry)]
        for f in files[:50]:
            try:
                if f.suffix.lower() in GRADABLE and f.stat().st_size <= MAX_FILE_BYTES and answer.search(f.read_bytes()):
                    found.append(entry.name)
                    break
            except OSError:
                continue
    return found if len(found) >= at_least else []
