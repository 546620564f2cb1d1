"""Two audiences of the rubric: what a student may read before grading, and what only the TA's card shows.

A student reads, before the deadline (in the kit, in `grade check`): the questions' titles (the
assignment's own words), and for code items a `description` in general words and a `hint` that
guides without giving the solution. Only the TA's cards show, after grading: `explanation` (the
worked answer), the concepts and keywords of written answers, the expected values of numeric ones.

Here: the rule checked at load (no hint, and no code item's description, holds a line of the
reference solution or one of its item's expected values), the public rubric written into the kit,
and the scan that proves a text holds none of the answer key (`leaks`).
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from typing import Any, Iterable

from .i18n import t
from .rubric import Item, Rubric, RubricError

RUN = 8  # tokens in a row shared with a line of the solution make a leak (shorter lines: the whole line) …
SPECIFIC = 2  # … if they name at least this many things of the solution, not numpy's, Python's or the interface's
GENERIC = frozenset(
    "np numpy self reshape transpose dot sum max min mean argmax axis shape T zeros ones copy range len int float "
    "ndim size astype flatten ravel return for in if else None True False".split())
WHOLE = 10  # in program text (the kit's own code), a whole line of the solution of at least this many tokens
_TOKEN = re.compile(r"'[^'\n]*'|\"[^\"\n]*\"|[A-Za-z_]\w*|\d+(?:\.\d+)?|[^\sA-Za-z_\d]")


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def answer_lines() -> tuple[tuple[str, ...], ...]:
    """The statements of the current assignment's reference answers (see `_answer_lines`)."""
    from .assignment import current

    return _answer_lines(current().name)


@lru_cache(maxsize=4)
def _answer_lines(name: str) -> tuple[tuple[str, ...], ...]:
    """The statements of the reference's answers (the classes of `Assignment.answer_files`), as token
    tuples: lines long enough to say something of the solution."""
    import ast

    from .assignment import current

    folder = current().reference.folder
    if folder is None:
        return ()
    sources: list[str] = []
    for file, names in current().answer_files.items():
        text = (folder / file).read_text("utf-8")
        tree = ast.parse(text)
        sources.extend(ast.get_source_segment(text, n) or "" for n in tree.body
                       if isinstance(n, ast.ClassDef) and n.name in names)
    lines: set[tuple[str, ...]] = set()
    for source in sources:
        for raw in source.splitlines():
            line = raw.split("#", 1)[0].strip().rstrip("\\").strip()
            if not line or line.startswith(("def ", "class ", "import ", "from ", '"', "'", "return x")):
                continue
            toks = tuple(tokens(line))
            if len(toks) >= 6:
                lines.add(toks)
    return tuple(sorted(lines))


def code_leaks(text: str, *, whole: bool = False) -> list[str]:
    """Fragments of `text` that are lines of the solution: RUN tokens in a row naming SPECIFIC of its
    things (or a whole short line); with `whole`, only complete long lines (for program text)."""
    from .assignment import current

    generic = _generic(current().interface)  # numpy's, Python's and the assignment's interface words
    found = []
    have = tokens(text)
    present = set(have)
    joined = "\x00".join(have)
    for line in answer_lines():
        if (whole and len(line) < WHOLE) or _count(line, generic) < SPECIFIC:
            continue
        n = len(line) if whole else min(RUN, len(line))
        for i in range(len(line) - n + 1):
            run = line[i:i + n]
            # cheapest first: its ends in the text, the run in the text, then what it names
            if (run[0] in present and run[-1] in present and "\x00".join(run) in joined
                    and _count(run, generic) >= SPECIFIC and _aligned(have, run)):
                found.append(" ".join(run))
                break
    return found


@lru_cache(maxsize=65536)
def _count(run: tuple[str, ...], generic: frozenset[str]) -> int:
    """How many names of the solution (its variables, its classes) a run of tokens holds."""
    return len({tok for tok in run if (tok[0].isalpha() or tok[0] in "_'\"") and len(tok) > 1 and tok not in generic})


@lru_cache(maxsize=4)
def _generic(interface: tuple[str, ...]) -> frozenset[str]:
    """numpy's and Python's words, and the assignment's interface: no piece of a solution."""
    return GENERIC | frozenset(interface)


def _aligned(have: list[str], run: tuple[str, ...]) -> bool:
    n = len(run)
    return any(tuple(have[j:j + n]) == run for j in range(len(have) - n + 1))


def answer_values(item: Item, answers: tuple[str, ...]) -> list[str]:
    """The numbers an item's answer params hold (`expected = [19, 24]`, `count = 105`), as written."""
    out: list[str] = []
    for key in answers:
        value = item.params.get(key)
        for v in value if isinstance(value, list) else [value]:
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                out.append(f"{v:g}")
    return out


def value_leaks(text: str, values: Iterable[str]) -> list[str]:
    return [v for v in values if re.search(rf"(?<![\d.]){re.escape(v)}(?![\d.])", text)]


def validate_audiences(rubric: Rubric, checks: dict[str, Any]) -> None:
    """No hint, and no code item's description, gives away a line of the solution or an expected value."""
    for q, item in rubric.items():
        spec = checks[item.check]
        values = answer_values(item, spec.answers)
        fields = [("hint", item.hint), ("hint_en", item.hint_en)]
        if q.kind == "code":
            fields += [("description", item.description), ("description_en", item.description_en)]
        for name, text in fields:
            if not text:
                continue
            leak = code_leaks(text) or value_leaks(text, values)
            if leak:
                raise RubricError(t("rubric.audience_leak", where=rubric.path, question=q.id, item=item.id,
                                    field=name, leak=leak[0]))


