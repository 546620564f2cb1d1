"""HTML reports: the class overview, one card per student, and the review queue.

Rendered with Jinja2 (autoescape on: student answers and code are untrusted text) from the results
model alone. Every page is self-contained — CSS inlined, charts and heat maps as inline SVG, no
network — so a card can be mailed or printed on its own. Words come from `i18n`, never from here.
"""

from __future__ import annotations

import hashlib
import re
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache, partial
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import PythonLexer

from ..model import ClassResult, QuestionResult, StudentResult
from . import heatmap
from .files import write_atomic
from .i18n import t

__all__ = ["card_names", "render_card", "render_class", "render_index", "render_review"]

TEMPLATES = Path(__file__).with_name("templates")
STATUSES = ("pass", "partial", "manual", "fail", "missing")  # order of the stacked pass-rate bars
FAILED = ("fail", "error")  # item statuses that count as a mistake
TOP_FAILURES = 5
_WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}


# ── public API ─────────────────────────────────────────────────────────────────────────────────

def render_class(result: ClassResult, out_dir: Path, *, lang: str = "ko") -> list[Path]:
    """Write index.html, cards/<name>.html per student and review.html into `out_dir`, atomically.

    The cards are written first and the index last, so an index never links to a card not yet there.
    """
    names = card_names(s.id for s in result.students)
    footer = {"when": result.generated, "version": result.grader_version}
    written = []
    for student in result.students:
        path = out_dir / "cards" / f"{names[student.id]}.html"
        html = _card(student, lang=lang, max_points=result.max_points, footer=footer,
                     nav={"overview": "../index.html", "review": "../review.html"})
        write_atomic(path, html)
        written.append(path)
    for name, html in (("review.html", render_review(result, lang=lang, names=names)),
                       ("index.html", render_index(result, lang=lang, names=names))):
        write_atomic(out_dir / name, html)
        written.append(out_dir / name)
    return written


def render_card(student: StudentResult, *, lang: str = "ko", max_points: float) -> str:
    """One student's card as a standalone page (for `grade check --html`): no links to a class."""
    return _card(student, lang=lang, max_points=max_points, footer=None, nav=None)


def render_index(result: ClassResult, *, lang: str = "ko", names: dict[str, str] | None = None) -> str:
    """The class overview: table of points, charts of totals and pass rates, common failures."""
    names = names or card_names(s.id for s in result.students)
    columns = _columns(result)
    totals = [s.points for s in result.students]
    return _env(lang).get_template("index.html").render(
        result=result, columns=columns, names=names,
        mean=statistics.fmean(totals) if totals else 0.0, median=statistics.median(totals) if totals else 0.0,
        histogram=_histogram(totals, result.max_points), rates=_pass_rates(result, columns),
        failures=_common_failures(result, columns), review_count=sum(len(g.entries) for g in _review(result)),
        nav={"overview": "index.html", "review": "review.html"},
        footer={"when": result.generated, "version": result.grader_version})


def render_review(result: ClassResult, *, lang: str = "ko", names: dict[str, str] | None = None) -> str:
    """Every answer a person must judge, grouped by question, with the evidence found highlighted."""
    names = names or card_names(s.id for s in result.students)
    return _env(lang).get_template("review.html").render(
        result=result, groups=_review(result), names=names,
        nav={"overview": "index.html", "review": "review.html"},
        footer={"when": result.generated, "version": result.grader_version})


def card_names(ids: Iterable[str]) -> dict[str, str]:
    """A safe, unique file name (without .html) for each student id.

    Ids that are already plain ASCII names are kept; anything else (slashes, dots, spaces, Hangul,
    reserved device names, a clash that differs only in case) gets a short hash of the id appended,
    so two ids never share a card and the same id always gets the same name.
    """
    names: dict[str, str] = {}
    taken: set[str] = set()
    for sid in ids:
        if sid in names:
            continue
        base = re.sub(r"[^A-Za-z0-9_-]+", "_", sid).strip("_-")[:64]
        plain = bool(base) and base == sid and base.lower() not in _WINDOWS_RESERVED and base.lower() not in taken
        name = base if plain else f"{base or 'student'}-{hashlib.sha1(sid.encode('utf-8')).hexdigest()[:8]}"
        while name.lower() in taken:
            name += "_"
        taken.add(name.lower())
        names[sid] = name
    return names


