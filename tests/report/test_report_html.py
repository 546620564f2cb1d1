"""The HTML reports: rendered from a class of three students, parsed, and asserted on cell by cell."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from grader.report import html as report_html
from grader.model import ItemResult
from grader.report.html import card_names, highlight_evidence, render_card, render_class
from report_support import FAILING_ID, HANGUL, SCRIPT, make_class, parse


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    out = tmp_path_factory.mktemp("reports")
    result = make_class()
    written = render_class(result, out)
    return {"out": out, "written": written, "result": result, "names": card_names(s.id for s in result.students)}


def read(path: Path):
    return parse(path.read_text("utf-8"))


def card_path(pages: dict, sid: str) -> Path:
    return pages["out"] / "cards" / f"{pages['names'][sid]}.html"


def row_of(index, sid: str):
    return index.find("tr", data_student=sid)


# ── what is written ────────────────────────────────────────────────────────────────────────────

def test_render_class_writes_the_index_a_card_per_student_and_the_review_page(pages):
    out = pages["out"]
    expected = {out / "index.html", out / "review.html", *(card_path(pages, s.id) for s in pages["result"].students)}
    assert set(pages["written"]) == expected
    assert all(p.is_file() for p in expected)
    assert not [p for p in out.rglob("*.tmp")], "a temporary file was left behind"


def test_card_file_names_stay_inside_the_cards_folder_for_any_student_id(pages):
    name = pages["names"][FAILING_ID]
    assert re.fullmatch(r"[A-Za-z0-9_-]+", name)
    assert card_path(pages, FAILING_ID).parent == pages["out"] / "cards"


def test_card_names_are_unique_even_when_ids_differ_only_in_case_or_are_reserved():
    ids = ["Kim", "kim", "CON", "con", "a/b", "a_b", "../x", "", "김민지", "이 준호", "kim_minji", "kim minji",
           "kim.minji", "kim-minji", "kim_minji--0"]
    names = card_names(ids)
    assert len({n.lower() for n in names.values()}) == len(ids)
    assert names["kim_minji"] == "kim_minji" and names["kim"] == "kim" and names["Kim"].startswith("Kim--")
    assert all(re.fullmatch(r"[A-Za-z0-9_-]+", n) and n.lower() not in ("con", "") for n in names.values())
    assert card_names(reversed(ids))["김민지"] == names["김민지"]  # a name depends on the id alone


def test_an_interrupted_render_leaves_the_previous_index_intact(tmp_path, monkeypatch):
    render_class(make_class(), tmp_path)
    before = (tmp_path / "index.html").read_text("utf-8")

    def boom(*args, **kwargs):
        raise RuntimeError("interrupted")

    monkeypatch.setattr(report_html, "render_index", boom)
    with pytest.raises(RuntimeError):
        render_class(make_class(), tmp_path)
    assert (tmp_path / "index.html").read_text("utf-8") == before


# ── the class overview ─────────────────────────────────────────────────────────────────────────

def test_each_row_of_the_overview_shows_the_students_total(pages):
    index = read(pages["out"] / "index.html")
    for s in pages["result"].students:
        assert row_of(index, s.id).find("td", cls="total").text.strip() == f"{s.points:g}"


def test_a_partially_failed_question_is_coloured_partial_and_a_missing_one_grey(pages):
    index = read(pages["out"] / "index.html")
    failing = row_of(index, FAILING_ID)
    conv = failing.find("td", data_question="7.4.3.2")
    assert "st-partial" in conv.classes() and conv.text.strip() == "4"
    assert "st-missing" in failing.find("td", data_question="7.6.1.1").classes()
    assert "st-pass" in row_of(index, "kim_perfect").find("td", data_question="7.4.3.2").classes()


def test_every_link_from_the_overview_to_a_card_resolves_to_a_written_file(pages):
    index = read(pages["out"] / "index.html")
    links = [a.attrs["href"] for a in index.find_all("a") if a.attrs["href"].startswith("cards/")]
    assert len(links) == len(pages["result"].students)
    assert all((pages["out"] / href).is_file() for href in links)
    assert any(a.attrs["href"] == "review.html" for a in index.find_all("a"))


def test_overview_headers_sort_and_the_table_filters_with_inline_script_only(pages):
    text = (pages["out"] / "index.html").read_text("utf-8")
    index = parse(text)
    heads = index.find("table", id="grades").find("thead").find_all("th")
    assert [h.attrs["data-type"] for h in heads[:3]] == ["text", "number", "number"]
    assert all("tabindex" in h.attrs for h in heads)
    assert index.find("input", id="filter")
    scripts = index.find_all("script")
    assert len(scripts) == 1 and "src" not in scripts[0].attrs and "addEventListener" in scripts[0].text


def test_overview_draws_the_histogram_of_totals_and_pass_rates_as_inline_svg(pages):
    index = read(pages["out"] / "index.html")
    bars = index.find("svg", cls="histogram").find_all("rect", cls="bar")
    assert len(bars) == 10
    heights = [float(b.attrs["height"]) for b in bars]
    assert sum(1 for h in heights if h > 0) == 3  # totals 13, 6 and 3 fall in three different bins
    rates = index.find("svg", cls="pass-rates")
    numeric = rates.find("g", data_question="7.2.4")
    assert numeric.find_all("text")[-1].text == "100%"
    assert rates.find("g", data_question="7.4.3.2").find_all("text")[-1].text == "33%"  # pass, partial, missing


def test_overview_lists_the_most_common_failures_with_how_many_students(pages):
    index = read(pages["out"] / "index.html")
    items = [li.text for li in index.find("ul", cls="failures").find_all("li")]
    assert any(t.startswith("출력 값이 정의와 같다: 1명") for t in items)
    assert all("비밀" not in t for t in items)  # hidden checks are not failures
    assert not index.find_all("h3", data_question="7.6.1.1")  # a missing answer is not a failure


# ── the card ───────────────────────────────────────────────────────────────────────────────────

def test_card_shows_total_and_every_question_in_rubric_order(pages):
    card = read(card_path(pages, FAILING_ID))
    assert card.find("div", id="total").attrs["data-points"] == "6"
    assert [s.attrs["data-question"] for s in card.find_all("section", cls="question")] == ["7.2.4", "7.4.3.2", "7.6.1.1"]


def test_failed_item_shows_hint_and_heat_maps_of_input_expected_actual_and_difference(pages):
    card = read(card_path(pages, FAILING_ID))
    item = card.find("li", data_item="conv.forward.values")
    assert "✗" in item.find("span", cls="mark").text
    assert "겹치는 원소끼리" in item.find("div", cls="hint").text
    ce = item.find("div", cls="ce")
    for role in ("input", "expected", "actual", "difference"):
        assert ce.find("div", cls=f"ce-{role}").find_all("svg", cls="heatmap"), role
    x = [f for f in ce.find("div", cls="ce-input").find_all("div", cls="ce-field") if f.find("span").text == "x"][0]
    assert len(x.find_all("svg", cls="heatmap")) == 2  # the first sample's two channels
    assert x.find("div", cls="array").attrs["data-shape"] == "1x2x3x3"
    marked = ce.find("div", cls="ce-actual").find("td", cls="mark")
    assert marked.text == "52"  # the first difference is outlined in the table of numbers
    assert ce.find("div", cls="ce-difference").find("rect", cls="mark")


def test_passed_items_show_no_hint_and_the_perfect_card_has_no_counterexample(pages):
    card = read(card_path(pages, "kim_perfect"))
    assert not card.find_all("div", cls="hint")
    assert not card.find_all("div", cls="ce")
    assert all("✓" in li.find("span", cls="mark").text for li in card.find_all("li", cls="passed"))


def test_hidden_items_are_shown_only_as_checks_run_at_grading(pages):
    html = card_path(pages, FAILING_ID).read_text("utf-8")
    hidden = parse(html).find("li", data_item="hidden")
    assert "채점 때 실행되는 검사" in hidden.text
    assert "SECRET-MESSAGE" not in html and "비밀 검사" not in html


def test_code_is_highlighted_and_a_script_in_it_is_escaped(pages):
    html = card_path(pages, "kim_perfect").read_text("utf-8")
    code = parse(html).find("section", data_question="7.4.3.2").find("div", cls="code")
    assert code.find_all("span", cls="k")  # Pygments marked the keywords
    assert SCRIPT not in html and "&lt;script&gt;" in html


def test_a_script_in_a_written_answer_is_escaped_on_the_card_and_on_the_review_page(pages):
    for path in (card_path(pages, "choi_manual"), pages["out"] / "review.html"):
        html = path.read_text("utf-8")
        assert SCRIPT not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert len(parse(html).find_all("script")) == 0


def test_card_shows_notes_and_the_log_in_a_collapsed_details(pages):
    card = read(card_path(pages, FAILING_ID))
    assert "CP949" in card.find("div", cls="notes").text
    log = card.find("details", cls="log")
    assert "open" not in log.attrs and "Saved Network Parameters!" in log.find("pre").text


def test_trained_network_shows_its_loss_curve_and_filters_before_and_after(pages):
    training = read(card_path(pages, FAILING_ID)).find("section", id="training")
    assert "87.5%" in training.text
    points = training.find("polyline", cls="curve").attrs["points"].split()
    assert len(points) == 24  # the NaN at the end is left out, not drawn as a spike
    for when in ("before", "after"):
        assert len(training.find("figure", cls=f"filters-{when}").find_all("svg", cls="heatmap")) == 8
    assert not read(card_path(pages, "kim_perfect")).find_all("section", id="training")


def test_render_card_alone_is_a_self_contained_page_without_class_links():
    student = make_class().students[1]
    html = render_card(student, max_points=17)
    page = parse(html)
    assert not page.find_all("nav", cls="top")
    assert "print-color-adjust" in page.find("style").text and "@media print" in html
    assert not page.find_all("link", rel="stylesheet")
    assert not re.search(r"""(src|href)=["']?https?:""", html)


