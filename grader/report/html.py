"""HTML reports: the class overview, one card per student, and the review queue.

Rendered with Jinja2 (autoescape on: student answers and code are untrusted text) from the results
model alone. Every page is self-contained — CSS inlined, charts and heat maps as inline SVG, no
network — so a card can be mailed or printed on its own. Words come from `i18n`, never from here.
"""

from __future__ import annotations

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

from ..discover.ids import file_stem
from ..model import ClassResult, ItemResult, QuestionResult, StudentResult
from ..reviews import counts as review_counts
from ..reviews import waiting
from . import heatmap
from .files import write_atomic
from .i18n import t

__all__ = ["card_names", "card_path", "render_card", "render_class", "render_class_card", "render_index",
           "render_review"]

TEMPLATES = Path(__file__).with_name("templates")
STATUSES = ("pass", "partial", "manual", "fail", "missing")  # order of the stacked pass-rate bars
FAILED = ("fail", "error")  # item statuses that count as a mistake
TOP_FAILURES = 5


# ── public API ─────────────────────────────────────────────────────────────────────────────────

def render_class(result: ClassResult, out_dir: Path, *, lang: str = "ko", cards: bool = True) -> list[Path]:
    """Write index.html, cards/<name>.html per student and review.html into `out_dir`, atomically.

    The cards are written first and the index last, so an index never links to a card not yet there.
    `cards=False` leaves the cards to the caller (a class run writes each as its student finishes,
    see `report.cards`) and writes the two class pages only.
    """
    names = card_names(s.id for s in result.students)
    written = []
    for student in result.students if cards else ():
        path = card_path(out_dir, names[student.id])
        write_atomic(path, render_class_card(student, lang=lang, max_points=result.max_points,
                                             generated=result.generated, version=result.grader_version))
        written.append(path)
    for name, html in (("review.html", render_review(result, lang=lang, names=names)),
                       ("index.html", render_index(result, lang=lang, names=names))):
        write_atomic(out_dir / name, html)
        written.append(out_dir / name)
    return written


def render_class_card(student: StudentResult, *, lang: str = "ko", max_points: float, generated: str,
                      version: str) -> str:
    """One student's card in a class's reports: links to the overview and the review page, the run in the footer.

    The one place a class card is made, so a card written while the class is still being graded
    is the card `render_class` would write for the same result.
    """
    return _card(student, lang=lang, max_points=max_points, footer={"when": generated, "version": version},
                 nav={"overview": "../index.html", "review": "../review.html"}, media="../")


def card_path(out_dir: Path, name: str) -> Path:
    """Where the card named `name` (from `card_names`) is written in a class's output folder."""
    return out_dir / "cards" / f"{name}.html"


def render_card(student: StudentResult, *, lang: str = "ko", max_points: float) -> str:
    """One student's card as a standalone page (for `grade check --html`): no links to a class."""
    return _card(student, lang=lang, max_points=max_points, footer=None, nav=None, media=None)


def render_index(result: ClassResult, *, lang: str = "ko", names: dict[str, str] | None = None) -> str:
    """The class overview: table of points, charts of totals and pass rates, common failures."""
    names = names or card_names(s.id for s in result.students)
    columns = _columns(result)
    totals = [s.points for s in result.students]
    return _env(lang).get_template("index.html").render(
        result=result, columns=columns, names=names,
        mean=statistics.fmean(totals) if totals else 0.0, median=statistics.median(totals) if totals else 0.0,
        histogram=_histogram(totals, result.max_points), rates=_pass_rates(result, columns),
        failures=_common_failures(result, columns), review_count=review_counts(result)["waiting"],
        review_numbers=review_counts(result)["all"],
        nav={"overview": "index.html", "review": "review.html"},
        footer={"when": result.generated, "version": result.grader_version})


def render_review(result: ClassResult, *, lang: str = "ko", names: dict[str, str] | None = None) -> str:
    """Every answer a person must judge, grouped by question, with the evidence found highlighted."""
    names = names or card_names(s.id for s in result.students)
    return _env(lang).get_template("review.html").render(
        result=result, groups=_review(result), names=names, loose=[s for s in result.students if s.pictures],
        nav={"overview": "index.html", "review": "review.html"},
        footer={"when": result.generated, "version": result.grader_version})