# ── the environment and its filters ─────────────────────────────────────────────────────────────

@lru_cache(maxsize=None)
def _env(lang: str) -> Environment:
    t("html.lang", lang)  # an unknown language fails here, with the fix in the message
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True)
    env.globals.update(t=partial(t, lang=lang), css=Markup((TEMPLATES / "style.css").read_text("utf-8")),
                       heatmap=heatmap)
    env.filters.update(pts=points_text, num=heatmap.fmt, code=highlight_code, evidence=highlight_evidence,
                       shape=lambda s: "(" + ", ".join(str(d) for d in s) + ("," if len(s) == 1 else "") + ")")
    env.globals["counterexample"] = counterexample_view
    return env


def points_text(x: float) -> str:
    return f"{round(float(x), 2):g}"


_FORMATTER = HtmlFormatter(cssclass="code", wrapcode=True)


@lru_cache(maxsize=256)  # several questions often show the same class
def highlight_code(code: str) -> Markup:
    """Python source highlighted by Pygments (which escapes it); token colours are in style.css."""
    return Markup(highlight(code, PythonLexer(stripnl=False, ensurenl=True), _FORMATTER))


def highlight_evidence(text: str, groups: list[list[str]]) -> Markup:
    """`text` escaped, with each phrase of `groups[k]` wrapped in <mark class="ev evK">."""
    spans = []
    for k, phrases in enumerate(groups):
        for phrase in {p for p in phrases if p.strip()}:
            spans.extend((m.start(), m.end(), k) for m in re.finditer(re.escape(phrase), text, re.IGNORECASE))
    spans.sort(key=lambda s: (s[0], s[0] - s[1]))
    out, pos = [], 0
    for start, end, k in spans:
        if start < pos:
            continue  # overlaps a phrase already marked
        out.append(escape(text[pos:start]))
        out.append(Markup('<mark class="ev ev{}">{}</mark>').format(k % 4, text[start:end]))
        pos = end
    out.append(escape(text[pos:]))
    return Markup("").join(out)


# ── counterexamples ────────────────────────────────────────────────────────────────────────────

@dataclass
class Field:
    name: str
    view: heatmap.ArrayView | None  # a numeric array
    text: str  # anything else, as compact JSON


def counterexample_view(ce: dict[str, Any]) -> dict[str, Any]:
    """The parts of a counterexample to show: input fields, expected, actual, their difference."""
    import json

    def plain(v: Any) -> str:
        s = v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)
        return s if len(s) <= 400 else s[:400] + " …"

    first = ce.get("first_difference")
    mark = tuple(first) if isinstance(first, list) and all(isinstance(i, int) for i in first) else None
    sample = mark[0] if mark and len(mark) == 4 else 0
    parts: list[tuple[str, list[Field]]] = []
    given = ce.get("input")
    if given is not None:
        items = given.items() if isinstance(given, dict) else [("", given)]
        parts.append(("input", [_input_field(str(k), v, sample, plain) for k, v in items]))
    expected, actual = ce.get("expected"), ce.get("actual")
    both = [v for v in (expected, actual) if heatmap.array_shape(v) is not None]
    lo, hi = heatmap.value_range(*both) if both else (None, None)
    for role, value in (("expected", expected), ("actual", actual)):
        if role in ce:
            view = heatmap.view_array(value, lo=lo, hi=hi, sample=sample, mark=mark, label=role)
            parts.append((role, [Field("", view, plain(value))]))
    diff = heatmap.difference(expected, actual)
    if diff is not None:
        parts.append(("difference", [Field("", heatmap.view_array(diff, diverging=True, sample=sample, mark=mark,
                                                                  label="difference"), "")]))
    extra = [Field(str(k), None, plain(v)) for k, v in ce.items()
             if k not in ("input", "expected", "actual", "first_difference")]
    if extra:
        parts.append(("note", extra))
    return {"parts": parts, "first_difference": list(mark) if mark else None}


def _input_field(name: str, value: Any, sample: int, plain: Any) -> Field:
    """Geometry (shapes, a few integers) as text; arrays as tables and heat maps."""
    if isinstance(value, list) and len(value) <= 8 and all(isinstance(v, int) and not isinstance(v, bool)
                                                           for v in value):
        text = "(" + ", ".join(map(str, value)) + ")" if name.endswith("shape") else plain(value)
        return Field(name, None, text)
    # the sample of x shown is the one where expected and actual first differ
    return Field(name, heatmap.view_array(value, sample=sample if name == "x" else 0, label=name), plain(value))


