"""`grade review` in a real browser: Chromium driven by Playwright against the server in its own process."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from grader.cli import main

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "review"))
from review_support import Server, grade, grades, make_class, question  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]

playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright is installed by the test extra")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is installed by scripts/setup-system.sh")


@pytest.fixture(scope="module")
def browser():  # noqa: ANN201
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield b
        b.close()


@pytest.fixture()
def graded(tmp_path: Path) -> tuple[Path, Path]:
    cls = make_class(tmp_path)
    out = tmp_path / "out"
    grade(cls, out)
    return cls, out


def _open(browser, url: str):  # noqa: ANN001, ANN202
    context = browser.new_context(viewport={"width": 1300, "height": 950})
    page = context.new_page()
    errors: list[str] = []
    dialogs: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(url)
    page.wait_for_load_state("load")
    return page, errors, dialogs


def _saved(page, student: str, question: str):  # noqa: ANN001, ANN202
    return page.expect_response(lambda r: r.url.endswith("/api/reviews") and r.request.method == "POST"
                                and f'"student":"{student}"' in (r.request.post_data or "").replace(" ", ""))


def test_a_ta_reviews_three_answers_by_keyboard_and_accepts_a_group(browser, graded) -> None:  # noqa: ANN001
    cls, out = graded
    with Server(out, "kim_ta") as server:
        page, errors, _ = _open(browser, server.url)
        assert page.url.endswith("/") and "token=" not in page.url  # the token became a cookie
        page.click('a[href="/q/7.2.3.1"]')
        page.wait_for_selector("article.entry.current")
        entries = page.locator("article.entry")
        assert entries.count() == 4
        order = [e.get_attribute("data-student") for e in entries.all()]
        # Three answers decided by keyboard: 1, then 0, then "a" (accept the proposal).
        for key, sid in zip(["1", "0", "a"], order[:3]):
            assert page.locator("article.entry.current").get_attribute("data-student") == sid
            with page.expect_response(lambda r: r.url.endswith("/api/reviews")) as answer:
                page.keyboard.press(key)
            assert answer.value.status == 200
            page.locator(f'article.entry[data-student="{sid}"][data-state="reviewed"]').wait_for()
        decided = {sid: question(out, sid, "7.2.3.1") for sid in order[:3]}
        assert decided[order[0]]["points"] == 1 and decided[order[1]]["points"] == 0
        assert all(q["confirmed"] and q["reviewer"] == "kim_ta" for q in decided.values())
        # The student's total changed on their card and in grades.csv, and on the page.
        sid = order[1]
        card = (out / "cards" / f"{sid}.html").read_text("utf-8")
        total = float(grades(out)[sid][0])
        assert f'data-points="{total:g}"' in card
        assert page.locator(f'[data-total-for="{sid}"]').first.text_content().strip() == f"{total:g}"
        # A group: twin_a and twin_b wrote the same 8.3.2 answer; one keystroke decides both.
        page.goto(server.base + "/q/8.3.2")
        group = page.locator('article.entry[data-group="true"]')
        assert group.count() == 1 and group.locator("li[data-member]").count() == 2
        group.click()
        with page.expect_response(lambda r: r.url.endswith("/api/reviews")):
            page.keyboard.press("a")
        assert question(out, "twin_a", "8.3.2")["confirmed"] and question(out, "twin_b", "8.3.2")["confirmed"]
        # Reload: every decision is still there.
        page.goto(server.base + "/q/7.2.3.1?filter=reviewed")
        assert sorted(e.get_attribute("data-student") for e in page.locator("article.entry").all()) == sorted(order[:3])
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.goto(server.base + "/q/8.3.2?filter=all")
        page.screenshot(path=str(ARTIFACTS / "review-app.png"), full_page=False)
        assert not errors, errors
    before = (out / "grades.csv").read_text("utf-8")
    grade(cls, out)  # the class run afterwards reproduces exactly those grades
    assert (out / "grades.csv").read_text("utf-8") == before


def test_a_reviewed_answer_changed_on_disk_comes_back_as_changed(browser, graded) -> None:  # noqa: ANN001
    cls, out = graded
    with Server(out) as server:
        page, errors, _ = _open(browser, server.url)
        page.goto(server.base + "/s/twin_a")
        entry = page.locator('article.entry[data-question="8.3.2"]')
        entry.click()
        with page.expect_response(lambda r: r.url.endswith("/api/reviews")):
            page.keyboard.press("0")
        sheet = cls / "twin_a.md"
        sheet.write_text(sheet.read_text("utf-8").replace("수천 개의", "수만 개의"), "utf-8")
        assert CliRunner().invoke(main, [str(cls), "--out", str(out), "-j", "1"]).exit_code == 0
        page.goto(server.base + "/q/8.3.2?filter=changed")
        changed = page.locator("article.entry")
        assert changed.count() == 1 and changed.get_attribute("data-student") == "twin_a"
        assert changed.get_attribute("data-state") == "changed"
        assert changed.locator("p.previous").count() == 1  # the old decision, shown, not applied
        assert not errors, errors


def test_answers_with_html_and_script_are_shown_as_text_and_run_nothing(browser, graded) -> None:  # noqa: ANN001
    _, out = graded
    with Server(out) as server:
        page, errors, dialogs = _open(browser, server.url)
        for path in ("/s/hostile", "/q/8.3.2?filter=all", "/q/7.2.3.1?filter=all"):
            page.goto(server.base + path)
            page.wait_for_load_state("load")
            text = page.locator("article.entry", has_text="window.__pwned").first.inner_text() if "8.3.2" in path \
                else page.inner_text("body")
            assert "<script>" in text
            assert page.evaluate("window.__pwned === undefined")
            assert page.locator("article.entry script").count() == 0 and page.locator("article.entry img[src=x]").count() == 0
        assert not dialogs
        # Saving the hostile answer's decision writes its text as text into the card too.
        page.goto(server.base + "/s/hostile")
        page.locator('article.entry[data-question="8.3.2"]').click()
        with page.expect_response(lambda r: r.url.endswith("/api/reviews")):
            page.keyboard.press("0")
        card_page, card_errors, card_dialogs = _open(browser, (out / "cards" / "hostile.html").as_uri())
        assert card_page.evaluate("window.__pwned === undefined") and not card_dialogs
        assert not [e for e in errors if "pwned" in e]


def test_two_browsers_saving_at_once_both_land_in_the_history(browser, graded) -> None:  # noqa: ANN001
    _, out = graded
    with Server(out, "ta1") as one, Server(out, "ta2") as two:
        a, _, _ = _open(browser, one.url)
        b, _, _ = _open(browser, two.url)
        a.goto(one.base + "/s/twin_a")
        b.goto(two.base + "/s/twin_b")
        a.locator('article.entry[data-question="7.2.3.1"] button.pbtn[data-points="1"]').wait_for()
        b.locator('article.entry[data-question="7.2.3.1"] button.pbtn[data-points="0"]').wait_for()
        # Both clicks are sent before either answer is read.
        a.evaluate("document.querySelector('article.entry[data-question=\"7.2.3.1\"] button.pbtn[data-points=\"1\"]').click()")
        b.evaluate("document.querySelector('article.entry[data-question=\"7.2.3.1\"] button.pbtn[data-points=\"0\"]').click()")
        for page in (a, b):
            page.locator('article.entry[data-question="7.2.3.1"][data-state="reviewed"]').wait_for()
        history = one.get("/api/history?question=7.2.3.1")
    assert sorted((h["student"], h["points"], h["reviewer"]) for h in history) == [("twin_a", 1, "ta1"), ("twin_b", 0, "ta2")]
    assert question(out, "twin_a", "7.2.3.1")["points"] == 1 and question(out, "twin_b", "7.2.3.1")["points"] == 0
