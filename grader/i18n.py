"""The one message catalogue: every word the grader shows a student or a TA, Korean and English.

Korean is the default; `--lang en` switches a run to English. Nothing a person reads is written
in code elsewhere: modules call `t("<area>.<name>", **values)`, and translating the grader means
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
    # ══ faults of the worker (grader/sandbox/client.py, grader/runner.py) ══
    "fault.word.timeout": ("시간 제한 초과", "Time limit exceeded"),
    "fault.word.budget": ("제출물 전체 시간 제한 초과", "Time limit of the whole submission exceeded"),
    "fault.word.cpu": ("CPU 시간 제한 초과", "CPU time limit exceeded"),
    "fault.word.memory": ("메모리 제한 초과", "Memory limit exceeded"),
    "fault.word.crash": ("작업 프로세스 중단", "Worker process stopped"),
    "fault.word.protocol": ("통신 규약 위반", "Protocol violation"),
    "fault.budget": ("제출물 전체 시간 {seconds:g}초를 다 썼습니다", "used up the {seconds:g} s allowed for the whole submission"),
    "fault.timeout": ("{seconds:g}초 안에 답하지 않았습니다 (무한 루프이거나 너무 느린 코드)",
                      "did not answer within {seconds:g} s (an infinite loop or very slow code)"),
    "fault.protocol": ("작업 프로세스가 답이 아닌 것을 보냈습니다: {error}",
                       "the worker process sent something that is not an answer: {error}"),
    "fault.memory_error": ("메모리 제한 {gib:g} GiB를 넘었습니다. {message}",
                           "went over the memory limit of {gib:g} GiB. {message}"),
    "fault.output_refused": ("돌려준 값을 받을 수 없습니다: {message}", "the returned value cannot be accepted: {message}"),
    "fault.output_unreadable": ("돌려준 값을 읽을 수 없습니다: {error}", "the returned value cannot be read: {error}"),
    "fault.signal.SIGSEGV": ("잘못된 메모리 접근", "invalid memory access"),
    "fault.signal.SIGXFSZ": ("파일 크기 제한 {mib} MiB 초과", "file size limit of {mib} MiB exceeded"),
    "fault.signal.SIGKILL": ("메모리 부족 등으로 강제 종료", "killed, e.g. for lack of memory"),
    "fault.signal.SIGABRT": ("비정상 종료", "aborted"),
    "fault.cpu": ("CPU 시간 제한 {seconds}초에 걸렸습니다", "hit the CPU time limit of {seconds} s"),
    "fault.signal": ("작업 프로세스가 {signal} 신호로 끝났습니다", "the worker process ended with signal {signal}"),
    "fault.exit": ("작업 프로세스가 {op} 도중 스스로 종료했습니다 (종료 코드 {code}: sys.exit나 os._exit)",
                   "the worker process exited by itself during {op} (exit code {code}: sys.exit or os._exit)"),
    "fault.item": ("{word}: {message}{where}. 이 항목은 0점이고, 나머지 항목은 새 작업 프로세스에서 채점했습니다.",
                   "{word}: {message}{where}. This item gets 0 points; the other items were graded in a new worker process."),
    "fault.note": ("{word}: {message}", "{word}: {message}"),
    "fault.stuck": ("{fault} (같은 코드가 앞선 항목에서 이미 시간 제한에 걸려 다시 실행하지 않았습니다)",
                    "{fault} (the same code already hit the time limit in an earlier item, so it was not run again)"),
    "fault.grader": ("채점기 내부 오류로 이 항목을 채점하지 못했습니다 (조교에게 알려 주세요):\n{trace}",
                     "An internal error of the grader kept this item from being graded (please tell the TA):\n{trace}"),
    # ══ notes and outcomes of the run (grader/runner.py) ══
    "note.no_files": ("채점할 파일(.py, .ipynb, .md, .txt)이 없습니다.", "There is no file to grade (.py, .ipynb, .md, .txt)."),
    "note.own_layers": ("자가 점검에서는 참조 구현이 없어 여러분의 계층으로 검사합니다.",
                        "The self-check has no reference implementation, so it checks with your own layers."),
    "note.sheet_line": ("{file} {line}행", "{file} line {line}"),
    "note.top_failed_more": (" 이후 {n}문장도 실패해 건너뛰었습니다.", " {n} more statements failed too and were skipped."),
    "note.top_failed_more.one": (" 이후 {n}문장도 실패해 건너뛰었습니다.", " {n} more statement failed too and was skipped."),
    "note.top_failed_many": ("{where}: 모듈 최상위 코드가 실패했습니다 ({message}).{more} 이 문장들만 건너뛰고 정의는 채점했습니다.",
                             "{where}: module-level code failed ({message}).{more} Only these statements were skipped; the definitions were graded."),
    "note.stand_ins": ("표시용 라이브러리({names})는 아무 일도 하지 않는 대체 모듈로 바꿔 채점했습니다.",
                       "The display libraries ({names}) were replaced by stand-in modules that do nothing."),
    "note.injected": ("{module}: 정의하거나 import하지 않은 {names}은(는) 참조 구현의 것을 썼습니다.",
                      "{module}: {names}, neither defined nor imported there, came from the reference implementation."),
    "note.top_timeout": ("{where}: 모듈 최상위 코드가 너무 오래 걸려 건너뛰었습니다 ({message}). 정의는 채점했습니다.",
                         "{where}: module-level code took too long and was skipped ({message}). The definitions were graded."),
    "note.top_syntax": ("{where}: 문법 오류 — {message} {text}", "{where}: syntax error — {message} {text}"),
    "note.top_exit": ("{where}: import 중 {message}가 호출되어 무시했습니다.",
                      "{where}: {message} was called during import and ignored."),
    "note.top_stopped": ("{where}: 이 최상위 문장이 작업 프로세스를 멈추게 해 건너뛰었습니다.",
                         "{where}: this module-level statement stopped the worker process and was skipped."),
    "note.top_failed": ("{where}: 모듈 최상위 코드가 실패했습니다 ({message}). 이 문장만 건너뛰고 정의는 채점했습니다.",
                        "{where}: module-level code failed ({message}). Only this statement was skipped; the definitions were graded."),
    "check.no_answer": ("답을 찾지 못했습니다.", "No answer was found."),
    "check.absent.answer": ("답", "the answer"),
    "check.absent.skipped": ("{names}을(를) 제출하지 않아 검사하지 않았습니다 (점수 없음).",
                             "{names} was not handed in, so it was not checked (no points)."),
    "check.absent.missing": ("{names}의 정의를 찾지 못했습니다. class/def 이름이 과제와 같은지 확인하세요.",
                             "No definition of {names} was found. Check that the class/def names are the assignment's."),
    "check.student_error": ("여러분의 코드에서 예외가 발생했습니다{where}: {type}: {message}",
                            "Your code raised an exception{where}: {type}: {message}"),
    # ══ check messages (grader/checks/) ══
    "check.not_array": ("{what}이(가) numpy 배열이 아니라 {kind}을(를) 돌려주었습니다.", "{what} returned {kind}, not a numpy array."),
    "check.not_numeric": ("{what}의 자료형이 숫자가 아닙니다 ({dtype}).", "The dtype of {what} is not numeric ({dtype})."),
    "check.shape": ("{what}의 형상이 {shape}입니다. 기대한 형상은 {expected}입니다.",
                    "{what} has shape {shape}; the expected shape is {expected}."),
    "check.values": ("{what}의 값이 {n}곳에서 다릅니다. 처음 다른 위치 {index}: 기대 {expected:.6g}, 실제 {actual:.6g}.",
                     "{what} differs in {n} places. First difference at {index}: expected {expected:.6g}, got {actual:.6g}."),
    "check.values.one": ("{what}의 값이 {n}곳에서 다릅니다. 처음 다른 위치 {index}: 기대 {expected:.6g}, 실제 {actual:.6g}.",
                         "{what} differs in {n} place. First difference at {index}: expected {expected:.6g}, got {actual:.6g}."),
    "check.raised": ("{what}에서 예외가 발생했습니다{where}: {type}: {message}",
                     "{what} raised an exception{where}: {type}: {message}"),
    "check.modified_x": ("forward가 입력 x를 바꾸었습니다 (제자리 수정).", "forward changed its input x (modified in place)."),
    "check.float": ("출력의 자료형이 {dtype}입니다. 실수(float) 배열이어야 합니다.",
                    "The output's dtype is {dtype}; it must be a floating-point (float) array."),
    "check.conv.reshape": ("출력 형상이 {shape}로, 기대한 {expected}와 다릅니다 (원소 수는 같습니다: reshape/transpose 순서를 확인하세요).",
                           "The output shape is {shape}, not the expected {expected} (the number of elements is the same: check the order of reshape/transpose)."),
    "check.conv.bias_shape": ("편향을 바꾸자 출력 형상이 바뀌었거나 출력이 4차원이 아닙니다.",
                              "Changing the bias changed the output shape, or the output is not 4-dimensional."),
    "check.conv.bias_axis": ("출력의 두 번째 축이 필터 수 FN={fn}이 아닙니다 (형상 {shape}).",
                             "The second axis of the output is not the number of filters FN={fn} (shape {shape})."),
    "check.conv.with_bias": ("편향을 더한 Convolution.forward(x)", "Convolution.forward(x) with a bias"),
    "check.conv.modified_W": ("forward가 가중치 self.W를 바꾸었습니다.", "forward changed the weights self.W."),
    "check.conv.adjoint": ("⟨im2col(x), col⟩ = {lhs:g}인데 ⟨x, col2im(col)⟩ = {rhs:g}입니다: 겹치는 위치를 더하지 않은 것 같습니다.",
                           "⟨im2col(x), col⟩ = {lhs:g} but ⟨x, col2im(col)⟩ = {rhs:g}: the overlapping positions seem not to be summed."),
    "check.pool.mean": ("출력이 각 창의 최댓값이 아니라 평균입니다 (평균 풀링). 최대 풀링은 np.max를 씁니다.",
                        "The output is the mean of each window, not its maximum (average pooling). Max pooling uses np.max."),
    "check.backward.not_asked": ("backward를 작성하지 않았습니다: 과제의 답안지는 forward만 묻기 때문에, 신경망은 참조 구현의 backward를 씁니다.",
                                 "backward was not written: the assignment's sheet asks only for forward, so the network uses the reference's backward."),
    "check.backward.shape": ("{name}의 형상이 {shape}입니다. 기대: {expected}.",
                             "{name} has shape {shape}. Expected: {expected}."),
    "check.backward.numeric": ("{name}가 수치 미분과 다릅니다: 방향 미분 {analytic:.6g}, 수치 미분 {numeric:.6g}.",
                               "{name} differs from the numerical derivative: directional derivative {analytic:.6g}, numerical {numeric:.6g}."),
    "check.backward.dx": ("backward의 dx", "backward's dx"),
    "check.backward.conv_forward_failed": ("Convolution.forward가 실패해 backward를 검사할 수 없었습니다 (7.4.3.2를 먼저 고치세요).",
                                           "Convolution.forward failed, so backward could not be checked (fix 7.4.3.2 first)."),
    "check.backward.pool_forward_failed": ("Pooling.forward가 실패해 backward를 검사할 수 없었습니다 (7.4.4.1을 먼저 고치세요).",
                                           "Pooling.forward failed, so backward could not be checked (fix 7.4.4.1 first)."),
    "check.net.build": ("SimpleConvNet(...) 생성", "creating SimpleConvNet(...)"),
    "check.net.params_unreadable": ("params를 읽을 수 없습니다 ({error})", "params cannot be read ({error})"),
    "check.net.params_keys_wrong": ("params의 키가 W1, b1, W2, b2, W3, b3가 아닙니다",
                                    "the keys of params are not W1, b1, W2, b2, W3, b3"),
    "check.net.param_shape_wrong": ("params['{key}']의 형상이 맞지 않습니다", "params['{key}'] has the wrong shape"),
    "check.net.unusable_fix_first": ("__init__으로 만든 신경망을 쓸 수 없습니다: {why}. (7.5.1.2–7.5.1.4를 먼저 고치세요.)",
                                     "The network built by __init__ cannot be used: {why}. (Fix 7.5.1.2–7.5.1.4 first.)"),
    "check.net.grafted": (" (여러분의 __init__으로 만든 신경망을 쓸 수 없어 — {why} — 참조 구현의 __init__으로 만든 상태에서 여러분의 메서드를 검사했습니다)",
                          " (the network your __init__ builds cannot be used — {why} — so your methods were checked on a network built by the reference's __init__)"),
    "check.net.conv_size": ("conv_output_size가 {conv:g}입니다. 기대: (input_size - filter_size + 2*pad) / stride + 1 = {expected}.",
                            "conv_output_size is {conv:g}. Expected: (input_size - filter_size + 2*pad) / stride + 1 = {expected}."),
    "check.net.pool_size": ("풀링 출력 크기(pool_output_size, W2의 행 수)가 {seen}입니다. 기대: {expected}.",
                            "The pooling output size (pool_output_size, the rows of W2) is {seen}. Expected: {expected}."),
    "check.net.params_not_dict": ("self.params가 딕셔너리가 아닙니다 ({type}).", "self.params is not a dictionary ({type})."),
    "check.net.params_missing": ("params에 {missing} 키가 없습니다 (있는 키: {present}).",
                                 "params lacks the keys {missing} (keys present: {present})."),
    "check.net.param_shape": ("params['{key}']의 형상이 {shape}입니다. 기대: {expected}.",
                              "params['{key}'] has shape {shape}. Expected: {expected}."),
    "check.net.not_weights": ("params['{key}']가 가중치 배열이 아닙니다.", "params['{key}'] is not a weight array."),
    "check.net.scale": ("weight_init_std={std}일 때 params['{key}']의 평균이 {mean:.3g}, 표준편차가 {sd:.3g}입니다. 표준편차가 weight_init_std에 가까워야 합니다.",
                        "With weight_init_std={std}, params['{key}'] has mean {mean:.3g} and standard deviation {sd:.3g}. The standard deviation should be close to weight_init_std."),
    "check.net.bias": ("params['{key}']가 형상 {shape}의 0 배열이 아닙니다 (받은 것: {got}).",
                       "params['{key}'] is not an array of zeros of shape {shape} (got: {got})."),
    "check.net.layers_not_dict": ("self.layers가 OrderedDict가 아닙니다 ({type}).",
                                  "self.layers is not an OrderedDict ({type})."),
    "check.net.order": ("계층 순서가 [{shown}]입니다. 기대: {expected}.", "The layers are [{shown}]. Expected: {expected}."),
    "check.net.no_pool": ("layers에 Pooling 계층이 없습니다.", "layers has no Pooling layer."),
    "check.net.pool_param": ("Pooling 계층이 pool_h={pool_h}, pool_w={pool_w}, stride={stride}입니다. 기대: 2, 2, 2.",
                             "The Pooling layer has pool_h={pool_h}, pool_w={pool_w}, stride={stride}. Expected: 2, 2, 2."),
    "check.net.no_conv": ("layers에 Convolution 계층이 없습니다.", "layers has no Convolution layer."),
    "check.net.conv_param": ("conv_param이 stride={want_stride}, pad={want_pad}일 때 Convolution 계층이 stride={stride}, pad={pad}입니다.",
                             "With conv_param stride={want_stride}, pad={want_pad}, the Convolution layer has stride={stride}, pad={pad}."),
    "check.net.need_layers": ("layers에 Convolution과 Affine 두 개가 있어야 합니다.",
                              "layers must hold a Convolution and two Affine layers."),
    "check.net.not_shared": ("{layer} 계층의 {attr}가 self.params['{key}'] 배열이 아닙니다 (같은 배열을 넘겨야 합니다).",
                             "The {attr} of the {layer} layer is not the array self.params['{key}'] (pass the very same array)."),
    "check.net.last": ("last_layer가 SoftmaxWithLoss가 아니라 {kind}입니다.", "last_layer is {kind}, not SoftmaxWithLoss."),
    "check.net.labels": ("정답 레이블", "labels"),
    "check.net.one_hot": ("원-핫 정답", "one-hot targets"),
    "check.net.not_a_value": ("값이 아님", "not a value"),
    "check.net.loss": ("loss(x, t)가 {kind}에서 {got}입니다. 기대: {expected:.6g}.{note}",
                       "loss(x, t) with {kind} is {got}. Expected: {expected:.6g}.{note}"),
    "check.net.grad_shape_problem": ("grads['{key}']: 형상 {shape} (기대 {expected})",
                                     "grads['{key}']: shape {shape} (expected {expected})"),
    "check.net.grad_value_problem": ("grads['{key}']: 방향 미분 {analytic:.6g}, 수치 미분 {numeric:.6g}",
                                     "grads['{key}']: directional derivative {analytic:.6g}, numerical {numeric:.6g}"),
    "check.net.grads_not_dict": ("gradient(x, t)가 딕셔너리가 아니라 {type}을(를) 돌려주었습니다.",
                                 "gradient(x, t) returned {type}, not a dictionary."),
    "check.net.grad_keys": ("gradient가 돌려준 키가 {keys}입니다. params와 같은 키 {expected}여야 합니다 (대소문자 구분).{note}",
                            "gradient returned the keys {keys}. They must be the keys of params, {expected} (case-sensitive).{note}"),
    "check.net.grad_shape": ("grads['{key}']의 형상이 {shape}입니다. 기대: {expected}.{note}",
                             "grads['{key}'] has shape {shape}. Expected: {expected}.{note}"),
    "check.net.grad_values": ("기울기가 수치 미분과 다릅니다: {problems}{note}",
                              "The gradients differ from numerical differentiation: {problems}{note}"),
    "check.net.unusable": ("여러분의 신경망을 쓸 수 없습니다: {why}.", "Your network cannot be used: {why}."),
    "check.net.end_to_end": ("여러분의 계층으로 만든 신경망의 기울기가 수치 미분과 다릅니다: {problems}",
                             "The gradients of the network built with your layers differ from numerical differentiation: {problems}"),
}

CATALOGUE: dict[str, dict[str, str]] = {lang: {k: pair[i] for k, pair in _MESSAGES.items()}
                                        for i, lang in enumerate(LANGS)}
