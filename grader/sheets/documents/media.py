"""Pictures into the results: stored under OUT/media/<student>/, described on their questions.

A picture's file name is a digest of its bytes, so the same submission always gives the same
files, and a picture that appears twice is stored once. The results name each file relative to
the output folder (`media/kim_minji/3f2a….png`) with its type, size and digest, plain data that
any renderer of results.json can show. A question answered by nothing but a picture is sent to a
person: a screenshot of code cannot be run, a photographed answer cannot be read by the grader.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ...i18n import t
from ...model import StudentResult
from ..model import Picture

MEDIA = "media"


def media_folder(sid: str) -> str:
    """The folder name of a student's pictures under OUT/media (the one place it is decided)."""
    from ...discover.ids import file_stem  # a student's stored file name: one to one, never a path

    return file_stem(sid)


def picture_file(sid: str, picture: Picture) -> str:
    """Where a picture is stored, relative to the output folder."""
    return f"{MEDIA}/{media_folder(sid)}/{picture.sha256[:20]}.{picture.extension}"


def describe(sid: str, picture: Picture) -> dict[str, Any]:
    return {"file": picture_file(sid, picture), "media_type": picture.media_type, "width": picture.width,
            "height": picture.height, "sha256": picture.sha256, "where": picture.where}


def store(out: Path, sid: str, pictures: list[Picture]) -> list[Path]:
    """Write each picture under `out` (atomically; a file already there with the same size is kept)."""
    from ...report.files import write_atomic

    written = []
    for picture in pictures:
        path = out / picture_file(sid, picture)
        try:
            if path.stat().st_size == len(picture.data):
                continue  # named by its digest: the same bytes
        except OSError:
            pass
        write_atomic(path, picture.data)
        written.append(path)
    return written


def attach_pictures(result: StudentResult, pictures: list[Picture], out: str = "") -> None:
    """Describe the pictures on their questions (and the rest on the student); store them when `out` is set.

    A code, numeric or written question whose answer is a picture and no text goes to review, with
    a note saying so, instead of a silent 0; a drawing question is always reviewed.
    """
    if out:
        store(Path(out), result.id, pictures)
    for q in result.questions:
        q.pictures = [describe(result.id, p) for p in pictures if q.id in p.questions]
        if q.pictures and not q.answer.strip() and q.kind != "drawing":
            q.notes.append(t("doc.code_picture") if q.kind == "code" else t("doc.answer_picture"))
            q.status = "manual"
            q.review = True
    result.pictures = [describe(result.id, p) for p in pictures if not p.questions]