def card_names(ids: Iterable[str]) -> dict[str, str]:
    """The card's file name (without .html) for each student id: `discover.ids.file_stem`, the one
    name every output of a student has (ids that differ only by a space, a case or a dot never share one)."""
    return {sid: file_stem(sid) for sid in ids}


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
    env.globals["counterexample"] = heatmap.counterexample_view
    env.globals["state_label"] = lambda state: t(f"review.state.{state}", lang=lang)
    env.globals["failure_label"] = lambda kind: t(f"index.failures.kind.{kind}", lang=lang)
    return env


def points_text(x: float) -> str:
    return f"{round(float(x), 2):g}"


_FORMATTER = HtmlFormatter(cssclass="code", wrapcode=True)


@lru_cache(maxsize=256)  # several questions often show the same class
def highlight_code(code: str) -> Markup:
    """Python source highlighted by Pygments (which escapes it); token colours are in style.css."""
    return Markup(highlight(code, PythonLexer(stripnl=False, ensurenl=True), _FORMATTER))


def highlight_evidence(text: str, items: list[ItemResult]) -> Markup:
    """`text` escaped, with the evidence of `items[k]` wrapped in <mark class="ev evK">.

    Evidence arrives as snippets of the flattened answer (whitespace collapsed, Markdown emphasis
    dropped, "…" at cut ends), and the item's message quotes the matched phrase ‘like this’. The
    snippet is found in the answer with a pattern that tolerates what flattening removed; inside
    it, the quoted phrase is marked when there is one, else the whole snippet.
    """
    spans = []
    for k, item in enumerate(items):
        phrases = [p for p in _QUOTED.findall(item.message) if p.strip()]
        for snippet, cls in [*((e, f"ev ev{k % 4}") for e in item.evidence),
                             *((e, "ev ev-against") for e in getattr(item, "against", []) or [])]:
            body = snippet.strip().strip("…").strip()
            found = _tolerant(body).search(text) if body else None
            if found is None:
                continue
            inner = [p for p in phrases if p.lower() in body.lower()]
            hits = [m for p in inner if (m := _tolerant(p).search(text, found.start(), found.end()))]
            spans.extend((m.start(), m.end(), cls) for m in hits or [found])
    spans.sort(key=lambda s: (s[0], s[0] - s[1]))
    out, pos = [], 0
    for start, end, cls in spans:
        if start < pos:
            continue  # overlaps a phrase already marked
        out.append(escape(text[pos:start]))
        out.append(Markup('<mark class="{}">{}</mark>').format(cls, text[start:end]))
        pos = end
    out.append(escape(text[pos:]))
    return Markup("").join(out)


_QUOTED = re.compile("‘([^’]+)’")  # ‘phrase’ in a written item's message
_GAP = r"(?:\*\*|__|`)*"  # Markdown emphasis the flattened snippet no longer has


@lru_cache(maxsize=4096)  # the same snippets are looked for again on every page written
def _tolerant(flat: str) -> re.Pattern[str]:
    """A pattern finding flattened text `flat` in the original: any whitespace run, emphasis anywhere."""
    parts = []
    for word in flat.split():
        parts.append(_GAP.join(re.escape(ch) for ch in word))
    return re.compile(r"(?:\s|\*\*|__|`)+".join(parts), re.IGNORECASE)


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


def _failure_kind(item: ItemResult) -> str:
    """The kind of a failure, for grouping: an error of the run, a wrong value shown by a counterexample, or another."""
    if item.status == "error":
        return "error"
    return "counterexample" if item.counterexample else "fail"


def _first_sentence(message: str) -> str:
    line = message.strip().splitlines()[0] if message.strip() else ""
    sentence = re.split(r"(?<=[.!?。])\s", line, maxsplit=1)[0]
    return sentence if len(sentence) <= 160 else sentence[:159] + "…"


