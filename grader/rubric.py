"""The rubric: data the instructor edits (the assignment's `rubric.toml`), validated when loaded.

Every error names the file, the question, the item, the value and the fix.
"""

from __future__ import annotations

import math
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .i18n import t

IN_KIT = (Path(__file__).resolve().parent / "data" / "kit").exists()  # written by `grade kit`: a student's grader
KINDS = ("code", "numeric", "written", "drawing")
CONCEPT_CHECK = "written.concept"
# An item's own fields; any other key is a parameter of its check (`expected`, `ko`, …).
_ITEM_FIELDS = ("id", "check", "points", "description", "hint", "hidden", "description_en", "hint_en",
                "explanation", "explanation_en")


def default_path() -> Path:
    """The assignment's own rubric (in the student kit: its public copy, without an answer key)."""
    from .assignment import current

    return current().rubric


def __getattr__(name: str) -> Any:
    if name == "DEFAULT_RUBRIC":  # the rubric of the assignment chosen when it is asked for
        return default_path()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class RubricError(Exception):
    """A rubric that cannot be used, with a message saying where and how to fix it."""


@dataclass(frozen=True)
class Item:
    id: str
    check: str
    points: float
    description: str = ""
    hint: str = ""
    hidden: bool = False
    params: dict[str, Any] = field(default_factory=dict)
    description_en: str = ""  # optional English versions, shown in an English run (`--lang en`)
    hint_en: str = ""
    explanation: str = ""  # the worked answer: shown on the TA's cards only, never in the kit or a self-check
    explanation_en: str = ""

    def get(self, key: str, default: Any = None) -> Any:
        return self.params.get(key, default)


@dataclass(frozen=True)
class Question:
    id: str
    title: str
    kind: str
    points: float
    items: tuple[Item, ...] = ()
    title_en: str = ""  # optional English title, shown in an English run (`--lang en`)
    # A code question says what it grades: the name (a class or a function) the student defines, the
    # methods of it the question asks for (the card shows those), and whether it is a network question
    # (graded on the reference's layers, so that a bug in a layer costs in the layer's question only).
    grades: str = ""
    methods: tuple[str, ...] = ()
    network: bool = False


@dataclass(frozen=True)
class Rubric:
    id: str
    title: str
    max_points: float
    questions: tuple[Question, ...]
    path: str = ""
    public: bool = False  # the student kit's rubric: no concepts, keywords or expected values (self-check only)

    def question(self, qid: str) -> Question:
        return next(q for q in self.questions if q.id == qid)

    @property
    def ids(self) -> tuple[str, ...]:
        """The question numbers, in the assignment's order: the headings an answer sheet is read by."""
        return tuple(q.id for q in self.questions)

    def code_questions(self) -> dict[str, tuple[str, tuple[str, ...]]]:
        """question id → (the name it grades, the methods it asks for), for every code question."""
        return {q.id: (q.grades, q.methods) for q in self.questions if q.kind == "code"}

    def network_questions(self) -> tuple[str, ...]:
        return tuple(q.id for q in self.questions if q.kind == "code" and q.network)

    def layer_questions(self) -> dict[str, str]:
        """question id → graded name, for the code questions that are not network questions."""
        return {q.id: q.grades for q in self.questions if q.kind == "code" and not q.network}

    def items(self) -> list[tuple[Question, Item]]:
        return [(q, i) for q in self.questions for i in q.items]


def load_rubric(path: Path | str | None = None, *, known_checks: set[str] | None = None) -> Rubric:
    """Read and validate a rubric. `known_checks` defaults to every registered check. The assignment's
    own rubric is read once per change of its file (`default_rubric`)."""
    default = default_path()
    path = Path(path) if path else default
    if known_checks is None and _same(path, default):
        return default_rubric()
    return _load(path, default, known_checks)


def _load(path: Path, default: Path, known_checks: set[str] | None) -> Rubric:
    where = str(path)
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        raise RubricError(t("rubric.not_found", where=where)) from None
    except IsADirectoryError:
        raise RubricError(t("rubric.is_folder", where=where, example=_shown(default))) from None
    except OSError as exc:
        raise RubricError(t("rubric.unreadable", where=where, error=exc.strerror or exc)) from None
    except tomllib.TOMLDecodeError as exc:
        raise RubricError(t("rubric.toml", where=where, error=exc)) from None
    except UnicodeDecodeError:
        raise RubricError(t("rubric.encoding", where=where)) from None
    required = None if _same(path, default) else default_ids()
    if known_checks is not None:
        return parse_rubric(data, where, known_checks, required=required)
    from .checks import registry
    from .depends import validate

    checks = registry()
    rubric = parse_rubric(data, where, set(checks), required=required)
    validate(rubric, checks)  # what the items' checks wait for is in the rubric
    if not rubric.public:
        from .audience import validate_audiences

        validate_audiences(rubric, checks)  # no solution line or expected value where a student reads
    return rubric


