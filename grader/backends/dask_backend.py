"""Grading a class on an existing Dask cluster: one task per submission, results as they complete.

    for sub, outcome in grade_with_dask(subs, rubric, options, "tcp://scheduler:8786"):
        result = student_from_dict(outcome) if isinstance(outcome, dict) else failed(sub, outcome)

The cluster's workers must have the grader installed (`pip install 'dl-assignment5-grader[dask]'`);
start them with one thread each (`dask worker tcp://scheduler:8786 --nworkers 2 --nthreads 1`):
a task runs Hypothesis in the grader and a sandboxed student process beside it, like a local pool
process. Each task carries the submission's files (not its path), so the workers need no shared
file system; it grades a private copy with the same `grade_submission` as a local run and returns
`to_dict(result)`, plain data. The fingerprint is computed here, where the rubric file is, so
resuming works as locally. Extra requirement: `dask[distributed]` (the `dask` extra).
"""

from __future__ import annotations

import dataclasses
import os
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator

from ..discover.ids import file_stem
from ..discover.submission import Submission
from ..sandbox.contents import Entry, read, walk
from ..sandbox.lifetime import run_dir
from ..rubric import Rubric
from ..runner import Options, fingerprint

__all__ = ["DaskUnavailable", "grade_with_dask"]

# Called as each submission finishes: (done, total, student id, seconds it took, reused) — the
# signature of `classrun.Progress`, so the class run's progress bar can be passed as it is.
Progress = Callable[[int, int, str, float, bool], None]

MAX_SHIPPED_BYTES = 256 << 20  # a submission larger than this (datasets) is refused, with the fix


class DaskUnavailable(ImportError):
    """dask.distributed is not installed: the message says how to install it."""


@dataclass(frozen=True)
class PackedSubmission:
    """A submission as plain bytes: what a worker on another machine needs to grade it."""

    id: str
    name: str  # the file or folder name of the submission (kept: messages and plans use it)
    is_dir: bool
    files: tuple[str, ...]  # gradable files, relative to the submission's root
    notes: tuple[str, ...]
    contents: tuple[tuple[str, bytes], ...]  # every file of the private copy, relative path → bytes

    @classmethod
    def pack(cls, sub: Submission, limit: int = MAX_SHIPPED_BYTES) -> PackedSubmission:
        path = Path(sub.path)
        contents: list[tuple[str, bytes]] = []
        for item in walk(path):  # the local copy's policy: regular files only, no link, no pipe
            if isinstance(item, Entry):
                try:
                    contents.append((item.rel, read(item)))
                except OSError:
                    continue  # unreadable now: left out, as the local copy does
        size = sum(len(data) for _, data in contents)
        if size > limit:
            raise ValueError(f"{sub.id}: the submission has {size >> 20} MiB of files, more than the {limit >> 20} MiB "
                             "a task may carry; remove data files from it or grade it locally")
        return cls(sub.id, path.name, path.is_dir(), tuple(str(f) for f in sub.files), tuple(sub.notes), tuple(contents))

    def unpack(self, where: Path) -> Submission:
        """Write the files under `where` and return the submission as `find_submissions` would."""
        root = where / self.name if self.is_dir else where
        root.mkdir(parents=True, exist_ok=True)
        for rel, data in self.contents:
            target = (root / rel).resolve()
            if not target.is_relative_to(root.resolve()):
                raise ValueError(f"{self.id}: file {rel!r} would land outside the submission")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        path = root if self.is_dir else where / self.name
        return Submission(self.id, path, [Path(f) for f in self.files], list(self.notes))


_one_at_a_time = threading.Lock()  # Hypothesis is not thread-safe: a worker with several threads grades one by one


