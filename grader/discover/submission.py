"""Finding submissions: a class folder holds one entry per student; a submission is a folder or a file.

Every entry of a class folder becomes a `Submission` — one that cannot be graded (an unknown file
type, an empty folder, a corrupt archive, a pipe) carries its `problem`, and the class run lists it
as not gradable with that reason instead of dropping it. An archive (`.zip`, `.tar.gz`) is unpacked
safely (`archives.py`) and graded as the folder it holds; archives inside a student's folder are
unpacked beside a copy of it. Hidden entries and the grader's own output folders are not students.
Nothing here raises for one student's files (a pathological file, a MemoryError): it is a note.
"""

from __future__ import annotations

import re

import hashlib
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..i18n import t
from ..sandbox.contents import Entry, Left, copy_into, walk
from .archives import ArchiveError, archive_stem, archive_suffix, single_top_folder, unpack
from .ids import file_stem

CODE_SUFFIXES = (".py", ".ipynb")
SHEET_SUFFIXES = (".md", ".markdown", ".txt")
DOCUMENT_SUFFIXES = (".docx", ".pdf", ".hwpx", ".hwp")  # read by grader.sheets.documents
GRADABLE = CODE_SUFFIXES + SHEET_SUFFIXES + DOCUMENT_SUFFIXES
IGNORED_DIRS = {"__pycache__", ".git", ".ipynb_checkpoints", ".idea", ".vscode", "venv", ".venv", "node_modules",
                "__MACOSX"}
IGNORED_FILES = {"Thumbs.db", "desktop.ini"}  # what file managers leave in a class folder (dot files too)
MAX_FILE_BYTES = 2 << 20  # larger "source" files are data, not answers
MAX_DOCUMENT_BYTES = 64 << 20  # a document with screenshots is larger than any source file
# A folder holding one of these is the grader's output (a run's, or the review app's), not a student.
OUTPUT_MARKERS = (".students", ".grade.lock", ".review.lock", "gradebook.sqlite")


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
    problem: str = ""  # why this entry cannot be graded ("": it can); the reason shown for it
    origin: Path | None = None  # the class folder's entry, when `path` is its unpacked copy

    @property
    def root(self) -> Path:
        return self.path if self.path.is_dir() else self.path.parent

    @property
    def entry(self) -> Path:
        """The entry of the class folder this submission is (the archive, not its unpacked copy)."""
        return self.origin or self.path

    def fingerprint(self) -> str:
        """A hash of the submission's gradable files (names and bytes)."""
        h = hashlib.sha256()
        for rel in self.files:
            h.update(str(rel).encode("utf-8", "surrogatepass") + b"\0")
            try:
                h.update((self.root / rel).read_bytes())
            except OSError:
                pass
            h.update(b"\0")
        return h.hexdigest()


@dataclass
class Discovery:
    """What a path holds: its submissions, and the entries that are not students (with why)."""

    submissions: list[Submission]
    skipped: list[tuple[Path, str]] = field(default_factory=list)
    single: bool = False  # PATH is one submission (not a class folder, even of one student)


def gradable_files(path: Path) -> list[Path]:
    """The files of a submission that are graded (relative to its root)."""
    return scan(path)[0]


def scan(path: Path) -> tuple[list[Path], list[str]]:
    """The gradable files of a submission, and notes on what was left out (pipes, unreadable files)."""
    if path.is_file():
        return ([Path(path.name)] if path.suffix.lower() in GRADABLE else []), []
    found: list[Path] = []
    notes: list[str] = []
    for item in walk(path):
        rel = Path(item.rel)
        if any(part in IGNORED_DIRS or part.startswith(".") for part in rel.parts):
            continue
        if isinstance(item, Left):
            notes.append(_left_note(item))
        elif rel.suffix.lower() in GRADABLE:
            found.append(rel)
    return found, notes


def _left_note(item: Left) -> str:
    if item.why == "unreadable":
        return t("note.unreadable", file=item.rel, error=item.error)
    return t(f"note.left.{item.why}" if item.why in ("fifo", "socket", "device") else "note.left.special",
             file=item.rel)


def student_id(path: Path) -> str:
    if path.is_file() and archive_suffix(path.name):
        return archive_stem(path.name)
    return path.stem if path.is_file() else path.name


def is_output_folder(path: Path) -> bool:
    """A folder the grader wrote (`reports/`): never a student's submission."""
    try:
        return path.is_dir() and any((path / m).exists() for m in OUTPUT_MARKERS)
    except OSError:
        return False


def _not_a_student(entry: Path, skip: set[Path]) -> str:
    """Why `entry` of a class folder is not a student's ("" when it is one)."""
    if entry.name.startswith(".") or entry.name in IGNORED_DIRS or entry.name in IGNORED_FILES:
        return "hidden"
    if _resolved(entry) in skip:
        return "output"
    if is_output_folder(entry):
        return "output"
    return ""


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except OSError:
        return path.absolute()


