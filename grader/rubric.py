"""The rubric: data the instructor edits (`rubrics/assignment5.toml`), validated when loaded.

Every error names the file, the question, the item, the value and the fix.
"""

from __future__ import annotations

import math
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

_PROJECT_RUBRIC = Path(__file__).resolve().parent.parent / "rubrics" / "assignment5.toml"
_KIT_RUBRIC = Path(__file__).resolve().parent / "data" / "assignment5.toml"  # the student kit's copy
DEFAULT_RUBRIC = _PROJECT_RUBRIC if _PROJECT_RUBRIC.exists() else _KIT_RUBRIC
KINDS = ("code", "numeric", "written", "drawing")
# The questions of the assignment, in its order: a rubric must name each of them.
ASSIGNMENT_QUESTIONS = (
    "7.1.1", "7.2.1.1", "7.2.2.1", "7.2.3.1", "7.2.4", "7.2.5", "7.2.6.1", "7.2.7.1", "7.3.1.1", "7.3.1.2",
    "7.4.1.1", "7.4.2.1", "7.4.2.2", "7.4.3.1", "7.4.3.2", "7.4.4.1", "7.5.1.1", "7.5.1.2", "7.5.1.3",
    "7.5.1.4", "7.5.1.5", "7.5.1.6", "7.6.1.1", "7.6.2.1", "7.7.1", "8.1.2.1", "8.1.3.1", "8.2.4", "8.3.1",
    "8.3.2", "8.4.1", "8.4.2", "8.4.3",
)
CONCEPT_CHECK = "written.concept"


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

    def get(self, key: str, default: Any = None) -> Any:
        return self.params.get(key, default)


@dataclass(frozen=True)
class Question:
    id: str
    title: str
    kind: str
    points: float
    items: tuple[Item, ...] = ()


@dataclass(frozen=True)
class Rubric:
    id: str
    title: str
    max_points: float
    questions: tuple[Question, ...]
    path: str = ""

    def question(self, qid: str) -> Question:
        return next(q for q in self.questions if q.id == qid)

    def items(self) -> list[tuple[Question, Item]]:
        return [(q, i) for q in self.questions for i in q.items]


def load_rubric(path: Path | str | None = None, *, known_checks: set[str] | None = None) -> Rubric:
    """Read and validate a rubric. `known_checks` defaults to every registered check."""
    path = Path(path) if path else DEFAULT_RUBRIC
    where = str(path)
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        raise RubricError(f"{where}: 채점 기준 파일이 없습니다 (rubric not found). --rubric 경로를 확인하세요.") from None
    except tomllib.TOMLDecodeError as exc:
        raise RubricError(f"{where}: TOML 문법 오류 — {exc}. 해당 줄을 고치세요.") from None
    except UnicodeDecodeError:
        raise RubricError(f"{where}: UTF-8로 저장되어 있지 않습니다. UTF-8로 다시 저장하세요.") from None
    if known_checks is None:
        from .checks import registry

        known_checks = set(registry())
    return parse_rubric(data, where, known_checks)


