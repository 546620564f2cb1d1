"""Student ids → stored file and folder names, one to one.

A student id is a folder or file name of the class folder: anything a file system allows (spaces,
Hangul, dots, `CON`). Every output that is named after a student — the saved result
(`.students/`), the card (`cards/`), the Gradescope export, the worker's private folder, a
document's pictures (`media/`) — takes its name from `file_stem`, so two students never share a
file: `kim minji` and `kim_minji` get two names, on every file system.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

__all__ = ["file_stem"]

# Kept as they are: lower-case ASCII letters and digits, words joined by single `_` or `-`. Such a
# name never contains `--`, which every other name does, so the two kinds never meet; and being
# lower case, two kept names never differ only in case (macOS and Windows fold case).
_PLAIN = re.compile(r"[a-z0-9]+(?:[_-][a-z0-9]+)*")
_MAX_PLAIN = 64
_WINDOWS_RESERVED = frozenset({"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)),
                               *(f"lpt{i}" for i in range(10))})
DIGEST_CHARS = 16  # 64 bits of SHA-256: a clash would need ~4 billion students


def file_stem(student_id: str) -> str:
    """The file name (without suffix) for `student_id`: the id itself when it is a plain name, else a
    readable part and a digest of the exact id (`Kim Minji` → `Kim_Minji--3f9a…`).

    Injective: two different ids never get the same stem, nor two stems that differ only in case.
    The stem depends on the id alone (not on the class), is ASCII, at most 64 + 18 characters, and
    never starts with a dot or a dash.
    """
    if len(student_id) <= _MAX_PLAIN and _PLAIN.fullmatch(student_id) and student_id not in _WINDOWS_RESERVED:
        return student_id
    readable = unicodedata.normalize("NFKD", student_id).encode("ascii", "ignore").decode("ascii")
    readable = re.sub(r"[^A-Za-z0-9]+", "_", readable).strip("_")[:_MAX_PLAIN] or "id"
    digest = hashlib.sha256(student_id.encode("utf-8", "surrogatepass")).hexdigest()[:DIGEST_CHARS]
    return f"{readable}--{digest}"
