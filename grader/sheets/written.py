"""Written questions: is a rubric concept in the answer, and where (the evidence a TA reviews).

A concept item lists Korean and English regular expressions (a plain phrase is one); any match is
evidence. Matching ignores case, line breaks and Markdown emphasis. The question's own words are
removed first (`strip_question`), so copying the question earns nothing. The rubric's patterns
are compiled once at load (`compile_patterns`), where a broken one is an error naming it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..i18n import t
from ..model import Outcome

_CONTEXT = 18
_MAX_EVIDENCE = 3
_PUNCT = "()[]\"'“”‘’"
PatternLike = str | re.Pattern[str]


def compile_patterns(patterns: Iterable[PatternLike]) -> list[re.Pattern[str]]:
    """Compile rubric patterns (case-insensitive); a bad one is a ValueError that names it."""
    if isinstance(patterns, str):
        raise ValueError(f"patterns={patterns!r} is one string; write a list: [{patterns!r}]")
    compiled = []
    for p in patterns:
        if isinstance(p, re.Pattern):
            compiled.append(p)
            continue
        if not isinstance(p, str):
            raise ValueError(f"pattern {p!r} is not a string; write each phrase in quotes, e.g. \"채널\\\\s*수\"")
        if not p.strip():
            raise ValueError("pattern '' is empty and would match every answer; remove it")
        try:
            compiled.append(re.compile(p, re.IGNORECASE))
        except re.error as err:
            raise ValueError(
                f"pattern {p!r} is not a valid regular expression ({err.msg} at position {err.pos}); "
                "to match ( ) [ ] . * + ? | literally, put a backslash before them (in TOML: \"\\\\(\")"
            ) from err
    return compiled


def match_concepts(text: str, patterns_ko: Iterable[PatternLike],
                   patterns_en: Iterable[PatternLike] = (), *, model: str = "",
                   pairs: Iterable[Iterable[str]] = ()) -> Outcome:
    """1.0 when a pattern matches `text` as the rubric means it (evidence: the snippets in context), else 0.0.

    A keyword is evidence, not a verdict (see `grader.sheets.proposal`): a match inside code, or
    denied where the rubric's own wording (`model`, the item's description) affirms it, does not
    count; it is kept as counter-evidence and the item goes to review. `pairs` ([subject, term]
    patterns) give the relation an item states ("LeNet → sigmoid, today → ReLU"): terms attached
    to the wrong subject make the answer doubtful and its proposal 0.
    """
    from . import proposal

    patterns = compile_patterns(patterns_ko) + compile_patterns(patterns_en)
    flat, code = proposal.flatten(text)
    spans: list[tuple[int, int]] = []
    against: list[tuple[int, int, str]] = []
    for pattern in patterns:
        for m in pattern.finditer(flat):
            if m.end() <= m.start() or any(s < m.end() and m.start() < e for s, e in spans):
                continue
            why = proposal.objection(flat, code, m.start(), m.end(), pattern, model)
            if why:
                if not any(s < m.end() and m.start() < e for s, e, _ in against):
                    against.append((m.start(), m.end(), why))
            else:
                spans.append((m.start(), m.end()))
    against = [a for a in against if not any(s < a[1] and a[0] < e for s, e in spans)]
    counter = [_snippet(flat, s, e) for s, e, _ in sorted(against)[:_MAX_EVIDENCE]]
    if not spans:
        if against:
            s, e, why = sorted(against)[0]
            return Outcome(0.0, t(f"written.{why}", phrase=flat[s:e]), review=True, against=counter)
        return Outcome(0.0, t("written.none"))
    spans.sort()
    evidence = [_snippet(flat, s, e) for s, e in spans[:_MAX_EVIDENCE]]
    phrases = ", ".join(f"‘{flat[s:e]}’" for s, e in spans[:_MAX_EVIDENCE])
    pairs = [list(p) for p in pairs]
    if pairs:
        swapped = proposal.swapped(flat, pairs)
        if swapped:
            return Outcome(0.0, t("written.swapped", phrases=swapped), review=True, against=evidence)
    return Outcome(1.0, t("written.found", phrases=phrases), evidence=evidence, against=counter)


def strip_question(text: str, title: str) -> str:
    """`text` without the question's own words (the rubric `title`, whole or in pieces).

    The title is looked for as a run of its words (any spacing, the brackets, quotes and periods
    around a word aside): first a run of at least four words, then the rest of the title in runs of
    at least three words near it (a sheet that breaks the question over lines or lists its steps
    differently). Runs are found in the text with its spacing and those marks squeezed out, by plain
    string search: no pattern to compile per run.
    """
    words = [w for w in (_squeeze(w) for w in title.split()) if w]
    if not words:
        return text
    out, pos, i, first = text, 0, 0, True
    while i < len(words):
        squeezed, where = _squeezed(out)
        from_ = next((k for k, p in enumerate(where) if p >= pos), len(where))
        least = min(len(words) - i, 4 if first else 3)
        hit = None
        for j in range(len(words), i + least - 1, -1):
            k = squeezed.find("".join(words[i:j]), from_)
            if k != -1 and (first or where[k] - pos <= 200):
                last = k + len("".join(words[i:j])) - 1
                hit = (_before_marks(out, where[k]), _after_marks(out, where[last] + 1), j)
                break
        if hit is None:
            i += 1
            continue
        start, end, i = hit
        out = out[:start] + out[end:]
        pos, first = start, False
    return out


def _squeeze(word: str) -> str:
    return "".join(c for c in word if not (c.isspace() or c in _PUNCT or c == "."))


def _squeezed(text: str) -> tuple[str, list[int]]:
    """`text` without spaces, brackets, quotes and periods, and where each kept character was."""
    where = [i for i, c in enumerate(text) if not (c.isspace() or c in _PUNCT or c == ".")]
    return "".join(text[i] for i in where), where


def _before_marks(text: str, i: int) -> int:
    while i > 0 and text[i - 1] in _PUNCT:
        i -= 1
    return i


def _after_marks(text: str, i: int) -> int:
    while i < len(text) and (text[i] in _PUNCT or text[i] == "."):
        i += 1
    return i


def _snippet(flat: str, start: int, end: int) -> str:
    a, b = max(0, start - _CONTEXT), min(len(flat), end + _CONTEXT)
    return ("…" if a > 0 else "") + flat[a:b] + ("…" if b < len(flat) else "")