def _shown(path: Path) -> str:
    """A path as a TA would type it here: relative to the working folder where it is inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(path)


def _same(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


_DEFAULT: dict[tuple[str, int], Rubric] = {}


def default_rubric() -> Rubric:
    """The assignment's own rubric, loaded once per change of the file: the questions of the assignment."""
    default = default_path()
    try:
        stamp = default.stat().st_mtime_ns
    except OSError:
        stamp = 0
    key = (str(default), stamp)
    if key not in _DEFAULT:
        rubric = _load(default, default, None)  # an error is raised, never kept
        _DEFAULT.clear()
        _DEFAULT[key] = rubric
    return _DEFAULT[key]


def default_ids() -> tuple[str, ...]:
    """The question numbers of the assignment (its own rubric's), in order."""
    return default_rubric().ids


def parse_rubric(data: dict[str, Any], where: str, known_checks: set[str], *,
                 required: tuple[str, ...] | None = None) -> Rubric:
    """`required`: question ids the rubric must have (the assignment's own rubric's, for a rubric an
    instructor wrote in its place: a question left out by mistake is an error, a new one is welcome)."""
    head = data.get("assignment") or {}
    if not isinstance(head, dict):
        raise RubricError(t("rubric.not_table", where=f"{where}: assignment", value=head, example="[assignment]"))
    public = head.get("public", False) is True
    questions = []
    seen: set[str] = set()
    raw_questions = data.get("questions")
    if not isinstance(raw_questions, list) or not raw_questions:
        raise RubricError(t("rubric.no_questions", where=where))
    for n, raw in enumerate(raw_questions, 1):
        if not isinstance(raw, dict):
            raise RubricError(t("rubric.not_table", where=f"{where}: questions #{n}", value=raw,
                                example="[[questions]]"))
        qid = str(raw.get("id", ""))
        at = f"{where}: question {qid or f'#{n}'}"
        if not qid:
            raise RubricError(t("rubric.question_no_id", at=at))
        if qid in seen:
            raise RubricError(t("rubric.question_twice", at=at))
        seen.add(qid)
        kind = raw.get("kind")
        if kind not in KINDS:
            raise RubricError(t("rubric.kind", at=at, kind=kind, kinds=", ".join(KINDS)))
        points = _number(raw.get("points"), f"{at}: points")
        if points < 0:
            raise RubricError(t("rubric.negative", here=at, points=points))
        raw_items = raw.get("items", [])
        if not isinstance(raw_items, list) or not all(isinstance(i, dict) for i in raw_items):
            raise RubricError(t("rubric.items_not_tables", at=at, value=raw_items))
        items = tuple(_item(i, raw_item, qid, kind, at, known_checks, public) for i, raw_item in enumerate(raw_items, 1))
        if items and not math.isclose(sum(i.points for i in items), points, abs_tol=1e-9):
            listed = " + ".join(f"{i.points:g}" for i in items)
            raise RubricError(t("rubric.points_sum", at=at, points=points, listed=listed,
                                total=sum(i.points for i in items)))
        if not items and kind != "drawing":
            raise RubricError(t("rubric.no_items", at=at))
        title = raw.get("title", qid)
        if not isinstance(title, str):
            raise RubricError(t("rubric.not_text", where=f"{at}: title", value=title, field="title"))
        grades, methods, network = _code_fields(raw, kind, at)
        questions.append(Question(qid, title, kind, points, items, _text(raw, "title_en", f"{at}: title_en"),
                                  grades, methods, network))
    if required is not None:
        missing = [q for q in required if q not in seen]
        if missing:
            raise RubricError(t("rubric.missing_questions", where=where, ids=", ".join(missing)))
    ids = [i.id for q in questions for i in q.items]
    dup = sorted({i for i in ids if ids.count(i) > 1})
    if dup:
        raise RubricError(t("rubric.duplicate_items", where=where, ids=", ".join(dup)))
    total = sum(q.points for q in questions)
    max_points = _number(head.get("max_points", total), f"{where}: [assignment] max_points")
    if max_points <= 0:
        raise RubricError(t("rubric.max_points_positive", where=where, max_points=max_points))
    if not math.isclose(total, max_points, abs_tol=1e-9):
        raise RubricError(t("rubric.max_points", where=where, max_points=max_points, total=total))
    return Rubric(str(head.get("id", "assignment5")), str(head.get("title", "")), max_points, tuple(questions), where,
                  public)