def parse_rubric(data: dict[str, Any], where: str, known_checks: set[str]) -> Rubric:
    head = data.get("assignment") or {}
    questions = []
    seen: set[str] = set()
    raw_questions = data.get("questions")
    if not isinstance(raw_questions, list) or not raw_questions:
        raise RubricError(f"{where}: [[questions]]가 없습니다. 문항마다 [[questions]] 표를 쓰세요.")
    for n, raw in enumerate(raw_questions, 1):
        qid = str(raw.get("id", ""))
        at = f"{where}: question {qid or f'#{n}'}"
        if not qid:
            raise RubricError(f"{at}: id가 없습니다. id = \"7.4.3.2\"처럼 문항 번호를 쓰세요.")
        if qid in seen:
            raise RubricError(f"{at}: 같은 문항 번호가 두 번 나옵니다. 하나를 지우거나 번호를 고치세요.")
        seen.add(qid)
        kind = raw.get("kind")
        if kind not in KINDS:
            raise RubricError(f"{at}: kind = {kind!r}는 알 수 없는 종류입니다. {', '.join(KINDS)} 중 하나를 쓰세요.")
        points = _number(raw.get("points"), f"{at}: points")
        items = tuple(_item(i, raw_item, qid, kind, at, known_checks) for i, raw_item in enumerate(raw.get("items", []), 1))
        if items and not math.isclose(sum(i.points for i in items), points, abs_tol=1e-9):
            listed = " + ".join(f"{i.points:g}" for i in items)
            raise RubricError(f"{at}: points = {points:g}인데 항목 점수의 합은 {listed} = {sum(i.points for i in items):g}입니다. "
                              "둘이 같아지도록 고치세요.")
        if not items and kind != "drawing":
            raise RubricError(f"{at}: 항목([[questions.items]])이 없습니다. 그림 문항(drawing)만 항목 없이 둘 수 있습니다.")
        questions.append(Question(qid, str(raw.get("title", qid)), kind, points, items))
    missing = [q for q in ASSIGNMENT_QUESTIONS if q not in seen]
    if missing:
        raise RubricError(f"{where}: 과제의 문항 {', '.join(missing)}이(가) 채점 기준에 없습니다. [[questions]]로 추가하세요.")
    unknown = [q for q in seen if q not in ASSIGNMENT_QUESTIONS]
    if unknown:
        raise RubricError(f"{where}: 문항 {', '.join(sorted(unknown))}은(는) 과제에 없는 번호입니다. 번호를 고치세요.")
    ids = [i.id for q in questions for i in q.items]
    dup = sorted({i for i in ids if ids.count(i) > 1})
    if dup:
        raise RubricError(f"{where}: 항목 id {', '.join(dup)}가 여러 번 쓰였습니다. 항목 id는 서로 달라야 합니다.")
    total = sum(q.points for q in questions)
    max_points = _number(head.get("max_points", total), f"{where}: [assignment] max_points")
    if not math.isclose(total, max_points, abs_tol=1e-9):
        raise RubricError(f"{where}: [assignment] max_points = {max_points:g}인데 문항 점수의 합은 {total:g}입니다. "
                          "max_points나 문항 점수를 고치세요.")
    return Rubric(str(head.get("id", "assignment5")), str(head.get("title", "")), max_points, tuple(questions), where)


def _item(n: int, raw: dict[str, Any], qid: str, kind: str, at: str, known_checks: set[str]) -> Item:
    iid = str(raw.get("id", ""))
    here = f"{at}, item {iid or f'#{n}'}"
    if not iid:
        raise RubricError(f"{here}: id가 없습니다.")
    check = str(raw.get("check") or (CONCEPT_CHECK if kind in ("written", "drawing") else iid))
    if check not in known_checks:
        near = sorted(c for c in known_checks if c.split(".")[0] == check.split(".")[0])
        hint = f" 비슷한 검사: {', '.join(near)}." if near else " `grade checks`로 검사 목록을 보세요."
        raise RubricError(f"{here}: check = {check!r}는 채점기가 모르는 검사입니다.{hint}")
    points = _number(raw.get("points"), f"{here}: points")
    if points < 0:
        raise RubricError(f"{here}: points = {points:g}는 음수입니다. 0 이상이어야 합니다.")
    params = {k: v for k, v in raw.items() if k not in ("id", "check", "points", "description", "hint", "hidden")}
    if check == CONCEPT_CHECK:
        patterns = list(params.get("ko", [])) + list(params.get("en", []))
        if not patterns:
            raise RubricError(f"{here}: 서술형 개념 항목에 ko 또는 en 표현 목록이 없습니다. ko = [\"…\"]를 추가하세요.")
        for p in patterns:
            try:
                re.compile(p)
            except re.error as exc:
                raise RubricError(f"{here}: 정규식 {p!r}이(가) 잘못되었습니다 ({exc}). 괄호와 역슬래시(\\\\)를 확인하세요.") from None
    return Item(iid, check, points, str(raw.get("description", "")), str(raw.get("hint", "")),
                bool(raw.get("hidden", False)), params)


def _number(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise RubricError(f"{where} = {value!r}는 숫자가 아닙니다. points = 2처럼 숫자를 쓰세요.")
    return float(value)
