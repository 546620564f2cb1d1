"""Grades that hold on code written by other people: no unearned credit, no cascades, no name literalism.

The class (`accuracy_class.py`) is graded once through the CLI; every student must get exactly
the code points written beside it, and the card must say what was graded and why.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from accuracy_class import CODE, EXPECTED, write_class
from grader.cli import main
from grading_support import question_points


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    cls = write_class(tmp_path_factory.mktemp("accuracy"))
    out = tmp_path_factory.mktemp("out")
    result = CliRunner().invoke(main, [str(cls), "--out", str(out), "--workers", "2"])
    assert result.exit_code == 0, result.output
    data = json.loads((out / "results.json").read_text("utf-8"))
    return {s["id"]: s for s in data["students"]}


def _question(student: dict, qid: str) -> dict:
    return next(q for q in student["questions"] if q["id"] == qid)


def _item(student: dict, item_id: str) -> dict:
    return next(i for q in student["questions"] for i in q["items"] if i["id"] == item_id)


@pytest.mark.parametrize("sid", sorted(EXPECTED))
def test_each_student_gets_exactly_the_code_points_written_beside_it(graded: dict, sid: str) -> None:
    points = question_points(graded[sid])
    assert {q: points[q] for q in CODE} == {q: EXPECTED[sid].get(q, full) for q, full in CODE.items()}


def test_a_wrong_lying_or_crashing_forward_earns_nothing_on_its_question(graded: dict) -> None:
    for sid in ("zeros_forward", "hard_coded", "lying_array", "crash_in_forward"):
        q = _question(graded[sid], "7.4.3.2")
        assert q["points"] == 0
        # Purity and dtype mean nothing on an output of the wrong shape: they wait for the shape.
        for item_id in ("conv.forward.pure", "conv.forward.dtype"):
            item = _item(graded[sid], item_id)
            assert item["status"] == "not_checked" and item["waits_for"] == ["conv.forward.shape"]
            assert "conv.forward.shape" in item["message"] and not item["hint"]


def test_a_crash_is_reported_once_with_its_place_and_no_unrelated_hint(graded: dict) -> None:
    items = _question(graded["crash_in_forward"], "7.4.3.2")["items"]
    shown = [i for i in items if "AttributeError" in i["message"]]
    assert len(shown) == 1 and shown[0]["id"] == "conv.forward.shape"
    assert "hw5.py:" in shown[0]["message"] and shown[0]["hint"] == ""


def test_the_backward_not_asked_point_needs_a_working_forward_and_network(graded: dict) -> None:
    for sid in ("no_network", "network_crash"):
        assert question_points(graded[sid])["7.5.1.6"] == 0
        for item_id in ("conv.backward", "pool.backward"):
            assert _item(graded[sid], item_id)["points"] == 0


def test_a_right_backward_beside_a_mean_pooling_forward_is_right(graded: dict) -> None:
    s = graded["mean_pool_max_backward"]
    assert _item(s, "pool.backward")["passed"] and not _item(s, "pool.forward.values")["passed"]


def test_the_parameters_are_judged_by_the_sizes_the_student_computed(graded: dict) -> None:
    s = graded["pool_size_wrong"]
    assert not _item(s, "convnet.sizes")["passed"]
    assert _question(s, "7.5.1.3")["points"] == 5


def test_a_constructor_that_fails_in_its_layers_costs_its_layers_only(graded: dict) -> None:
    s = graded["init_crash_in_layers"]
    assert question_points(s)["7.5.1.2"] == 4 and question_points(s)["7.5.1.3"] == 5
    items = _question(s, "7.5.1.4")["items"]
    assert sum("NameError" in i["message"] for i in items) == 1  # once, then "the same error as …"
    assert all(i["status"] == "not_checked" for i in items[1:])


def test_names_spelled_otherwise_are_graded_by_what_they_do_and_noted(graded: dict) -> None:
    s = graded["other_spellings"]
    notes = " ".join(s["notes"])
    for spelled in ("ReLU", "Dense", "pooling", "SoftmaxLoss", "conv_params"):
        assert spelled in notes
    assert any("lastLayer" in n for n in _question(s, "7.5.1.4")["notes"])


def test_the_card_says_which_definition_was_graded_and_why(graded: dict) -> None:
    stub = " ".join(graded["stub_beside_real"]["notes"])
    assert "scratch.py" in stub and "hw5.py" in stub and "비어 있는 틀" in stub
    book = " ".join(graded["misnamed_beside_book"]["notes"])
    assert "my_cnn.py" in book and "convolution" in book and "common/layers.py" in book
    drafts = " ".join(graded["two_drafts"]["notes"])
    assert "a_final.py 14" in drafts and "b_draft.py 6" in drafts


def test_a_misnamed_own_class_is_graded_instead_of_the_books_copy(graded: dict) -> None:
    answer = _question(graded["misnamed_beside_book"], "7.4.3.2")["answer"]
    assert answer.startswith("class convolution")
    assert _question(graded["misnamed_beside_book"], "7.4.3.2")["source"] == "my_cnn.py"


def test_grading_the_candidates_does_not_depend_on_path_order(tmp_path: Path) -> None:
    """Renamed so that the broken draft comes first: the working one is still kept."""
    from accuracy_class import students

    files = students()["two_drafts"]
    folder = tmp_path / "drafts"
    renamed = {"a_final.py": "z_final.py", "b_draft.py": "a_draft.py", "net.py": "net.py"}
    for rel, text in files.items():
        (folder / renamed[rel]).parent.mkdir(parents=True, exist_ok=True)
        (folder / renamed[rel]).write_text(text.replace("a_final", "z_final"), "utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, [str(folder), "--one", "--out", str(out)])
    assert result.exit_code == 0, result.output
    student = json.loads((out / "results.json").read_text("utf-8"))["students"][0]
    assert question_points(student)["7.4.3.2"] == 14
