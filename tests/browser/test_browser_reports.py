"""The reports in a real browser: headless Chromium (Debian's package) driven by Playwright.

The pages are opened from disk, as a TA opens them: no console errors, the students, questions
and pictures present, sorting works. Screenshots land in tests/artifacts/ for a person to look at.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from grader.cli import main

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "submissions"
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]
STUDENTS = ("kim_minji", "kang_doyoon.py", "jung_haeun.py", "seed_047ccd1e.txt", "seed_047ccd1e_pdf.pdf")

playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright is installed by the test extra")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is installed by scripts/setup-system.sh")


@pytest.fixture(scope="module", params=["ko", "en"])
def reports(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    cls = tmp_path_factory.mktemp("class")
    for name in STUDENTS:
        src = SAMPLE / name
        (shutil.copytree if src.is_dir() else shutil.copy)(src, cls / name)
    out = tmp_path_factory.mktemp(f"reports-{request.param}")
    result = CliRunner().invoke(main, [str(cls), "--out", str(out), "-j", "2", "--lang", request.param])
    assert result.exit_code == 0, result.output
    return out, request.param


@pytest.fixture(scope="module")
def browser():  # noqa: ANN201
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield b
        b.close()


def _open(browser, path: Path):  # noqa: ANN001, ANN202
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    return page, errors


def test_the_overview_lists_every_student_and_question_and_sorts(browser, reports) -> None:  # noqa: ANN001
    out, lang = reports
    page, errors = _open(browser, out / "index.html")
    rows = page.locator("#grades tbody tr")
    assert rows.count() == len(STUDENTS)
    ids = [r.get_attribute("data-student") for r in rows.all()]
    assert set(ids) == {"kim_minji", "kang_doyoon", "jung_haeun", "seed_047ccd1e", "seed_047ccd1e_pdf"}
    assert page.locator("#grades thead th[data-question]").count() == 33
    assert page.locator("#histogram svg").count() == 1 and page.locator("#pass-rates svg").count() == 1
    # Sort by total: click once, then again for the other direction.
    header = page.locator("#grades thead th.total")
    totals = []
    for _ in range(2):
        header.click()
        totals.append([float(c.get_attribute("data-sort")) for c in page.locator("#grades tbody td.total").all()])
    assert totals[0] in (sorted(totals[0]), sorted(totals[0], reverse=True))
    assert totals[1] == list(reversed(totals[0]))
    # Filter by a part of an id.
    page.fill("#filter", "kang")
    assert page.locator("#grades tbody tr:visible").count() == 1
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"overview-{lang}.png"), full_page=True)
    assert errors == []


def test_a_card_shows_the_counterexample_with_heat_maps(browser, reports) -> None:  # noqa: ANN001
    out, lang = reports
    page, errors = _open(browser, out / "index.html")
    page.click("a[href$='kang_doyoon.html']")
    page.wait_for_load_state("load")
    assert page.url.endswith("cards/kang_doyoon.html")
    body = page.inner_text("body")
    assert "kang_doyoon" in body and "7.4.3.2" in body
    failed = page.locator("[data-item='conv.forward.values']")
    assert failed.count() == 1
    assert failed.locator("svg").count() >= 3  # input, expected, actual (and the difference)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"card-{lang}.png"), full_page=True)
    assert errors == []


def test_the_review_page_lists_the_answers_waiting_for_a_person(browser, reports) -> None:  # noqa: ANN001
    out, lang = reports
    page, errors = _open(browser, out / "review.html")
    body = page.inner_text("body")
    assert "seed_047ccd1e" in body and "7.2.6.1" in body
    page.screenshot(path=str(ARTIFACTS / f"review-{lang}.png"), full_page=True)
    assert errors == []


def test_a_documents_drawings_are_drawn_on_its_card_and_the_review_page(browser, reports) -> None:  # noqa: ANN001
    out, lang = reports
    for path, selector in ((out / "cards" / "seed_047ccd1e_pdf.html", "#q-7\\.2\\.6\\.1 figure.picture img"),
                           (out / "review.html", '#r-7\\.2\\.6\\.1 [data-student="seed_047ccd1e_pdf"] img')):
        page, errors = _open(browser, path)
        image = page.locator(selector)
        assert image.count() == 1
        image.scroll_into_view_if_needed()
        assert image.evaluate("img => img.decode().then(() => img.naturalWidth)") == 640  # the stored file, loaded
        if path.name != "review.html":
            page.screenshot(path=str(ARTIFACTS / f"card-drawing-{lang}.png"))
        assert errors == []
