"""A class's cards: written as each student finishes, rewritten only when what they show has changed.

A card is a function of the student's result (the TA's reviews and the run's notes included), the
language, the class's maximum, the card's file name, the grader's version and the renderer (its
code, templates and catalogue, and the versions of Jinja2 and Pygments). Beside each card,
`OUT/.cards/<name>.json` records a digest of all that and the card's size; the end of a run — after
the reviews are applied — rewrites only the cards whose digest differs: a student graded by the
grading process writes its card there, and a student resumed from a previous run keeps its card.
The footer's time is not in the digest: a card kept as it was keeps the time it was made.

The record is removed before its card is rewritten and written after it, so an interrupted write
never leaves a record vouching for a card it does not describe.
"""

from __future__ import annotations

import hashlib
import json
import os
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from ..model import ClassResult, StudentResult, json_default
from .files import write_atomic
from .html import card_path, render_class_card

RECORDS = ".cards"
_RENDERER_FILES = ("i18n.py", "report/*.py", "report/templates/*")  # under the grader package


@lru_cache(maxsize=1)
def renderer_signature() -> str:
    """A hash of everything besides the result that decides a card's bytes (computed once per process)."""
    root = Path(__file__).resolve().parents[1]
    h = hashlib.sha256("|".join(_version(p) for p in ("jinja2", "markupsafe", "pygments")).encode())
    for pattern in _RENDERER_FILES:
        for path in sorted(root.glob(pattern)):
            if path.is_file():
                h.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "?"


def digest(student: StudentResult, *, name: str, lang: str, max_points: float, version: str) -> str:
    """What the card of `student` shows, as a hash (the footer's time left out)."""
    text = json.dumps([renderer_signature(), name, lang, max_points, version, student], default=json_default,
                      ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _record_path(out: Path, name: str) -> Path:
    return out / RECORDS / f"{name}.json"


def is_current(out: Path, student: StudentResult, *, name: str, lang: str, max_points: float, version: str) -> bool:
    """Whether the card on disk is the card of `student` now (its record matches, and it has the recorded size)."""
    try:
        record = json.loads(_record_path(out, name).read_text("utf-8"))
        size = card_path(out, name).stat().st_size
    except (OSError, ValueError):
        return False
    return (isinstance(record, dict) and record.get("bytes") == size
            and record.get("digest") == digest(student, name=name, lang=lang, max_points=max_points, version=version))


def write_card(out: Path, student: StudentResult, *, name: str, lang: str, max_points: float, generated: str,
               version: str) -> Path:
    """Render and write the card of `student`, then its record."""
    record = _record_path(out, name)
    try:
        os.unlink(record)
    except FileNotFoundError:
        pass
    data = render_class_card(student, lang=lang, max_points=max_points, generated=generated,
                             version=version).encode("utf-8")
    path = card_path(out, name)
    write_atomic(path, data)
    write_atomic(record, json.dumps({"digest": digest(student, name=name, lang=lang, max_points=max_points,
                                                      version=version), "bytes": len(data)}))
    return path


def write_cards(result: ClassResult, out: Path, *, lang: str, names: dict[str, str]) -> list[Path]:
    """Every student's card, rewritten where it is not current; returns the paths of all of them."""
    paths = []
    for student in result.students:
        name = names[student.id]
        kw = {"name": name, "lang": lang, "max_points": result.max_points, "version": result.grader_version}
        if is_current(out, student, **kw):
            paths.append(card_path(out, name))
        else:
            paths.append(write_card(out, student, generated=result.generated, **kw))
    return paths
