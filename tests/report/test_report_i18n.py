"""The message catalogue: every key in both languages, the same placeholders, English without Hangul."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from typing import get_args

from grader.model import ItemStatus, Kind, QuestionStatus
from grader.i18n import assignment_catalogue
from grader.report.i18n import CATALOGUE as ENGINE, LANGS, t
from report_support import HANGUL

TEMPLATES = Path(__file__).parents[2] / "grader" / "report" / "templates"
ASSIGNMENT = Path(__file__).parents[2] / "assignments" / "a5_cnn"
# The engine's words and the assignment's (its checks', and those it rewords: its name in titles).
CATALOGUE = {lang: {**ENGINE[lang], **assignment_catalogue()[lang]} for lang in LANGS}


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_key_exists_in_every_language():
    keys = {lang: set(CATALOGUE[lang]) for lang in LANGS}
    assert keys["ko"] == keys["en"], {lang: sorted(k - keys["ko"] - keys["en"] or k ^ keys["en"]) for lang, k in keys.items()}


@pytest.mark.parametrize("key", sorted(CATALOGUE["ko"]))
def test_translations_take_the_same_placeholders(key):
    assert placeholders(CATALOGUE["ko"][key]) == placeholders(CATALOGUE["en"][key])


def test_english_messages_contain_no_hangul():
    assert not [k for k, v in CATALOGUE["en"].items() if HANGUL.search(v)]


GRADER = TEMPLATES.parents[1]


def used_keys() -> set[str]:
    """Keys named literally by the templates and by the grader's code (`t("<area>.<name>", …)`)."""
    found = set()
    for path in [*TEMPLATES.glob("*.html"), *(GRADER / "review" / "templates").glob("*.html"), *GRADER.rglob("*.py"),
                 *ASSIGNMENT.rglob("*.py")]:
        found |= set(re.findall(r"""\b(?:t|msg)\(\s*["']([A-Za-z0-9_.]+)["']\s*[,)]""", path.read_text("utf-8")))
    return found


def dynamic_prefixes() -> tuple[str, ...]:
    """Prefixes of keys the grader's code builds (`t(f"fault.word.{kind}")`)."""
    found = set()
    for path in [*GRADER.rglob("*.py"), *ASSIGNMENT.rglob("*.py")]:
        found |= set(re.findall(r"""\b(?:t|msg)\(\s*f["']([A-Za-z0-9_.]+)\{""", path.read_text("utf-8")))
    return tuple(found)


def test_every_key_the_templates_use_is_in_the_catalogue():
    assert used_keys() and used_keys() <= set(CATALOGUE["ko"])


def test_every_status_and_kind_of_the_model_has_a_label():
    families = {"status.": QuestionStatus, "item.": ItemStatus, "kind.": Kind}
    for prefix, literal in families.items():
        assert all(prefix + value in CATALOGUE["ko"] for value in get_args(literal)), prefix
    assert all(f"ce.{role}" in CATALOGUE["ko"] for role in ("input", "expected", "actual", "difference", "note"))


def test_the_catalogue_holds_no_message_that_no_page_shows():
    dynamic = ("status.", "item.", "kind.", "ce.", "train.before", "train.after", *dynamic_prefixes())
    unused = {k.removesuffix(".one") for k in CATALOGUE["ko"]} - used_keys()
    assert not [k for k in unused if not k.startswith(dynamic)]


def test_t_formats_and_picks_the_singular_form():
    assert t("people", "ko", n=3) == "3명"
    assert t("people", "en", n=1) == "1 student" and t("people", "en", n=2) == "2 students"
    assert t("status.fail") == "실패"


def test_unknown_key_or_language_says_what_to_fix():
    with pytest.raises(KeyError, match="no.such.key.*i18n.py"):
        t("no.such.key", "ko")
    with pytest.raises(ValueError, match="lang='de'"):
        t("status.fail", "de")