def _item(n: int, raw: dict[str, Any], qid: str, kind: str, at: str, known_checks: set[str], public: bool) -> Item:
    iid = str(raw.get("id", ""))
    here = f"{at}, item {iid or f'#{n}'}"
    if not iid:
        raise RubricError(t("rubric.item_no_id", here=here))
    check = str(raw.get("check") or (CONCEPT_CHECK if kind in ("written", "drawing") else iid))
    if check not in known_checks:
        near = sorted(c for c in known_checks if c.split(".")[0] == check.split(".")[0])
        hint = t("rubric.similar_checks", checks=", ".join(near)) if near else t("rubric.see_checks")
        raise RubricError(t("rubric.unknown_check", here=here, check=check, hint=hint))
    points = _number(raw.get("points"), f"{here}: points")
    if points < 0:
        raise RubricError(t("rubric.negative", here=here, points=points))
    params = {k: v for k, v in raw.items() if k not in _ITEM_FIELDS}
    _check_params(check, params, here, required=not public)  # the kit's rubric holds no answer key
    if public and check == CONCEPT_CHECK:
        pass  # the kit's rubric: written answers are the TA's to grade, it holds no concept to match
    elif check == CONCEPT_CHECK:
        patterns = list(params.get("ko", [])) + list(params.get("en", []))
        if not patterns:
            raise RubricError(t("rubric.no_patterns", here=here))
        for p in patterns:
            try:
                re.compile(p)
            except re.error as exc:
                raise RubricError(t("rubric.bad_regex", here=here, pattern=p, error=exc)) from None
    hidden = raw.get("hidden", False)
    if not isinstance(hidden, bool):
        raise RubricError(t("rubric.param_type", here=here, key="hidden", value=hidden, kind=t("rubric.type.bool"),
                            example="hidden = true"))
    return Item(iid, check, points, _text(raw, "description", f"{here}: description"), _text(raw, "hint", f"{here}: hint"),
                hidden, params, _text(raw, "description_en", f"{here}: description_en"),
                _text(raw, "hint_en", f"{here}: hint_en"), _text(raw, "explanation", f"{here}: explanation"),
                _text(raw, "explanation_en", f"{here}: explanation_en"))


# The type of each parameter a check reads from its rubric item, with an example of the right form.
# (kind: "patterns" a list of regular expressions; "numbers" a non-empty list of numbers; "number";
# "count" a whole number ≥ 0; "text" a non-empty string.) A parameter not listed is not checked here.
_PARAMS: dict[str, dict[str, tuple[str, bool, str]]] = {
    # (Examples of form only: the kit carries this file, and no example may be a piece of the answer key.)
    CONCEPT_CHECK: {"ko": ("patterns", False, 'ko = ["pattern", "another pattern"]'),
                    "en": ("patterns", False, 'en = ["a phrase", "another.{0,9}phrase"]')},
    "numeric.values": {"expected": ("numbers", True, "expected = [1, 2, 3]")},
    "numeric.working": {"expected": ("numbers", True, "expected = [1, 2, 3]")},
    "numeric.named": {"name": ("text", True, 'name = "N"'), "expected": ("number", True, "expected = 1"),
                      "index": ("count", False, "index = 1")},
    "numeric.shape_meaning": {k: ("count", True, f"{k} = 1") for k in ("count", "channels", "height", "width")},
}


def _check_params(check: str, params: dict[str, Any], here: str, *, required: bool = True) -> None:
    """Each parameter of the item has the type its check reads (a string of keywords is not a list of them);
    `required=False` (the kit's public rubric, without an answer key): only the parameters present."""
    for key, (kind, needed, example) in _PARAMS.get(check, {}).items():
        if key not in params:
            if needed and required:
                raise RubricError(t("rubric.param_missing", here=here, key=key, example=example))
            continue
        value = params[key]
        if not _is_kind(value, kind):
            raise RubricError(t("rubric.param_type", here=here, key=key, value=value, kind=t(f"rubric.type.{kind}"),
                                example=example))


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def _is_kind(value: Any, kind: str) -> bool:
    if kind == "patterns":
        return isinstance(value, list) and all(isinstance(p, str) and p for p in value)
    if kind == "numbers":
        return isinstance(value, list) and bool(value) and all(_is_number(v) for v in value)
    if kind == "number":
        return _is_number(value)
    if kind == "count":
        return isinstance(value, int) and not isinstance(value, bool) and value >= 0
    return isinstance(value, str) and bool(value.strip())


def _number(value: Any, where: str) -> float:
    if not _is_number(value):
        raise RubricError(t("rubric.not_number", where=where, value=value))
    return float(value)


_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


def _code_fields(raw: dict[str, Any], kind: str, at: str) -> tuple[str, tuple[str, ...], bool]:
    """A code question's `grades`, `methods` and `network`; other kinds have none of them."""
    present = [k for k in ("grades", "methods", "network") if k in raw]
    if kind != "code":
        if present:
            raise RubricError(t("rubric.code_only", at=at, key=present[0], kind=kind))
        return "", (), False
    grades = raw.get("grades")
    if not isinstance(grades, str) or not _NAME.match(grades):
        raise RubricError(t("rubric.grades", at=at, value=grades))
    methods = raw.get("methods", [])
    if not isinstance(methods, list) or not all(isinstance(m, str) and _NAME.match(m) for m in methods):
        raise RubricError(t("rubric.methods", at=at, value=methods))
    network = raw.get("network", False)
    if not isinstance(network, bool):
        raise RubricError(t("rubric.param_type", here=at, key="network", value=network, kind=t("rubric.type.bool"),
                            example="network = true"))
    return grades, tuple(methods), network


def _text(raw: dict[str, Any], key: str, where: str) -> str:
    """An optional text field (the English `title_en`, `description_en`, `hint_en`): a string or absent."""
    value = raw.get(key, "")
    if not isinstance(value, str):
        raise RubricError(t("rubric.not_text", where=where, value=value, field=key))
    return value