def public_rubric(rubric: Rubric, checks: dict[str, Any]) -> str:
    """The kit's rubric: questions with their titles and points, code items with their descriptions and
    hints; for written, numeric and drawing items only what the self-check needs to say an answer was
    found (the TA grades them). Hidden items are left out, their points taken off."""
    out = ["# The student kit's rubric, written by `grade kit`: what the self-check needs, and no answer key.",
           "", "[assignment]", f"id = {_s(rubric.id)}", f"title = {_s(rubric.title)}"]
    visible = [(q, [i for i in q.items if not i.hidden]) for q in rubric.questions]
    total = sum(sum(i.points for i in items) if items else q.points for q, items in visible)
    out += [f"max_points = {total:g}", "public = true", ""]
    for q, items in visible:
        points = sum(i.points for i in items) if items else q.points
        out += ["[[questions]]", f"id = {_s(q.id)}", f"title = {_s(q.title)}", f"kind = {_s(q.kind)}",
                f"points = {points:g}"]
        if q.title_en:
            out.append(f"title_en = {_s(q.title_en)}")
        if q.kind == "code":  # what the question grades: a name, not an answer
            out.append(f"grades = {_s(q.grades)}")
            if q.methods:
                out.append(f"methods = {_value(list(q.methods))}")
            if q.network:
                out.append("network = true")
        out.append("")
        for item in items:
            out += ["  [[questions.items]]", f"  id = {_s(item.id)}", f"  check = {_s(item.check)}",
                    f"  points = {item.points:g}"]
            if q.kind == "code":
                for key in ("description", "description_en", "hint", "hint_en"):
                    if getattr(item, key):
                        out.append(f"  {key} = {_s(getattr(item, key))}")
                spec = checks[item.check]
                out += [f"  {key} = {_value(item.params[key])}" for key in spec.params
                        if key in item.params and key not in spec.answers]
            out.append("")
    return "\n".join(out)


def _s(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a TOML basic string


def _value(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def student_texts(rubric: Rubric) -> tuple[str, ...]:
    """Everything the self-check may print that is not the student's: the questions' titles, the code
    items' descriptions and hints, the fixed words of the self-check's messages. Pasted into an
    answer, none of it is the student's answer (`strip_copied`)."""
    key = (rubric.path, id(rubric))
    if key not in _TEXTS:
        from .i18n import CATALOGUE, assignment_catalogue

        titles = [q.title for q in rubric.questions] + [q.title_en for q in rubric.questions if q.title_en]
        texts = set(titles)
        for title in titles:  # a title cut short where a line ends ("… 구현하라. 합성곱 계층은 Conv…")
            words = title.split()
            texts |= {" ".join(words[:n]) for n in range(3, len(words))}
        for q, item in rubric.items():
            if q.kind == "code":
                texts |= {item.description, item.description_en, item.hint, item.hint_en}
        for messages in [*CATALOGUE.values(), *assignment_catalogue().values()]:
            for k, template in messages.items():
                if k.split(".")[0] in ("terminal", "form", "check", "note", "fault", "ce"):
                    texts |= {part for part in re.split(r"\{[^}]*\}", template)}
        sentences = {part.strip() for x in texts for part in re.split(r"(?<=[.!?:;])\s+|\s+[—–]\s+|\n", x)}
        _TEXTS[key] = tuple(sorted((x for x in texts | sentences if len(x.strip()) >= 12), key=len, reverse=True))
    return _TEXTS[key]


_TEXTS: dict[tuple[str, int], tuple[str, ...]] = {}


def strip_copied(text: str, texts: Iterable[str]) -> str:
    """`text` without the lines that hold any of `texts` (whatever the spacing): lines copied from the
    grader's own output — its messages, counterexamples, the questions — earn nothing, as a copied
    question earns nothing."""
    pieces = _squeezed(tuple(texts))
    if not pieces:
        return text
    kept = []
    for line in text.split("\n"):
        flat = _squeeze(line)
        if flat and not _labelled().match(line) and not any(p in flat for p in pieces):
            kept.append(line)
        elif not flat:
            kept.append(line)
    return "\n".join(kept)


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@lru_cache(maxsize=8)
def _squeezed(texts: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(p for p in (_squeeze(x) for x in texts) if p)


@lru_cache(maxsize=1)
def _labelled() -> re.Pattern[str]:
    """A line the self-check starts with one of its labels (a counterexample, a hint, a note)."""
    from .i18n import CATALOGUE

    labels = {re.split(r"\{", CATALOGUE[lang][key])[0].strip().rstrip(":：").strip()
              for lang in CATALOGUE for key in LABELS if key in CATALOGUE[lang]}
    return re.compile(r"^\s*(?:[✓✗△·⋯–?]\s*)?(?:" + "|".join(re.escape(x) for x in labels if x) + r")\s*[:：]")


LABELS = ("terminal.smallest_input", "ce.expected", "ce.actual", "terminal.hint", "terminal.note", "terminal.problem")

