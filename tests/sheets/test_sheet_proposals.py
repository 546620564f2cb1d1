"""The proposals of written answers against our own judgement, and against a plain keyword match.

tests/fixtures/written_judged.toml holds answers of our own making (right in other words, wrong in
the rubric's words, negated, relations swapped, code) with our judgement of every item. The
proposal must agree with it far more often than a keyword match, which credits any answer using
the rubric's words.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from grader.rubric import load_rubric
from grader.sheets import match_concepts, strip_question
from grader.sheets.proposal import denied, flatten

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "written_judged.toml"


def _cases():
    rubric = load_rubric(None)
    questions = {q.id: q for q in rubric.questions}
    for case in tomllib.loads(FIXTURE.read_text("utf-8"))["answers"]:
        q = questions[case["question"]]
        items = {i.id: i for i in q.items}
        for iid, judged in case["judged"].items():
            yield case, q, items[iid], judged


def proposal(q, item, answer: str) -> float:
    text = strip_question(answer, q.title)
    return match_concepts(text, item.params.get("ko", []), item.params.get("en", []), model=item.description,
                          pairs=item.params.get("pairs", [])).fraction


def keyword(item, answer: str) -> float:
    flat = re.sub(r"\s+", " ", answer)
    pats = list(item.params.get("ko", [])) + list(item.params.get("en", []))
    return 1.0 if any(re.search(p, flat, re.I) for p in pats) else 0.0


def agreement() -> dict[str, tuple[int, int, int]]:
    """Per kind of answer: (items, proposal agreeing, keyword match agreeing)."""
    out: dict[str, list[int]] = {}
    for case, q, item, judged in _cases():
        row = out.setdefault(case["kind"], [0, 0, 0])
        row[0] += 1
        row[1] += (proposal(q, item, case["answer"]) >= 0.5) == bool(judged)
        row[2] += (keyword(item, case["answer"]) >= 0.5) == bool(judged)
    return {k: tuple(v) for k, v in out.items()}


def test_proposals_agree_with_our_judgement_far_more_often_than_a_keyword_match(capsys):
    rows = agreement()
    n = sum(r[0] for r in rows.values())
    ours = sum(r[1] for r in rows.values()) / n
    plain = sum(r[2] for r in rows.values()) / n
    with capsys.disabled():
        print(f"\nwritten proposals vs our judgement, {n} items: proposal {ours:.0%}, keyword match {plain:.0%}")
        for kind, (k, a, b) in sorted(rows.items()):
            print(f"  {kind:12} {k:3} items: proposal {a}/{k}, keyword {b}/{k}")
    assert n >= 40
    assert ours >= 0.9 and plain <= 0.6
    assert rows["right"][1] == rows["right"][0]  # no right answer loses a point it would have had


@pytest.mark.parametrize("text", ["패딩은 출력 크기와는 아무 상관이 없다", "GPU는 병렬 처리를 못하고", "AlexNet은 드롭아웃을 쓰지 않았다",
                                  "Padding is not related to the output size"])
def test_a_denied_phrase_is_denied(text):
    flat, _ = flatten(text)
    phrase = re.search(r"출력 크기|병렬|드롭아웃|output size", flat)
    assert denied(flat, phrase.start(), phrase.end())


@pytest.mark.parametrize("text", ["패딩이 없으면 크기가 줄어든다", "출력 크기뿐만 아니라 경계 정보도 지킨다",
                                  "병렬로 처리할 수 있어 빠르다", "not only the output size but the border too"])
def test_conditions_and_not_only_deny_nothing(text):
    flat, _ = flatten(text)
    phrase = re.search(r"크기|병렬|output size", flat)
    assert not denied(flat, phrase.start(), phrase.end())


def test_a_phrase_inside_code_or_an_identifier_is_not_evidence():
    assert match_concepts("self.conv_param = {}", ["Conv"]).fraction == 0
    out = match_concepts("```python\nx = Pooling(2)\n```", [], ["pooling"])
    assert out.fraction == 0 and out.review and out.against
    assert match_concepts("input_dim : 입력 데이터의 형상", ["input_dim.{0,30}(입력|형상)"]).passed  # named by the rubric


def test_swapped_subjects_are_doubtful_and_right_ones_pass():
    pairs = [["LeNet", "시그모이드|sigmoid"], ["현재|today", "ReLU"]]
    bad = match_concepts("LeNet은 ReLU를 썼고 현재 CNN은 시그모이드를 쓴다", ["시그모이드"], pairs=pairs)
    assert bad.fraction == 0 and bad.review and "LeNet" in bad.message
    good = match_concepts("LeNet은 시그모이드를 쓰는 데 반해, 현재는 ReLU를 쓴다.", ["시그모이드"], pairs=pairs)
    assert good.passed and not good.review
