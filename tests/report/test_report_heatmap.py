"""Heat maps of counterexample arrays: which arrays are drawn, how, and what is only summarised."""

from __future__ import annotations

import re

from grader.report.heatmap import (MAX_PANELS, array_shape, colour, counterexample_view, difference, heatmap_svg,
                                   view_array)
from report_support import parse


def grid(rows: int, cols: int, start: float = 0.0) -> list[list[float]]:
    return [[start + r * cols + c for c in range(cols)] for r in range(rows)]


def test_array_shape_accepts_rectangular_numbers_only():
    assert array_shape([[1, 2], [3, 4.5]]) == (2, 2)
    assert array_shape([[[[1.0]]]]) == (1, 1, 1, 1)
    assert array_shape([1, "nan", 3]) == (3,)
    assert array_shape([[1, 2], [3]]) is None  # ragged
    assert array_shape(["W1", "b1"]) is None  # dictionary keys, not numbers
    assert array_shape(3.0) is None and array_shape([]) is None and array_shape({"shape": [1]}) is None


def test_a_two_dimensional_array_is_one_panel_with_numbers_and_a_heat_map():
    view = view_array(grid(2, 3))
    assert view is not None and view.shape == (2, 3)
    [panel] = view.panels
    assert panel.index == () and panel.table
    assert len(parse(str(panel.svg)).find("svg").find_all("rect")) == 2 * 3 + 1  # cells and a frame


def test_a_four_dimensional_array_shows_each_channel_of_the_first_sample_when_large():
    x = [[grid(3, 3, 100 * n + 10 * c) for c in range(3)] for n in range(4)]  # 12 panels > MAX_PANELS
    view = view_array(x)
    assert [p.index for p in view.panels] == [(0, 0), (0, 1), (0, 2)]
    assert view.hidden_panels == 4 * 3 - 3
    assert [p.index for p in view_array(x, sample=2).panels][0] == (2, 0)


def test_a_small_four_dimensional_array_shows_every_sample_and_channel():
    view = view_array([[grid(2, 2)], [grid(2, 2, 4)]])
    assert [p.index for p in view.panels] == [(0, 0), (1, 0)]
    assert 2 * 1 <= MAX_PANELS


def test_the_first_difference_is_outlined_in_its_panel_only():
    x = [[grid(2, 2), grid(2, 2, 4)]]
    view = view_array(x, mark=(0, 1, 1, 0))
    assert [p.mark for p in view.panels] == [None, (1, 0)]
    assert 'class="mark"' in str(view.panels[1].svg) and 'class="mark"' not in str(view.panels[0].svg)


def test_large_arrays_are_summarised_not_drawn():
    view = view_array([grid(70, 70)])
    assert view.summary == {"min": "0", "max": "4899", "mean": "2450"} and not view.panels
    assert view_array(list(range(500))).summary is not None


def test_difference_is_actual_minus_expected_when_shapes_agree():
    assert difference([[1, 2]], [[1, 5]]) == [[0.0, 3.0]]
    assert difference([[1, 2]], [[1, 2, 3]]) is None
    assert difference([1, "nan"], [1, 2]) == [0.0, None]


def test_colours_run_from_the_low_end_to_the_high_end_and_diverge_around_zero():
    assert colour(0, 0, 10) == "#440154" and colour(10, 0, 10) == "#fde725"
    assert colour(0, -5, 5, scale="diverging") == "#f7f7f7"
    assert colour(None, 0, 1) == "#bdbdbd"
    assert colour(3, 3, 3) == colour(7, 7, 7)  # a constant array gets the middle colour


def test_svg_text_is_escaped():
    svg = str(heatmap_svg([[1.0]], lo=0, hi=1, label='<script>"x"</script>'))
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert re.match(r"<svg [^>]*width=\"\d+\"", svg)


def test_non_numbers_are_not_arrays_to_draw():
    assert view_array(["W1", "b1"]) is None
    assert view_array({"std": 0.37}) is None


def test_counterexample_shows_the_sample_of_x_where_expected_and_actual_first_differ():
    x = [[grid(2, 2, 10 * n + c) for c in range(3)] for n in range(3)]  # 9 panels: one sample at a time
    out = [[grid(1, 1, n)] for n in range(3)]
    wrong = [[grid(1, 1, n + (n == 2))] for n in range(3)]
    view = counterexample_view({"input": {"x.shape": [3, 3, 2, 2], "x": x, "stride": 1}, "expected": out,
                                "actual": wrong, "first_difference": [2, 0, 0, 0]})
    parts = dict(view["parts"])
    geometry, x_field, stride = parts["input"]
    assert geometry.view is None and geometry.text == "(3, 3, 2, 2)"
    assert [p.index for p in x_field.view.panels] == [(2, 0), (2, 1), (2, 2)]
    assert stride.text == "1"
    assert [p.mark for p in parts["difference"][0].view.panels] == [None, None, (0, 0)]
    assert view["first_difference"] == [2, 0, 0, 0]


def test_counterexamples_of_any_json_shape_are_shown_as_text():
    from grader.model import Counterexample

    view = counterexample_view(Counterexample(expected=["W1", "b1"], actual={"std": 0.97}))
    parts = dict(view["parts"])
    assert parts["expected"][0].view is None and parts["expected"][0].text == '["W1", "b1"]'
    assert parts["actual"][0].text == '{"std": 0.97}'
    assert "difference" not in parts and "input" not in parts
    # A saved result of another shape (an older grader's) is shown whole, as its input.
    legacy = dict(counterexample_view({"expected": [1], "seed": 3})["parts"])
    assert [f.name for f in legacy["input"]] == ["expected", "seed"]
    assert dict(counterexample_view("odd")["parts"])["input"][0].text == "odd"