# ── the overview's numbers ─────────────────────────────────────────────────────────────────────

@dataclass
class Column:
    id: str
    title: str
    kind: str
    max_points: float


def _columns(result: ClassResult) -> list[Column]:
    """The questions of the class in rubric order (the order the students' results list them)."""
    seen: dict[str, Column] = {}
    for s in result.students:
        for q in s.questions:
            seen.setdefault(q.id, Column(q.id, q.title, q.kind, q.max_points))
    return list(seen.values())


def _histogram(totals: list[float], max_points: float, bins: int = 10) -> list[dict[str, float]]:
    """Ten bins of totals from 0 to max_points (the last includes the maximum)."""
    top = max_points if max_points > 0 else max(totals, default=1.0) or 1.0
    width = top / bins
    counts = [0] * bins
    for x in totals:
        counts[min(max(int(x // width), 0), bins - 1)] += 1
    return [{"lo": i * width, "hi": (i + 1) * width, "n": n} for i, n in enumerate(counts)]


def _pass_rates(result: ClassResult, columns: list[Column]) -> list[dict[str, Any]]:
    rows = []
    total = len(result.students)
    for col in columns:
        counts = Counter((s.question(col.id) or _MISSING).status for s in result.students)
        segments, x = [], 0.0
        for status in STATUSES:
            share = counts[status] / total if total else 0.0
            if share:
                segments.append({"status": status, "x": x, "share": share, "n": counts[status]})
            x += share
        rows.append({"id": col.id, "segments": segments, "passed": counts["pass"], "total": total,
                     "rate": round(100 * counts["pass"] / total) if total else 0})
    return rows


def _first_sentence(message: str) -> str:
    line = message.strip().splitlines()[0] if message.strip() else ""
    sentence = re.split(r"(?<=[.!?。])\s", line, maxsplit=1)[0]
    return sentence if len(sentence) <= 160 else sentence[:159] + "…"


def _common_failures(result: ClassResult, columns: list[Column]) -> list[dict[str, Any]]:
    """Per question, failing items grouped by item id and first sentence (numbers ignored), most students first."""
    groups: dict[str, dict[tuple[str, str], dict[str, Any]]] = defaultdict(dict)
    for s in result.students:
        for q in s.questions:
            if q.status == "missing":
                continue  # no answer is not a mistake
            for item in q.items:
                if item.passed or item.status not in FAILED:
                    continue
                sentence = _first_sentence(item.message)
                key = (item.id, re.sub(r"-?\d+(\.\d+)?", "#", sentence))
                g = groups[q.id].setdefault(key, {"description": item.description, "students": set(),
                                                  "examples": Counter()})
                g["students"].add(s.id)
                g["examples"][sentence] += 1
    out = []
    for col in columns:
        found = sorted(groups.get(col.id, {}).values(), key=lambda g: (-len(g["students"]), g["description"]))
        if found:
            out.append({"column": col, "failures": [
                {"description": g["description"], "n": len(g["students"]),
                 "example": g["examples"].most_common(1)[0][0]} for g in found[:TOP_FAILURES]]})
    return out


# ── the review queue ───────────────────────────────────────────────────────────────────────────

@dataclass
class ReviewGroup:
    column: Column
    entries: list[tuple[StudentResult, QuestionResult]]


def _review(result: ClassResult) -> list[ReviewGroup]:
    groups = {c.id: ReviewGroup(c, []) for c in _columns(result)}
    for s in result.students:
        for q in s.questions:
            if (q.status == "manual" or q.review) and q.status != "missing":  # no answer: nothing to judge
                groups[q.id].entries.append((s, q))
    return [g for g in groups.values() if g.entries]


_MISSING = QuestionResult("", "", "code", 0.0, 0.0, "missing")


def _card(student: StudentResult, *, lang: str, max_points: float, footer: dict[str, str] | None,
          nav: dict[str, str] | None) -> str:
    hidden = sum(1 for q in student.questions for i in q.items if i.status == "hidden")
    return _env(lang).get_template("card.html").render(
        student=student, max_points=max_points, hidden=hidden, footer=footer, nav=nav)
