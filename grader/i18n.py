"""The one message catalogue: every word the grader shows a student or a TA, Korean and English.

Korean is the default; `--lang en` switches a run to English. Nothing a person reads is written
in code elsewhere: modules call `t("area.name", **values)`, and translating the grader means
editing this file. Values are `str.format` templates (format specs such as `{x:g}` included); a key
ending in `.one` is the singular form used when `n == 1`.

The language of a call is `lang` when given, else the current language: a `ContextVar` (default
"ko") set for a block by `use_lang(lang)` or for the rest of a context by `set_lang(lang)`.
`grade_submission` runs inside `use_lang(options.lang)`, so every message of a run — notes, check
messages, faults — is in the run's language, in whichever process grades it.

What stays data, not messages: the student's own text, the rubric's text (with its optional
English fields), the Korean keywords the sheet readers look for (`grader/sheets/relation.py`,
`shape.py`, `headings.py`, `parse.py`, `numeric.py`) and the table of SyntaxError messages in
`grader/sheets/syntax_ko.py` (which has both languages).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token
from typing import Any

LANGS = ("ko", "en")
DEFAULT_LANG = "ko"
_LANG: ContextVar[str] = ContextVar("grader_lang", default=DEFAULT_LANG)


def current_lang() -> str:
    """The language messages are written in when no `lang` is given."""
    return _LANG.get()


def _checked(lang: str) -> str:
    if lang not in LANGS:
        raise ValueError(f"lang={lang!r} is not a language of the grader; use one of {', '.join(LANGS)}.")
    return lang


def set_lang(lang: str) -> Token[str]:
    """Make `lang` the current language (until reset with the returned token, or the context ends)."""
    return _LANG.set(_checked(lang))


@contextmanager
def use_lang(lang: str | None) -> Iterator[str]:
    """Within the block, messages are in `lang` (None: keep the current one)."""
    token = _LANG.set(_checked(lang)) if lang is not None else None
    try:
        yield _LANG.get()
    finally:
        if token is not None:
            _LANG.reset(token)


def t(key: str, lang: str | None = None, **kw: Any) -> str:
    """The message `key` in `lang` (default: the current language), formatted with `kw`.

    `n=1` picks the `.one` form when there is one. An unknown key is a KeyError naming it.
    """
    messages = CATALOGUE[_checked(lang or _LANG.get())]
    if kw.get("n") == 1 and f"{key}.one" in messages:
        key = f"{key}.one"
    try:
        template = messages[key]
    except KeyError:
        raise KeyError(f"message {key!r} is missing from the {lang or _LANG.get()!r} catalogue in grader/i18n.py") from None
    return template.format(**kw) if kw else template


# key: (Korean, English). Keys are grouped by area: the report pages first, then the grader's messages.
_MESSAGES: dict[str, tuple[str, str]] = {
    # ══ report pages (grader/report/html.py and its templates) ══
    "html.lang": ("ko",
                  "en"),
    "app.name": ("과제 #5 채점 결과",
                 "Assignment #5 results"),
    "nav.label": ("바로 가기",
                  "Navigation"),
    "nav.overview": ("반 전체",
                     "Class overview"),
    "nav.review": ("검토 목록",
                   "Review queue"),
    "footer.generated": ("{when} 생성 · 채점기 {version}",
                         "Generated {when} · grader {version}"),
    "points.of": ("{points} / {max}점",
                  "{points} / {max} pts"),
    "people": ("{n}명",
               "{n} students"),
    "people.one": ("{n}명",
                   "{n} student"),
    # statuses of a question (colours of the table and badges)
    "status.pass": ("통과",
                    "pass"),
    "status.partial": ("부분 점수",
                       "partial"),
    "status.fail": ("실패",
                    "fail"),
    "status.missing": ("답 없음",
                       "missing"),
    "status.manual": ("검토 필요",
                      "needs review"),
    # statuses of an item
    "item.pass": ("통과",
                  "passed"),
    "item.fail": ("실패",
                  "failed"),
    "item.error": ("오류",
                   "error"),
    "item.skipped": ("건너뜀",
                     "skipped"),
    "item.manual": ("검토 필요",
                    "needs review"),
    "item.hidden": ("비공개",
                    "hidden"),
    # kinds of question
    "kind.code": ("코드",
                  "code"),
    "kind.numeric": ("계산",
                     "calculation"),
    "kind.written": ("서술",
                     "written"),
    "kind.drawing": ("그림",
                     "drawing"),
    "student.not_gradable": ("채점할 수 없음",
                             "not gradable"),
    # class overview
    "index.title": ("반 전체 결과",
                    "Class overview"),
    "index.summary": ("학생 {n}명 · 평균 {mean}점 · 중앙값 {median}점 · 만점 {max}점",
                      "{n} students · mean {mean} · median {median} · out of {max}"),
    "index.summary.one": ("학생 {n}명 · 평균 {mean}점 · 중앙값 {median}점 · 만점 {max}점",
                          "{n} student · mean {mean} · median {median} · out of {max}"),
    "index.empty": ("채점한 학생이 없습니다.",
                    "No students were graded."),
    "index.table": ("학생별 점수",
                    "Points per student"),
    "index.filter": ("학생 찾기",
                     "Find a student"),
    "index.filter.placeholder": ("학번이나 이름의 일부",
                                 "part of an id or name"),
    "index.shown": ("{shown} / {total}명 표시",
                    "showing {shown} of {total}"),
    "index.sort_hint": ("열 제목을 누르면 그 열로 정렬되고, 한 번 더 누르면 순서가 뒤집힙니다.",
                        "Click a column header to sort by it; click again to reverse."),
    "index.col.student": ("학생",
                          "Student"),
    "index.col.total": ("총점",
                        "Total"),
    "index.cell.title": ("{qid}: {points} / {max}점, {status}",
                         "{qid}: {points} / {max} pts, {status}"),
    "index.legend": ("색의 뜻",
                     "Colours"),
    "index.histogram": ("총점 분포",
                        "Distribution of totals"),
    "index.histogram.desc": ("총점 구간별 학생 수",
                             "Number of students per range of totals"),
    "index.histogram.bar": ("{lo}–{hi}점: {n}명",
                            "{lo}–{hi} pts: {n}"),
    "index.axis.points": ("총점",
                          "total"),
    "index.axis.students": ("학생 수",
                            "students"),
    "index.pass_rates": ("문항별 통과율",
                         "Pass rate per question"),
    "index.pass_rates.desc": ("문항마다 상태별 학생 비율 (녹색이 통과)",
                              "Share of students per status for each question (green is pass)"),
    "index.pass_rates.bar": ("{qid}: 통과 {rate}% ({passed}/{total}명)",
                             "{qid}: {rate}% passed ({passed}/{total})"),
    "index.failures": ("자주 나온 실수",
                       "Most common failures"),
    "index.failures.none": ("실패한 검사가 없습니다.",
                            "No check failed."),
    "index.failures.example": ("예: {message}",
                               "e.g. {message}"),
    "index.review": ("검토할 답 {n}개",
                     "{n} answers to review"),
    "index.review.one": ("검토할 답 {n}개",
                         "{n} answer to review"),
    "index.review.none": ("검토할 답이 없습니다.",
                          "Nothing to review."),
    # student card
    "card.title": ("{id} 성적표",
                   "Report card of {id}"),
    "card.total": ("총점",
                   "Total"),
    "card.files": ("채점한 파일",
                   "Files graded"),
    "card.notes": ("참고",
                   "Notes"),
    "card.log": ("실행 기록",
                 "Worker log"),
    "card.log.empty": ("기록이 없습니다.",
                       "Nothing was logged."),
    "card.contents": ("문항",
                      "Questions"),
    "card.source": ("채점한 답의 위치",
                    "Answer taken from"),
    "card.answer": ("제출한 답",
                    "Your answer"),
    "card.answer.none": ("답을 찾지 못했습니다.",
                         "No answer was found."),
    "card.items": ("채점 항목",
                   "Rubric items"),
    "card.hint": ("힌트",
                  "Hint"),
    "card.hidden": ("채점 때 실행되는 검사",
                    "Check run at grading"),
    "card.hidden.count": ("채점 때 실행되는 검사가 {n}개 더 있습니다 (자가 점검에서는 공개되지 않습니다).",
                          "{n} more checks run at grading (not disclosed in the self-check)."),
    "card.hidden.count.one": ("채점 때 실행되는 검사가 {n}개 더 있습니다 (자가 점검에서는 공개되지 않습니다).",
                              "{n} more check runs at grading (not disclosed in the self-check)."),
    "card.review_comment": ("검토 의견",
                            "Reviewer's comment"),
    "card.evidence": ("찾은 근거",
                      "Evidence found"),
    "card.not_gradable": ("이 제출물은 채점할 수 없었습니다. 아래 참고 사항을 확인하세요.",
                          "This submission could not be graded. See the notes below."),
    # counterexamples
    "ce.title": ("실패를 보여 주는 가장 작은 입력",
                 "Smallest input that shows the failure"),
    "ce.input": ("입력",
                 "Input"),
    "ce.expected": ("기대값",
                    "Expected"),
    "ce.actual": ("실제값",
                  "Actual"),
    "ce.difference": ("차이 (실제 − 기대)",
                      "Difference (actual − expected)"),
    "ce.first_difference": ("처음 다른 위치",
                            "First difference at"),
    "ce.shape": ("형상 {shape}",
                 "shape {shape}"),
    "ce.summary": ("큰 배열이라 요약만 보여 줍니다: 형상 {shape}, 최솟값 {min}, 최댓값 {max}, 평균 {mean}",
                   "Large array, summary only: shape {shape}, min {min}, max {max}, mean {mean}"),
    "ce.note": ("비고",
                "Note"),
    "ce.more": ("나머지 {n}개 단면은 생략했습니다.",
                "{n} more slices not shown."),
    "ce.more.one": ("나머지 {n}개 단면은 생략했습니다.",
                    "{n} more slice not shown."),
    "ce.scale": ("색 범위 {lo} … {hi}",
                 "colour range {lo} … {hi}"),
    # --train (7.6.1 in pictures)
    "train.title": ("7.6.1 그림으로 보기: 여러분의 SimpleConvNet을 직접 학습시켰습니다",
                    "7.6.1 in pictures: your SimpleConvNet, trained by the grader"),
    "train.data": ("채점기가 만든 작은 획 이미지(가로·세로·대각선)로 잠깐 학습했습니다. 점수에는 영향이 없습니다.",
                   "Trained briefly on small stroke images (horizontal, vertical, diagonal) made by the grader. Points are not affected."),
    "train.setup": ("{steps}단계 · 배치 {batch} · 학습률 {lr}",
                    "{steps} steps · batch {batch} · learning rate {lr}"),
    "train.accuracy": ("시험 정확도 {accuracy}%",
                       "test accuracy {accuracy}%"),
    "train.failed": ("학습을 끝내지 못했습니다",
                     "Training did not finish"),
    "train.loss": ("손실 함수 값의 변화",
                   "Loss during training"),
    "train.step": ("학습 단계",
                   "step"),
    "train.before": ("학습 전 1층 필터",
                     "First-layer filters before training"),
    "train.after": ("학습 후 1층 필터",
                    "First-layer filters after training"),
    # review queue
    "review.title": ("검토 목록",
                     "Review queue"),
    "review.intro": ("기계가 판단할 수 없어 사람이 확인해야 하는 답입니다. 채점 항목의 근거로 찾은 표현은 형광색으로 표시했습니다.",
                     "Answers a machine cannot judge. Phrases found as evidence for a rubric item are highlighted."),
    "review.empty": ("검토할 답이 없습니다.",
                     "Nothing to review."),
    "review.count": ("답 {n}개",
                     "{n} answers"),
    "review.count.one": ("답 {n}개",
                         "{n} answer"),
    "review.answer": ("학생의 답",
                      "Student's answer"),
    "review.blank": ("답을 찾지 못한 학생 {n}명",
                     "{n} students with no answer found"),
    "review.blank.one": ("답을 찾지 못한 학생 {n}명",
                         "{n} student with no answer found"),
    "review.rubric": ("채점 항목",
                      "Rubric items"),
    "review.evidence.none": ("근거를 찾지 못했습니다.",
                             "No evidence found."),
}

CATALOGUE: dict[str, dict[str, str]] = {lang: {k: pair[i] for k, pair in _MESSAGES.items()}
                                        for i, lang in enumerate(LANGS)}