def _common_failures(result: ClassResult, columns: list[Column]) -> list[dict[str, Any]]:
    """Per question, failing items grouped by item and kind of failure (never by wording), most students first."""
    groups: dict[str, dict[tuple[str, str], dict[str, Any]]] = defaultdict(dict)
    for s in result.students:
        for q in s.questions:
            if q.status == "missing":
                continue  # no answer is not a mistake
            for item in q.items:
                if item.passed or item.status not in FAILED:
                    continue
                key = (item.id, _failure_kind(item))
                g = groups[q.id].setdefault(key, {"description": item.description, "kind": key[1], "item": item.id,
                                                  "students": set(), "examples": Counter()})
                g["students"].add(s.id)
                g["examples"][_first_sentence(item.message)] += 1
    out = []
    for col in columns:
        found = sorted(groups.get(col.id, {}).values(), key=lambda g: (-len(g["students"]), g["description"]))
        if found:
            out.append({"column": col, "failures": [
                {"description": g["description"], "n": len(g["students"]), "kind": g["kind"], "item": g["item"],
                 "example": g["examples"].most_common(1)[0][0]} for g in found[:TOP_FAILURES]]})
    return out


# ── the review queue ───────────────────────────────────────────────────────────────────────────

@dataclass
class ReviewGroup:
    column: Column
    entries: list[tuple[StudentResult, QuestionResult]]  # answers to judge
    blank: list[StudentResult]  # sent to review, but no answer was found: listed, not shown


def _review(result: ClassResult) -> list[ReviewGroup]:
    """The answers waiting for a TA (`reviews.waiting`, the one definition), by question."""
    groups = {c.id: ReviewGroup(c, [], []) for c in _columns(result)}
    for s in result.students:
        for q in s.questions:
            if not waiting(q):
                continue
            if q.answer.strip() or any(i.evidence for i in q.items) or q.pictures:
                groups[q.id].entries.append((s, q))
            else:
                groups[q.id].blank.append(s)
    return [g for g in groups.values() if g.entries or g.blank]


_MISSING = QuestionResult("", "", "code", 0.0, 0.0, "missing")


def _card(student: StudentResult, *, lang: str, max_points: float, footer: dict[str, str] | None,
          nav: dict[str, str] | None, media: str | None) -> str:
    """`media`: the way from the card to the output folder holding media/ (None: pictures not stored)."""
    hidden = sum(1 for q in student.questions for i in q.items if i.status == "hidden")
    return _env(lang).get_template("card.html").render(
        student=student, max_points=max_points, hidden=hidden, footer=footer, nav=nav,
        training=_training(student.training), media=media)


def _training(record: dict[str, Any] | None) -> dict[str, Any] | None:
    """`--train`: the loss curve as polyline geometry, and the first-layer filters before and after."""
    if not record:
        return None
    loss = [(float(s), float(v)) for s, v in record.get("loss") or []
            if isinstance(v, (int, float)) and v == v and abs(v) != float("inf")]
    w, h, left, bottom, top = 320, 150, 40, 24, 8
    curve = None
    if loss:
        x_max = max(s for s, _ in loss) or 1.0
        y_max, y_min = max(v for _, v in loss), min(0.0, min(v for _, v in loss))
        span = (y_max - y_min) or 1.0
        points = " ".join(f"{left + (w - left - 8) * s / x_max:.1f},{top + (h - top - bottom) * (1 - (v - y_min) / span):.1f}"
                          for s, v in loss)
        curve = {"points": points, "w": w, "h": h, "left": left, "bottom": bottom, "top": top,
                 "x_max": x_max, "y_max": y_max, "y_min": y_min}
    filters = {}
    for when in ("before", "after"):
        view = heatmap.view_array(record.get(f"filters_{when}"), scale="grey", tables=False, label=when)
        if view is not None:
            filters[when] = view
    accuracy = record.get("accuracy")
    return {"ok": record.get("status") == "ok", "message": record.get("message", ""), "curve": curve,
            "filters": filters, "steps": record.get("steps", len(loss)), "batch": record.get("batch", "–"),
            "lr": record.get("lr", "–"), "accuracy": round(100 * accuracy, 1) if isinstance(accuracy, float) else None}
