"""The one catalogue (grader/i18n.py): complete in both languages, used by the code, and switched per context."""

from __future__ import annotations

import ast
import re
import string
import threading

import pytest

from grader.i18n import CATALOGUE as ENGINE, LANGS, assignment_catalogue, current_lang, set_lang, t, use_lang
from i18n_support import ASSIGNMENT, GRADER, HANGUL

# The engine's words and the assignment's (its checks', and those it rewords: its name in titles).
CATALOGUE = {lang: {**ENGINE[lang], **assignment_catalogue()[lang]} for lang in LANGS}

AREAS = {
    # report pages
    "html", "app", "nav", "footer", "points", "people", "status", "item", "kind", "student", "index", "card", "ce",
    "train", "review", "assignment",
    # the grader's own messages
    "check", "fault", "note", "cli", "rubric", "sheet", "numeric", "written", "kit", "terminal", "export", "form",
    # documents handed in as answer sheets (grader/sheets/documents/)
    "doc",
}


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def sample(text: str) -> dict[str, object]:
    """A value for every placeholder, numeric so that `{x:g}` and `{x:.6g}` format too."""
    return {name: 1.5 for name in placeholders(text)}


def literal_keys() -> dict[str, set[str]]:
    """Keys named literally in the grader's code and the assignment's (`t("check.shape", …)`, `msg(…)`), by file."""
    found: dict[str, set[str]] = {}
    for path in [*GRADER.rglob("*.py"), *ASSIGNMENT.rglob("*.py")]:
        keys = set(re.findall(r"""\b(?:t|msg)\(\s*["']([A-Za-z0-9_.]+)["']\s*[,)]""", path.read_text("utf-8")))
        if keys:
            found[path.relative_to(GRADER.parent).as_posix()] = keys
    return found


def test_every_key_is_in_both_languages() -> None:
    assert set(CATALOGUE["ko"]) == set(CATALOGUE["en"])
    assert LANGS == ("ko", "en")


@pytest.mark.parametrize("key", sorted(CATALOGUE["ko"]))
def test_both_languages_take_the_same_placeholders_and_format(key: str) -> None:
    ko, en = CATALOGUE["ko"][key], CATALOGUE["en"][key]
    assert placeholders(ko) == placeholders(en)
    assert "lang" not in placeholders(ko)  # `lang` is t()'s own argument
    for lang in LANGS:
        assert t(key, lang, **sample(ko))  # format specs fit numbers; no stray braces


def test_english_has_no_hangul_and_korean_is_not_left_untranslated() -> None:
    assert not [k for k, v in CATALOGUE["en"].items() if HANGUL.search(v)]
    same = [k for k in CATALOGUE["ko"] if CATALOGUE["ko"][k] == CATALOGUE["en"][k] and HANGUL.search(CATALOGUE["ko"][k])]
    assert not same


def test_keys_are_grouped_by_area() -> None:
    assert {k.split(".")[0] for k in CATALOGUE["ko"]} <= AREAS


def test_every_key_the_code_names_is_in_the_catalogue() -> None:
    missing = {f: sorted(keys - set(CATALOGUE["ko"])) for f, keys in literal_keys().items()}
    assert not {f: k for f, k in missing.items() if k}
    assert len(literal_keys()) >= 25  # every module with messages goes through t()


def test_a_module_that_imports_t_never_rebinds_the_name() -> None:
    """`x, t = batch` in a function that also calls t("…") breaks the message: such modules import `t as msg`."""
    clashes = []
    for path in [*GRADER.rglob("*.py"), *ASSIGNMENT.rglob("*.py")]:
        tree = ast.parse(path.read_text("utf-8"))
        imports_t = any(isinstance(n, ast.ImportFrom) and (n.module or "").endswith("i18n")
                        and any(a.name == "t" and a.asname is None for a in n.names) for n in ast.walk(tree))
        if imports_t:
            clashes += [f"{path.name}:{n.lineno}" for n in ast.walk(tree)
                        if (isinstance(n, ast.Name) and n.id == "t" and isinstance(n.ctx, ast.Store))
                        or (isinstance(n, ast.arg) and n.arg == "t")]
    assert not clashes


def test_the_default_language_is_korean_and_use_lang_switches_a_block() -> None:
    assert current_lang() == "ko" and t("check.no_answer") == "답을 찾지 못했습니다."
    with use_lang("en") as lang:
        assert lang == "en" and t("check.no_answer") == "No answer was found."
        with use_lang("ko"):
            assert t("terminal.passed") == "모든 검사를 통과했습니다."
        with use_lang(None):
            assert current_lang() == "en"
        assert t("terminal.passed") == "Every check passed."
        assert t("terminal.passed", "ko") == "모든 검사를 통과했습니다."  # an explicit lang wins
    assert current_lang() == "ko"


def test_use_lang_restores_the_language_after_an_error() -> None:
    with pytest.raises(RuntimeError), use_lang("en"):
        raise RuntimeError
    assert current_lang() == "ko"


def test_set_lang_lasts_for_its_context_and_a_new_thread_starts_in_korean() -> None:
    seen: list[str] = []
    token = set_lang("en")
    try:
        assert t("status.fail") == "fail"
        worker = threading.Thread(target=lambda: seen.append(current_lang()))
        worker.start()
        worker.join()
    finally:
        from grader.i18n import _LANG

        _LANG.reset(token)
    assert seen == ["ko"] and current_lang() == "ko"


def test_the_singular_form_and_the_errors() -> None:
    assert t("terminal.hidden", "en", n=1) == "※ 1 more check runs at grading (not disclosed in the self-check)."
    assert t("terminal.hidden", "en", n=2).startswith("※ 2 more checks run")
    assert t("terminal.hidden", n=1) == t("terminal.hidden", n=1, lang="ko")
    with pytest.raises(KeyError, match="'no.such.key'.*grader/i18n.py"):
        t("no.such.key")
    with pytest.raises(ValueError, match="lang='de'"):
        with use_lang("de"):
            pass
    with pytest.raises(ValueError, match="lang='de'"):
        t("status.fail", "de")


def test_numbers_keep_their_formatting() -> None:
    assert t("fault.timeout", seconds=3.0) == "3초 안에 답하지 않았습니다 (무한 루프이거나 너무 느린 코드)"
    assert t("fault.timeout", "en", seconds=2.5) == "did not answer within 2.5 s (an infinite loop or very slow code)"
    assert t("check.values", what="f(x)", n=2, index=(0, 1), expected=53.0, actual=1 / 3) == \
        "f(x)의 값이 2곳에서 다릅니다. 처음 다른 위치 (0, 1): 기대 53, 실제 0.333333."
