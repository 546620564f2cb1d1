"""Numeric and written answers: checks over the answer's text (no worker involved)."""

from __future__ import annotations

from ..model import Outcome
from ..audience import strip_copied
from .base import Context, check


def _numeric():  # noqa: ANN202 - the sheets package is imported when an answer is graded
    from ..sheets import numeric

    return numeric


def _own(ctx: Context) -> str:
    """The answer without the lines copied from the grader's own output (they are no answer)."""
    return strip_copied(ctx.text, ctx.param("copied", ()))


@check("numeric.values", program="text", params=("expected",), answers=("expected",))
def numeric_values(ctx: Context) -> Outcome:
    """The expected result values appear in the answer (partial credit per value)."""
    return _numeric().values(_own(ctx), list(ctx.param("expected", [])))


@check("numeric.working", program="text", params=("expected",), answers=("expected",))
def numeric_working(ctx: Context) -> Outcome:
    """The working is written with * and + and gives one of the expected values."""
    return _numeric().working(_own(ctx), list(ctx.param("expected", [])))


@check("numeric.named", program="text", params=("name", "expected"), answers=("expected",))
def numeric_named(ctx: Context) -> Outcome:
    """A named result (`OH = value`) is stated."""
    index = int(ctx.param("index", 0 if str(ctx.param("name", "")).upper().endswith("H") else 1))
    return _numeric().named(_own(ctx), str(ctx.param("name")), float(ctx.param("expected")), index)


@check("numeric.relation", program="text")
def numeric_relation(ctx: Context) -> Outcome:
    """Larger padding gives a larger output; larger stride a smaller one."""
    return _numeric().relation(_own(ctx))


@check("numeric.shape_meaning", program="text", params=("count", "channels", "height", "width"),
       answers=("count", "channels", "height", "width"))
def numeric_shape_meaning(ctx: Context) -> Outcome:
    """The four numbers of an (N, C, H, W) shape are read as count, channels, height, width."""
    return _numeric().shape_meaning(_own(ctx), int(ctx.param("count")), int(ctx.param("channels")),
                                    int(ctx.param("height")), int(ctx.param("width")))


@check("written.concept", program="text", params=("ko", "en", "pairs"), answers=("ko", "en", "pairs"))
def written_concept(ctx: Context) -> Outcome:
    """A concept of a written answer, found by its Korean or English phrasings."""
    from ..sheets import written

    text = written.strip_question(ctx.text, ctx.param("title", ""))
    text = strip_copied(text, ctx.param("copied", ()))  # the grader's own words are no answer
    out = written.match_concepts(text, list(ctx.param("ko", [])), list(ctx.param("en", [])),
                                 model=str(ctx.param("description", "")), pairs=list(ctx.param("pairs", [])))
    if not out.passed and text.strip():
        out.review = True  # a person reads what the keywords could not find
    return out
