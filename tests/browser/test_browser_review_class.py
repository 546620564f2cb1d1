"""Done when: a TA reviews every written and drawn answer of the sample class by keyboard, and the run reproduces it."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "review"))
from review_support import SAMPLE, Server, grade, results  # noqa: E402

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]

playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright is installed by the test extra")
pytestmark = [pytest.mark.skipif(CHROMIUM is None, reason="chromium is installed by scripts/setup-system.sh"),
              pytest.mark.slow]


def test_every_answer_of_the_sample_class_reviewed_by_keyboard_and_the_run_reproduces_it(tmp_path: Path) -> None:
    cls = tmp_path / "class"
    shutil.copytree(SAMPLE, cls)
    out = tmp_path / "out"
    grade(cls, out, "-j", "2")
    waiting = sum(s["waiting"] for s in results(out)["students"])
    assert waiting > 20
    keys = 0
    with Server(out, "ta") as server, playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        page = browser.new_page(viewport={"width": 1300, "height": 900})
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(server.url)
        questions = [a.get_attribute("data-question") for a in page.locator("nav.app-nav a.qlink").all()]
        for qid in questions:
            page.goto(f"{server.base}/q/{qid}")
            for k in range(page.locator("article.entry").count()):
                entry = page.locator("article.entry.current")
                sid = entry.get_attribute("data-student")
                # The drawings are judged by the TA: 1 point where text was found, 0 where none; the rest accepted.
                key = "a" if entry.locator(".answer-col pre, .answer-col .code").count() else "0"
                with page.expect_response(lambda r: r.url.endswith("/api/reviews")) as answer:
                    page.keyboard.press(key)
                assert answer.value.status == 200, (qid, sid)
                keys += 1
                page.locator(f'article.entry[data-student="{sid}"][data-state="reviewed"]').wait_for()
        browser.close()
        assert not errors, errors
    decided = results(out)
    assert sum(s["waiting"] for s in decided["students"]) == 0
    assert all(s["pending_points"] == 0 for s in decided["students"])
    assert keys <= waiting  # one keystroke per answer or group, never more
    before = (out / "grades.csv").read_text("utf-8")
    grade(cls, out, "-j", "2")
    assert (out / "grades.csv").read_text("utf-8") == before
