"""Small arrays as pictures: inline SVG heat maps of the 2-D slices of a counterexample.

A counterexample arrives as JSON (nested lists). `view_array` decides how to show one array: the
2-D panels of a 2-, 3- or 4-D array, each with a heat map and, when small enough, its numbers; a
summary when it is too large to read. `counterexample_view` does it for a whole counterexample.
Nothing here knows a language: labels are indices, and the templates put words around them.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from html import escape
from typing import Any

from markupsafe import Markup

from ..model import Counterexample

MAX_ELEMENTS = 4096  # beyond this, an array is summarised, not drawn
MAX_TABLE_SIDE = 12  # a panel with more rows or columns gets no table of numbers
MAX_HEAT_SIDE = 48  # nor a heat map beyond this
MAX_PANELS = 8  # 4-D: every (sample, channel) up to this many; else one sample's channels
MAX_TABLE_VALUES = 144  # total numbers printed per array

# viridis at five stops (perceptually even, readable in grey); blue-white-red around zero for
# differences; black to white for filters, as the book draws them (figure 7-24)
SCALES = {
    "sequential": ((68, 1, 84), (59, 82, 139), (33, 145, 140), (94, 201, 98), (253, 231, 37)),
    "diverging": ((33, 102, 172), (146, 197, 222), (247, 247, 247), (244, 165, 130), (178, 24, 43)),
    "grey": ((0, 0, 0), (255, 255, 255)),
}
NAN_FILL = "#bdbdbd"
NONFINITE = ("nan", "inf", "-inf", "infinity", "-infinity")  # how JSON-safe counterexamples spell them

Number = float | None  # None: not a finite number (NaN, inf, text)


@dataclass
class Panel:
    index: tuple[int, ...]  # (n, c) of a 4-D array, (c,) of a 3-D one, () of a 2-D one
    grid: list[list[Number]]
    svg: Markup
    table: bool  # small enough to print its numbers
    mark: tuple[int, int] | None = None  # (row, column) of the first difference in this panel


@dataclass
class ArrayView:
    shape: tuple[int, ...]
    values: list[Number] = field(default_factory=list)  # 1-D arrays: the numbers themselves
    panels: list[Panel] = field(default_factory=list)
    hidden_panels: int = 0  # panels not drawn (4-D arrays with many samples and channels)
    summary: dict[str, str] | None = None  # min, max, mean of an array too large to show
    lo: float = 0.0
    hi: float = 0.0
    scale: str = "sequential"


def number(value: Any) -> Number:
    """A leaf of a JSON array as a finite float, or None (NaN, infinities, text)."""
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, (int, float)):
        return float(value) if math.isfinite(value) else None
    return None


def _is_leaf(value: Any) -> bool:
    return isinstance(value, (int, float, bool)) or (isinstance(value, str) and value.strip().lower() in NONFINITE)


def array_shape(value: Any) -> tuple[int, ...] | None:
    """The shape of a rectangular nested list of numbers, or None when `value` is not one (scalars too)."""
    if not isinstance(value, list) or not value:
        return None
    if all(_is_leaf(v) for v in value):
        return (len(value),)
    shapes = {array_shape(v) for v in value}
    if len(shapes) != 1 or None in shapes:
        return None
    inner = shapes.pop()
    assert inner is not None
    return (len(value), *inner)


def flatten(value: Any) -> list[Number]:
    if isinstance(value, list):
        return [x for v in value for x in flatten(v)]
    return [number(value)]


def difference(expected: Any, actual: Any) -> list[Any] | None:
    """actual − expected, element by element, when both are numeric arrays of one shape."""
    shape = array_shape(expected)
    if shape is None or shape != array_shape(actual):
        return None

    def sub(e: Any, a: Any) -> Any:
        if isinstance(e, list):
            return [sub(x, y) for x, y in zip(e, a)]
        x, y = number(e), number(a)
        return None if x is None or y is None else y - x

    return sub(expected, actual)


def value_range(*arrays: Any) -> tuple[float, float]:
    """The smallest and largest finite number over all `arrays` (0, 0 when there is none)."""
    finite = [x for a in arrays if a is not None for x in flatten(a) if x is not None]
    return (min(finite), max(finite)) if finite else (0.0, 0.0)


def fmt(x: Number) -> str:
    if x is None:
        return "NaN"
    if x == int(x) and abs(x) < 1e15:
        return str(int(x))
    return f"{x:.4g}"


def view_array(value: Any, *, lo: float | None = None, hi: float | None = None, scale: str = "sequential",
               sample: int = 0, mark: tuple[int, ...] | None = None, label: str = "",
               tables: bool = True) -> ArrayView | None:
    """How to show `value`, or None when it is not a numeric array.

    `lo`/`hi` fix the colour range (share it between expected and actual); `scale` is one of
    SCALES ("diverging" centres the range on zero, for differences); `sample` picks the sample of a
    large 4-D array; `mark` outlines one element (the first difference), given as a full index;
    `tables=False` draws heat maps without the numbers.
    """
    if scale not in SCALES:
        raise ValueError(f"scale={scale!r} is not a colour scale; use one of {', '.join(SCALES)}.")
    shape = array_shape(value)
    if shape is None:
        return None
    flat = flatten(value)
    finite = [x for x in flat if x is not None]
    if lo is None or hi is None:
        lo, hi = (min(finite), max(finite)) if finite else (0.0, 0.0)
    if scale == "diverging":
        m = max(abs(lo), abs(hi))
        lo, hi = -m, m
    view = ArrayView(shape, lo=lo, hi=hi, scale=scale)
    if len(flat) > MAX_ELEMENTS or (len(shape) == 1 and len(flat) > MAX_TABLE_VALUES):
        mean = sum(finite) / len(finite) if finite else None
        view.summary = {"min": fmt(min(finite) if finite else None), "max": fmt(max(finite) if finite else None),
                        "mean": fmt(mean)}
        return view
    if len(shape) == 1:
        view.values = flat
        return view
    slices = list(_slices(value, shape, sample))
    view.hidden_panels = math.prod(shape[:-2]) - len(slices)
    small = max(shape[-2:]) <= MAX_TABLE_SIDE and shape[-2] * shape[-1] * len(slices) <= MAX_TABLE_VALUES * 2
    with_numbers = tables and small
    for index, grid in slices:
        cell = None
        if mark is not None and len(mark) == len(shape) and tuple(mark[:-2]) == index:
            cell = (mark[-2], mark[-1])
        rows = [[number(x) for x in row] for row in grid]
        svg = heatmap_svg(rows, lo=lo, hi=hi, scale=scale, mark=cell,
                          label=f"{label} {list(index)}" if index else label) \
            if max(shape[-2:]) <= MAX_HEAT_SIDE else Markup("")
        view.panels.append(Panel(index, rows, svg, with_numbers, cell))
    return view


# ── counterexamples ────────────────────────────────────────────────────────────────────────────

@dataclass
class Field:
    name: str
    view: ArrayView | None  # a numeric array
    text: str  # anything else, as compact JSON


def counterexample_view(ce: Counterexample | dict[str, Any] | Any) -> dict[str, Any]:
    """The parts of a counterexample to show: input fields, expected, actual, their difference.

    Expected and actual share one colour range, so equal values look equal; the difference gets
    a range centred on zero; the first difference is outlined in each.
    """
    ce = Counterexample.of(ce) or Counterexample()
    first = ce.first_difference
    mark = tuple(first) if isinstance(first, list) and all(isinstance(i, int) for i in first) else None
    sample = mark[0] if mark and len(mark) == 4 else 0
    parts: list[tuple[str, list[Field]]] = []
    if ce.input is not None:
        items = ce.input.items() if isinstance(ce.input, dict) else [("", ce.input)]
        parts.append(("input", [_input_field(str(k), v, sample) for k, v in items]))
    both = [v for v in (ce.expected, ce.actual) if array_shape(v) is not None]
    lo, hi = value_range(*both) if both else (None, None)
    for role, value in (("expected", ce.expected), ("actual", ce.actual)):
        if value is not None:
            view = view_array(value, lo=lo, hi=hi, sample=sample, mark=mark, label=role)
            parts.append((role, [Field("", view, _plain(value))]))
    diff = difference(ce.expected, ce.actual)
    if diff is not None:
        parts.append(("difference", [Field("", view_array(diff, scale="diverging", sample=sample, mark=mark,
                                                         label="difference"), "")]))
    return {"parts": parts, "first_difference": list(mark) if mark else None}


def _plain(value: Any) -> str:
    s = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return s if len(s) <= 400 else s[:400] + " …"


def _input_field(name: str, value: Any, sample: int) -> Field:
    """Geometry (shapes, a few integers) as text; arrays as tables and heat maps."""
    if isinstance(value, list) and len(value) <= 8 and all(isinstance(v, int) and not isinstance(v, bool)
                                                           for v in value):
        text = "(" + ", ".join(map(str, value)) + ")" if name.endswith("shape") else _plain(value)
        return Field(name, None, text)
    # the sample of x shown is the one where expected and actual first differ
    return Field(name, view_array(value, sample=sample if name == "x" else 0, label=name), _plain(value))

def _slices(value: Any, shape: tuple[int, ...], sample: int) -> list[tuple[tuple[int, ...], Any]]:
    if len(shape) == 2:
        return [((), value)]
    if len(shape) == 3:
        return [((c,), value[c]) for c in range(min(shape[0], MAX_PANELS))]
    if len(shape) == 4:
        if shape[0] * shape[1] <= MAX_PANELS:
            return [((n, c), value[n][c]) for n in range(shape[0]) for c in range(shape[1])]
        n = sample if 0 <= sample < shape[0] else 0
        return [((n, c), value[n][c]) for c in range(min(shape[1], MAX_PANELS))]
    return []  # 5-D and more: summary by shape only


def colour(x: Number, lo: float, hi: float, *, scale: str = "sequential") -> str:
    """The fill of value `x` on the colour scale from lo to hi, as #rrggbb."""
    if x is None:
        return NAN_FILL
    stops = SCALES[scale]
    f = 0.5 if hi <= lo else min(max((x - lo) / (hi - lo), 0.0), 1.0)
    pos = f * (len(stops) - 1)
    i = min(int(pos), len(stops) - 2)
    frac = pos - i
    rgb = (round(a + (b - a) * frac) for a, b in zip(stops[i], stops[i + 1]))
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def heatmap_svg(grid: list[list[Number]], *, lo: float, hi: float, scale: str = "sequential",
                mark: tuple[int, int] | None = None, label: str = "") -> Markup:
    """One 2-D grid as an inline <svg>: a square per value, its value in a tooltip, `mark` outlined."""
    rows = len(grid)
    cols = max((len(r) for r in grid), default=0)
    if rows == 0 or cols == 0:
        return Markup("")
    cell = max(6, min(22, 176 // max(rows, cols)))
    w, h = cols * cell, rows * cell
    name = escape(label.strip(), quote=True)
    parts = [f'<svg class="heatmap" xmlns="http://www.w3.org/2000/svg" width="{w + 2}" height="{h + 2}" '
             f'viewBox="-1 -1 {w + 2} {h + 2}" role="img" aria-label="{name}">']
    if name:
        parts.append(f"<title>{name}</title>")
    for r, row in enumerate(grid):
        for c, x in enumerate(row):
            parts.append(f'<rect x="{c * cell}" y="{r * cell}" width="{cell}" height="{cell}" '
                         f'fill="{colour(x, lo, hi, scale=scale)}"><title>[{r}, {c}] {fmt(x)}</title></rect>')
    if mark is not None and 0 <= mark[0] < rows and 0 <= mark[1] < cols:
        parts.append(f'<rect class="mark" x="{mark[1] * cell}" y="{mark[0] * cell}" width="{cell}" height="{cell}" '
                     f'fill="none" stroke="#000" stroke-width="2"/>')
    parts.append(f'<rect x="0" y="0" width="{w}" height="{h}" fill="none" stroke="#888" stroke-width="1"/></svg>')
    return Markup("".join(parts))


def scale_svg(lo: float, hi: float, *, scale: str = "sequential", width: int = 120) -> Markup:
    """A colour bar for the scale lo…hi (drawn in ten steps)."""
    step = width / 10
    rects = "".join(
        f'<rect x="{i * step:.1f}" y="0" width="{step + 0.5:.1f}" height="8" '
        f'fill="{colour(lo + (hi - lo) * (i + 0.5) / 10, lo, hi, scale=scale)}"/>' for i in range(10))
    return Markup(f'<svg class="scale" xmlns="http://www.w3.org/2000/svg" width="{width}" height="8" '
                  f'viewBox="0 0 {width} 8" aria-hidden="true">{rects}</svg>')