# ── the review page ────────────────────────────────────────────────────────────────────────────

def test_review_page_lists_the_manual_question_with_evidence_highlighted(pages):
    review = read(pages["out"] / "review.html")
    groups = review.find_all("section", cls="review-group")
    assert [g.attrs["data-question"] for g in groups] == ["7.6.1.1", "7.2.6.1"]
    entries = groups[0].find_all("div", cls="review-entry")
    assert [e.attrs["data-student"] for e in entries] == ["choi_manual"]  # not the one whose review was done
    marks = entries[0].find("pre", cls="answer").find_all("mark")
    assert [m.text for m in marks] == ["에지"]  # the quoted phrase, found through the line break and **
    link = entries[0].find("a").attrs["href"]
    assert (pages["out"] / link.split("#")[0]).is_file()


def test_review_page_lists_students_without_an_answer_in_one_line(pages):
    group = read(pages["out"] / "review.html").find("section", data_question="7.2.6.1")
    assert not group.find_all("div", cls="review-entry")
    blank = group.find("p", cls="blank-answers")
    assert [a.text for a in blank.find_all("a")] == ["kim_perfect"]


def test_evidence_snippets_are_found_despite_flattening_and_without_a_quoted_phrase_marked_whole():
    item = ItemResult("i", "d", 1, 1, True, "pass", "", evidence=["…ilters respond to…"])
    html = str(highlight_evidence("the **filters**\n  respond to edges <b>", [item]))
    assert html == 'the **f<mark class="ev ev0">ilters**\n  respond to</mark> edges &lt;b&gt;'


# ── languages ──────────────────────────────────────────────────────────────────────────────────

def test_english_pages_show_no_hangul_when_the_data_has_none(tmp_path):
    result = make_class(korean=False)
    for path in render_class(result, tmp_path, lang="en"):
        text = path.read_text("utf-8")
        assert parse(text).find("html").attrs["lang"] == "en"
        body = re.sub(r"<style>.*?</style>", "", text, flags=re.S)
        assert not HANGUL.search(body), f"{path.name}: {HANGUL.search(body).group()!r} in {body[max(0, HANGUL.search(body).start() - 80):HANGUL.search(body).start() + 20]!r}"


def test_korean_is_the_default_language(pages):
    index = read(pages["out"] / "index.html")
    assert index.find("html").attrs["lang"] == "ko"
    assert index.find("th", cls="total").text == "총점"


def test_an_unknown_language_is_a_clear_error(tmp_path):
    with pytest.raises(ValueError, match="lang='fr'.*ko, en"):
        render_class(make_class(), tmp_path, lang="fr")
    assert not os.listdir(tmp_path)
