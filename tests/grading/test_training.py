"""`--train`: the student's own network learns the made-up stroke data; a broken one says why."""

from __future__ import annotations

import numpy as np

from grader.discover.submission import find_submissions
from grader.rubric import load_rubric
from grader.runner import Options, grade_submission
from assignments.a5_cnn.training import strokes
from grading_support import SAMPLE


def test_the_stroke_data_is_made_here_and_is_reproducible() -> None:
    x1, t1 = strokes(50, seed=3)
    x2, t2 = strokes(50, seed=3)
    assert x1.shape == (50, 1, 12, 12) and np.array_equal(x1, x2) and np.array_equal(t1, t2)
    assert set(t1.tolist()) == {0, 1, 2, 3}


def test_a_correct_network_learns_and_its_filters_are_kept_before_and_after() -> None:
    rubric = load_rubric()
    plain = grade_submission(find_submissions(SAMPLE / "kim_minji")[0], rubric, Options())
    result = grade_submission(find_submissions(SAMPLE / "kim_minji")[0], rubric, Options(train=True))
    tr = result.training
    assert tr is not None and tr["status"] == "ok"
    assert tr["loss"][-1][1] < 0.5 * tr["loss"][0][1]
    assert tr["accuracy"] > 0.6  # four classes: chance is 0.25
    assert np.array(tr["filters_before"]).shape == (8, 3, 3) == np.array(tr["filters_after"]).shape
    assert result.points == plain.points  # training never changes a grade


def test_a_network_that_cannot_train_gets_a_message_not_a_crash() -> None:
    result = grade_submission(find_submissions(SAMPLE / "seed_047ccd1e.txt")[0], load_rubric(), Options(train=True))
    # The sheet's Convolution is scattered over fragments that do not make a class, and student
    # code never runs beside the reference's: the message names what is missing.
    assert result.training["status"] == "failed" and "Convolution" in result.training["message"]
