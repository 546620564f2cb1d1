"""The Dask backend: a class graded through a LocalCluster of two worker processes equals the local grading."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any

import pytest

distributed = pytest.importorskip(
    "distributed", reason="dask.distributed is not installed: pip install 'dl-assignment5-grader[dask]'")

from grader.backends.dask_backend import PackedSubmission, grade_with_dask  # noqa: E402
from grader.discover.submission import find_submissions  # noqa: E402
from grader.model import to_dict  # noqa: E402
from grader.rubric import load_rubric  # noqa: E402
from grader.runner import Options, fingerprint, grade_submission  # noqa: E402

SAMPLE = Path(__file__).resolve().parents[2] / "submissions"
STUDENTS = ["kim_minji", "jung_haeun.py", "yoon_jiwoo.py"]  # correct; average pooling; no weight_init_std


def grades(result: dict[str, Any]) -> dict[str, Any]:
    """What must be equal: the total, the status, each question's points and status, each item's outcome."""
    return {
        "points": result["points"], "status": result["status"], "files": result["files"],
        "questions": {q["id"]: (q["points"], q["status"], [(i["id"], i["points"], i["passed"], i["status"])
                                                          for i in q["items"]])
                      for q in result["questions"]},
    }


@pytest.fixture(scope="module")
def cluster():  # noqa: ANN201
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0",
                                  silence_logs=50) as c:
        yield c


@pytest.fixture(scope="module")
def subs() -> list:
    return [find_submissions(SAMPLE / name, single=True)[0] for name in STUDENTS]


@pytest.fixture(scope="module")
def graded_by_dask(cluster, subs) -> dict[str, Any]:  # noqa: ANN001
    seen: list[tuple[int, int, str]] = []
    out = {sub.id: outcome for sub, outcome in grade_with_dask(
        subs, load_rubric(None), Options(), cluster.scheduler_address,
        progress=lambda done, total, sid, seconds, reused: seen.append((done, total, sid)))}
    return {"results": out, "progress": seen}


def test_a_class_graded_on_the_cluster_gets_the_grades_of_a_local_run(graded_by_dask, subs) -> None:  # noqa: ANN001
    rubric = load_rubric(None)
    results = graded_by_dask["results"]
    assert set(results) == {s.id for s in subs}
    for sub in subs:
        remote = results[sub.id]
        assert isinstance(remote, dict), f"{sub.id}: {remote!r}"
        local = to_dict(grade_submission(sub, rubric, Options()))
        assert grades(remote) == grades(local), sub.id


def test_the_mistakes_cost_points_on_their_own_questions_through_the_cluster(graded_by_dask) -> None:  # noqa: ANN001
    points = {sid: {q["id"]: q["points"] for q in r["questions"]} for sid, r in graded_by_dask["results"].items()}
    assert points["jung_haeun"]["7.4.4.1"] < points["kim_minji"]["7.4.4.1"]
    assert points["yoon_jiwoo"]["7.5.1.3"] < points["kim_minji"]["7.5.1.3"]
    assert points["yoon_jiwoo"]["7.4.4.1"] == points["kim_minji"]["7.4.4.1"]


def test_results_carry_the_local_fingerprint_so_a_resumed_run_reuses_them(graded_by_dask, subs) -> None:  # noqa: ANN001
    rubric = load_rubric(None)
    for sub in subs:
        assert graded_by_dask["results"][sub.id]["fingerprint"] == fingerprint(sub, rubric, Options())


def test_progress_is_called_once_per_submission_in_order_of_completion(graded_by_dask, subs) -> None:  # noqa: ANN001
    seen = graded_by_dask["progress"]
    assert [done for done, _, _ in seen] == [1, 2, 3]
    assert {total for _, total, _ in seen} == {len(subs)}
    assert sorted(sid for _, _, sid in seen) == sorted(s.id for s in subs)


def test_a_packed_folder_submission_unpacks_to_the_same_files(subs, tmp_path: Path) -> None:  # noqa: ANN001
    sub = subs[0]  # kim_minji: a folder
    packed = PackedSubmission.pack(sub)
    copy = packed.unpack(tmp_path)
    assert copy.id == sub.id and copy.files == sub.files and copy.path.name == sub.path.name
    assert copy.fingerprint() == sub.fingerprint()


def test_no_scheduler_at_the_address_is_an_error_not_a_hang(subs) -> None:  # noqa: ANN001
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # a port nothing listens on once closed
    with pytest.raises((OSError, TimeoutError)):
        next(grade_with_dask(subs[:1], load_rubric(None), Options(), f"tcp://127.0.0.1:{port}", connect_seconds=2))