def is_single_submission(path: Path, skip: set[Path] | None = None) -> bool:
    """A file, or a folder laid out like one student's work (the book's `common/`, `ch07/`)."""
    if path.is_file():
        return True
    skip = skip or set()
    entries = [p for p in path.iterdir() if not _not_a_student(p, skip)]
    names = {p.name for p in entries if p.is_dir()}
    if names & {"common", "ch07", "ch08"}:
        return True
    files = [p for p in entries if p.is_file() and (p.suffix.lower() in GRADABLE or archive_suffix(p.name))]
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
        except Exception:  # noqa: BLE001 - SyntaxError, and MemoryError/RecursionError on a pathological file
            continue
        for node in ast.walk(tree):
            mods = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            if any(m.split(".")[0] in stems - {p.stem} for m in mods):
                return True
    return False


def load_submission(path: Path, *, sid: str | None = None) -> Submission:
    """The submission at `path` (a class folder's entry, or the path given for one submission).

    Never raises for what the entry holds: a problem is the submission's `problem`, a file left
    out is a note.
    """
    sid = student_id(path) if sid is None else sid
    try:
        return _load(path, sid)
    except Exception as exc:  # noqa: BLE001 - MemoryError, RecursionError…: one student never stops the class
        return Submission(sid, path, problem=t("note.reason.discovery", entry=path.name, error=f"{type(exc).__name__}: {exc}"))


def _load(path: Path, sid: str) -> Submission:
    try:
        path.lstat()
    except OSError as exc:
        return Submission(sid, path, problem=t("note.reason.unreadable", entry=path.name, error=exc.strerror or exc))
    if path.is_symlink():
        return Submission(sid, path, problem=t("note.reason.link", entry=path.name))
    if path.is_file():
        if archive_suffix(path.name):
            return _from_archive(path, sid)
        if path.suffix.lower() not in GRADABLE:
            return Submission(sid, path, problem=t("note.reason.not_a_submission", entry=path.name, forms=forms()))
    elif not path.is_dir():
        kind = next((item.why for item in walk(path) if isinstance(item, Left)), "special")
        return Submission(sid, path, problem=t("note.reason.special", entry=path.name, kind=t(f"note.kind.{kind}")))
    if path.is_dir() and _archives_inside(path):
        return _staged(path, sid)
    return _finish(Submission(sid, path))


def _finish(sub: Submission) -> Submission:
    files, notes = scan(sub.path)
    sub.notes.extend(notes)
    big = []
    for f in files:
        try:
            if (sub.root / f).stat().st_size > size_limit(f):
                big.append(f)
        except OSError as exc:
            sub.notes.append(t("note.unreadable", file=f, error=exc.strerror))
            big.append(f)
    for f in big:
        if (sub.root / f).exists():
            sub.notes.append(t("note.too_big", file=f, mib=size_limit(f) >> 20))
    sub.files = [f for f in files if f not in big]
    if not sub.files and not sub.problem:
        sub.problem = t("note.reason.no_files", entry=sub.entry.name, forms=forms())
    return sub


def forms() -> str:
    """The forms a submission may take, for messages: `.py, .ipynb, …, .zip, .tar.gz`."""
    return ", ".join([*GRADABLE, ".zip", ".tar.gz"])


def _workspace(sid: str) -> Path:
    """A fresh folder for an unpacked copy, inside the run's temporary folder (removed at exit)."""
    from ..sandbox.lifetime import run_dir

    base = run_dir() / "unpacked"
    base.mkdir(exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=file_stem(sid)[:40] + "-", dir=base))


def _from_archive(archive: Path, sid: str) -> Submission:
    dest = _workspace(sid)
    try:
        notes = unpack(archive, dest)
    except ArchiveError as exc:
        return Submission(sid, archive, problem=str(exc))
    root = single_top_folder(dest)
    sub = Submission(sid, root, notes=[t("note.archive.unpacked", archive=archive.name), *notes], origin=archive)
    return _finish(sub)


def _archives_inside(folder: Path) -> list[str]:
    """Archives inside a student's folder (an LMS keeps each student's uploaded zip in a folder)."""
    return [item.rel for item in walk(folder) if isinstance(item, Entry) and archive_suffix(item.rel)
            and not any(p in IGNORED_DIRS or p.startswith(".") for p in Path(item.rel).parts)]


def _staged(folder: Path, sid: str) -> Submission:
    """A copy of the folder with each archive in it unpacked beside it (`hw5.zip` → `hw5/`)."""
    dest = _workspace(sid)
    copy = dest / folder.name
    copy_into(folder, copy)
    notes: list[str] = []
    for rel in _archives_inside(copy):
        archive = copy / rel
        target = archive.with_name(archive_stem(archive.name))
        if target.exists():
            target = archive.with_name(archive.name + "~unpacked")
        try:
            notes.append(t("note.archive.unpacked", archive=rel))
            notes.extend(unpack(archive, target))
        except ArchiveError as exc:
            notes.append(str(exc))
        archive.unlink(missing_ok=True)
    return _finish(Submission(sid, copy, notes=notes, origin=folder))