def grade_packed(packed: PackedSubmission, rubric: Rubric, options: Options) -> dict[str, Any]:
    """The task a Dask worker runs: a private copy of the submission, graded as locally, as plain data."""
    from .. import runner
    from ..model import to_dict

    with _one_at_a_time, tempfile.TemporaryDirectory(prefix="grade-dask-", dir=run_dir()) as tmp:
        sub = packed.unpack(Path(tmp) / "submission")
        media = Path(tmp) / "out"  # a document's pictures, stored here and sent back with the result
        result = to_dict(runner.grade_submission(sub, rubric, dataclasses.replace(options, media_root=str(media))))
        if media.exists():
            result["_media"] = {p.relative_to(media).as_posix(): p.read_bytes() for p in media.rglob("*") if p.is_file()}
        return result


def _distributed() -> Any:
    try:
        import distributed
    except ImportError as exc:
        raise DaskUnavailable(
            "the Dask backend needs dask.distributed, which is not installed here: "
            "pip install 'dl-assignment5-grader[dask]' (or pip install 'dask[distributed]')"
        ) from exc
    return distributed


def grade_with_dask(subs: list[Submission], rubric: Rubric, options: Options, address: str,
                    progress: Progress | None = None, *, max_in_flight: int | None = None,
                    connect_seconds: float = 30.0) -> Iterator[tuple[Submission, dict[str, Any] | Exception]]:
    """Grade `subs` on the Dask cluster at `address`; yield `(submission, result dict)` as each completes.

    The dict is `model.to_dict(StudentResult)`, the same as a local `grade_submission` gives (its
    fingerprint computed here); a task that failed on the cluster (a worker lost again and again,
    a submission too large to ship) yields `(submission, exception)` instead, and the others go on.
    At most `max_in_flight` tasks are on the cluster at once (default: twice its threads, at least
    4), so a class of thousands keeps memory bounded here and on the scheduler. Closing the
    iterator early cancels what is still queued. Raises `DaskUnavailable` without dask, and
    OSError/TimeoutError when no scheduler answers at `address` within `connect_seconds`.
    """
    distributed = _distributed()
    total = len(subs)
    client = distributed.Client(address, timeout=connect_seconds, set_as_default=False)
    pending: dict[Any, Submission] = {}
    try:
        if max_in_flight is None:
            max_in_flight = max(4, 2 * sum(client.nthreads().values()))
        queue = iter(subs)
        rubric_f, options_f = client.scatter([rubric, options], broadcast=True, hash=False)
        early: list[tuple[Submission, Exception]] = []  # could not be packed: reported, never sent

        def submit_next() -> Any:
            for sub in queue:
                try:
                    packed = PackedSubmission.pack(sub)
                except (OSError, ValueError) as exc:
                    early.append((sub, exc))
                    continue
                future = client.submit(grade_packed, packed, rubric_f, options_f, pure=False,
                                       key=f"grade-{_key_part(sub.id)}-{os.urandom(4).hex()}")
                pending[future] = sub
                return future
            return None

        while len(pending) < max_in_flight and submit_next() is not None:
            pass
        finished = distributed.as_completed(list(pending), loop=client.loop)
        done = 0
        while pending or early:
            if early:
                sub, exc = early.pop(0)
                outcome: dict[str, Any] | Exception = exc
            else:
                future = next(finished)
                sub = pending.pop(future)
                try:
                    outcome = future.result()
                    outcome["fingerprint"] = fingerprint(sub, rubric, options)
                except Exception as exc:  # noqa: BLE001 - one lost task never stops the class
                    outcome = exc
                finally:
                    future.release()
                following = submit_next()
                if following is not None:
                    finished.add(following)
            done += 1
            if progress:
                seconds = float(outcome.get("seconds", 0.0)) if isinstance(outcome, dict) else 0.0
                progress(done, total, sub.id, seconds, False)
            yield sub, outcome
    finally:
        if pending:
            client.cancel(list(pending))
        client.close()


def _key_part(sid: str) -> str:
    """A task key fragment from a student id (readable on the dashboard, one per student)."""
    return file_stem(sid)
