"""A class of three students to render, and a small HTML tree to assert on the pages (stdlib only)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from grader.model import ClassResult, ItemResult, QuestionResult, StudentResult

HANGUL = re.compile(r"[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]")
SCRIPT = "<script>alert(1)</script>"
FAILING_ID = "박서연 (park)/../x"  # Hangul, a space, a slash and dots: the card needs a safe file name

CONV_CODE = """class Convolution:
    def forward(self, x):
        out = np.dot(col, col_W) + self.b  # "<script>alert(1)</script>"
        return out.reshape(N, out_h, out_w, -1).transpose(0, 3, 1, 2)
"""


def _x4() -> list:
    """A (1, 2, 3, 3) input: sample 0, two channels."""
    return [[[[float(3 * r + c + 9 * ch) for c in range(3)] for r in range(3)] for ch in range(2)]]


def conv_question(*, failed: bool, korean: bool = True) -> QuestionResult:
    expected = [[45.0, 53.0], [69.0, 77.0]]
    actual = [[45.0, 52.0], [69.0, 77.0]]
    values = ItemResult(
        "conv.forward.values", "values equal the definition" if not korean else "출력 값이 정의와 같다",
        0.0 if failed else 6.0, 6.0, not failed, "fail" if failed else "pass",
        ("Values differ at 1 place. First difference (0, 1): expected 53, actual 52." if not korean else
         "Convolution.forward(x)의 값이 1곳에서 다릅니다. 처음 다른 위치 (0, 1): 기대 53, 실제 52.") if failed else "",
        ("Multiply and add the overlapping elements." if not korean else "겹치는 원소끼리 곱해 더합니다.") if failed else "",
        {"input": {"x.shape": [1, 2, 3, 3], "W.shape": [1, 2, 2, 2], "stride": 1, "pad": 0, "x": _x4(),
                   "W": [[[[1.0, 1.0], [1.0, 1.0]], [[0.0, 0.0], [0.0, 0.0]]]]},
         "expected": expected, "actual": actual, "first_difference": [0, 1]} if failed else None)
    items = [
        ItemResult("conv.forward.shape", "output shape" if not korean else "출력 형상", 4.0, 4.0, True, "pass"),
        values,
        ItemResult("conv.forward.hidden", "secret check" if not korean else "비밀 검사", 0.0, 4.0, False, "hidden",
                   "SECRET-MESSAGE", "", None, [], True),
    ]
    points = sum(i.points for i in items)
    return QuestionResult("7.4.3.2", "Implement Convolution" if not korean else "im2col을 사용해 합성곱 계층을 구현하라.",
                          "code", points, 14.0, "partial" if failed else "pass", CONV_CODE, items,
                          source="solution.py")


def numeric_question(korean: bool = True) -> QuestionResult:
    return QuestionResult("7.2.4", "Output size" if not korean else "출력 크기를 계산하시오.", "numeric", 2.0, 2.0,
                          "pass", "OH = 6", [ItemResult("7.2.4.oh", "OH = 6", 2.0, 2.0, True, "pass")])


def written_question(answer: str, *, manual: bool, korean: bool = True, evidence: list[str] | None = None,
                     message: str = "") -> QuestionResult:
    items = [ItemResult("7.6.1.1.edges", "edges and blobs" if not korean else "에지와 블롭에 반응한다",
                        1.0 if manual else 0.0, 1.0, manual, "pass" if manual else "fail", message,
                        evidence=list(evidence or []))]
    return QuestionResult("7.6.1.1", "How did the filters change?" if not korean else "필터가 어떻게 변했는지 서술하시오.",
                          "written", items[0].points, 1.0, "manual" if manual else "missing", answer, items,
                          review=manual)


def drawing_question() -> QuestionResult:
    """A drawing: always reviewed by a person, here without an answer the grader could find."""
    return QuestionResult("7.2.6.1", "Draw the flow", "drawing", 0.0, 1.0, "manual", "", [], review=True)


def training_record() -> dict:
    """What `--train` stores: a loss curve, accuracy, and eight 3×3 first-layer filters before and after."""
    before = [[[0.01 * (f + r - c) for c in range(3)] for r in range(3)] for f in range(8)]
    after = [[[1.0 if r == f % 3 else -1.0 for c in range(3)] for r in range(3)] for f in range(8)]
    return {"steps": 120, "batch": 20, "lr": 0.1, "classes": ["h", "v", "d1", "d2"], "status": "ok",
            "loss": [[s, 1.4 - s / 100] for s in range(0, 120, 5)] + [[119, float("nan")]],
            "accuracy": 0.875, "filters_before": before, "filters_after": after}


def make_class(*, korean: bool = True) -> ClassResult:
    """kim_perfect (all pass), a student with a failed Convolution item, one with a manual answer."""
    perfect = StudentResult("kim_perfect", 13.0, 17.0, "graded", ["solution.py"], [], [
        numeric_question(korean), conv_question(failed=False, korean=korean),
        written_question("에지에 반응하는 필터로 바뀌었다." if korean else "Filters respond to edges.", manual=True,
                         korean=korean, evidence=["에지에 반응하는…"] if korean else ["Filters respond to edges."]),
        drawing_question()])
    perfect.questions[2].status = "pass"  # its review is done
    perfect.questions[2].review = False
    perfect.questions[2].confirmed = True
    failing_id = FAILING_ID if korean else "park/../x y"
    failing = StudentResult(failing_id, 6.0, 17.0, "graded", ["hw5.py"],
                            ["hw5.py: CP949로 읽었습니다." if korean else "hw5.py: decoded as CP949."], [
        numeric_question(korean), conv_question(failed=True, korean=korean),
        written_question("", manual=False, korean=korean)], log="Saved Network Parameters!\n",
                            training=training_record())
    # evidence as the sheet grader stores it: a snippet of the flattened answer with "…" at cut ends,
    # the matched phrase quoted ‘so’ in the message
    manual_answer = (f"학습 후\n**필터는**  에지(edge)와 블롭에 반응합니다. {SCRIPT}" if korean
                     else f"After training\nthe **filters**  respond to edges. {SCRIPT}")
    evidence = ["…후 필터는 에지(edge)와 블롭…"] if korean else ["…the filters respond to edges. <script>…"]
    message = "이 개념을 나타내는 표현을 찾았습니다: ‘에지’" if korean else "found: ‘edges’"
    manual = StudentResult("choi_manual", 3.0, 17.0, "graded", ["answers.md"], [], [
        numeric_question(korean), conv_question(failed=False, korean=korean),
        written_question(manual_answer, manual=True, korean=korean, evidence=evidence, message=message)])
    manual.questions[1].points = 0.0
    manual.questions[1].status = "missing"
    manual.questions[1].answer = ""
    return ClassResult("assignment5", "0.1.0", "2026-11-28T10:00:00+00:00", 17.0, [perfect, failing, manual])


# ── a tiny DOM over html.parser ────────────────────────────────────────────────────────────────

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    children: list["Node | str"] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text for c in self.children)

    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def find_all(self, tag: str | None = None, cls: str | None = None, **attrs: str) -> list["Node"]:
        found = []
        for c in self.children:
            if isinstance(c, Node):
                if ((tag is None or c.tag == tag) and (cls is None or cls in c.classes())
                        and all(c.attrs.get(k.replace("_", "-")) == v for k, v in attrs.items())):
                    found.append(c)
                found.extend(c.find_all(tag, cls, **attrs))
        return found

    def find(self, tag: str | None = None, cls: str | None = None, **attrs: str) -> "Node":
        found = self.find_all(tag, cls, **attrs)
        assert found, f"no <{tag} class={cls} {attrs}> in <{self.tag}>"
        return found[0]


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Node(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return
        raise AssertionError(f"</{tag}> closes nothing")

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(html: str) -> Node:
    builder = _Builder()
    builder.feed(html)
    builder.close()
    assert [n.tag for n in builder.stack] == ["#document"], f"unclosed: {[n.tag for n in builder.stack]}"
    return builder.root