def find_submissions(path: Path, *, single: bool | None = None, out: Path | None = None,
                     also_skip: tuple[Path, ...] = ()) -> list[Submission]:
    """The submissions at `path`: a class folder (one per entry), or one submission.

    Raises SubmissionError with a message naming the path and the fix when there is nothing to grade.
    """
    return discover(path, single=single, out=out, also_skip=also_skip).submissions


def discover(path: Path, *, single: bool | None = None, out: Path | None = None,
             also_skip: tuple[Path, ...] = ()) -> Discovery:
    """`find_submissions`, also saying which entries were not taken as students (the output folder…).

    `out` (the run's output folder) and `also_skip` (the review file) are never students.
    """
    if not path.exists():
        raise SubmissionError(t("cli.path_missing", path=path))
    given = Path(os.path.abspath(path))  # `grade .` is the folder's name; a link given as PATH is followed
    path = given.resolve() if given.is_symlink() else given
    skip = {_resolved(p) for p in (out, *also_skip) if p is not None}
    if path.is_file() and archive_suffix(path.name) and single is not True:
        return _archived_class(path, sid=student_id(given), out=out)
    if path.is_dir() and not path.is_symlink():
        try:
            if single is None:
                single = is_single_submission(path, skip)
        except OSError as exc:
            raise SubmissionError(t("cli.path_unreadable", path=path, error=exc.strerror or exc)) from None
    if single or not path.is_dir():
        sub = load_submission(path, sid=student_id(given))
        if sub.problem == t("note.reason.no_files", entry=sub.entry.name, forms=forms()):
            raise SubmissionError(t("cli.nothing_to_grade", path=given))
        if sub.problem:
            raise SubmissionError(sub.problem)
        return Discovery([sub], single=True)
    try:
        entries = sorted(path.iterdir())
    except OSError as exc:
        raise SubmissionError(t("cli.path_unreadable", path=path, error=exc.strerror or exc)) from None
    subs: list[Submission] = []
    skipped: list[tuple[Path, str]] = []
    for entry in entries:
        why = _not_a_student(entry, skip)
        if why == "output":
            skipped.append((entry, why))
        if why:
            continue
        subs.append(load_submission(entry))
    if not subs:
        raise SubmissionError(t("cli.empty_class", path=path))
    _unique_ids(subs)
    return Discovery(subs, skipped)


def _archived_class(archive: Path, *, sid: str, out: Path | None) -> Discovery:
    """An archive given as PATH: the class (or the one submission) it holds, unpacked."""
    dest = _workspace(sid)
    try:
        notes = unpack(archive, dest)
    except ArchiveError as exc:
        raise SubmissionError(str(exc)) from None
    root = single_top_folder(dest)
    found = discover(root, out=out)
    if found.single:
        sub = found.submissions[0]
        sub.id, sub.origin = sid, archive
        sub.notes[:0] = [t("note.archive.unpacked", archive=archive.name), *notes]
    return found


def _unique_ids(subs: list[Submission]) -> None:
    """`kim.py` and `kim/` are two students: the later one is known by its whole entry name."""
    seen: set[str] = set()
    for sub in subs:
        if sub.id in seen:
            sub.id = sub.entry.name
        base, n = sub.id, 2
        while sub.id in seen:
            sub.id = f"{base}~{n}"
            n += 1
        seen.add(sub.id)


def _answer_pattern() -> re.Pattern[bytes]:
    """A line that only a whole answer holds: a class a code question grades, or a code question's number."""
    from ..rubric import default_rubric

    code = [q for q in default_rubric().questions if q.kind == "code"]
    classes = sorted({q.grades for q in code if q.grades[:1].isupper()}) or ["(?!)"]
    numbers = [re.escape(q.id) for q in code[:1]] or ["(?!)"]
    return re.compile(rb"^\s*class\s+(" + "|".join(classes).encode() + rb")\b|^#*\s*(" + "|".join(numbers).encode()
                      + rb")\b", re.M)


def several_students(path: Path, *, at_least: int = 3) -> list[str]:
    """The entries of a folder that each hold a whole answer (a class a code question grades, or a
    sheet answering many questions), when there are at least `at_least`: a class folder, not one
    student's (whose drafts or images sit beside the real work). Empty otherwise."""

    if not path.is_dir() or is_single_submission(path):
        return []
    answer = _answer_pattern()
    found = []
    for entry in sorted(path.iterdir()):
        if _not_a_student(entry, set()):
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
