"""Every input mistake of the issue: exit 2, a message naming the file, the value and the fix, no traceback,
and nothing graded first."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from grader.cli import main

from classrun_support import ROOT, SAMPLE, copy_sample, results, run

RUBRIC = ROOT / "assignments" / "a5_cnn" / "rubric.toml"


@pytest.fixture()
def small_class(tmp_path: Path) -> Path:
    cls = tmp_path / "class"
    cls.mkdir()
    copy_sample("han_sumin.py", cls / "han_sumin.py")
    copy_sample("kim_minji", cls / "kim_minji")
    return cls


def refused(result, *words: str) -> str:  # noqa: ANN001
    """The CLI refused the input: exit 2, each of `words` in the message, no traceback."""
    output = result.output if hasattr(result, "output") else result.stderr
    code = result.exit_code if hasattr(result, "exit_code") else result.returncode
    assert code == 2, output
    assert "Traceback" not in output and (getattr(result, "exception", None) is None
                                          or isinstance(result.exception, SystemExit)), output
    for w in words:
        assert w in output, (w, output)
    return output


def invoke(*args: str, env: dict[str, str] | None = None):  # noqa: ANN201
    return CliRunner(env=env).invoke(main, list(args))


# ── the output folder, the rubric, the review file, the card ─────────────────────────────────────

def test_out_naming_a_file(small_class: Path, tmp_path: Path) -> None:
    (tmp_path / "out.txt").write_text("mine")
    refused(invoke(str(small_class), "--out", str(tmp_path / "out.txt")), "out.txt", "폴더가 아니라 파일", "--out reports/")
    assert (tmp_path / "out.txt").read_text() == "mine"


def test_out_on_a_read_only_file_system(small_class: Path, tmp_path: Path) -> None:
    if shutil.which("unshare") is None or os.geteuid() != 0:
        pytest.skip("a read-only mount needs root and unshare here")
    ro = tmp_path / "ro"
    ro.mkdir()
    script = 'mount -t tmpfs -o ro tmpfs "$0" && exec "$@"'
    for out, words in ((ro, ("이 폴더에 쓸 수 없습니다", "Read-only file system", "다른 --out")),
                       (ro / "reports", ("폴더를 만들 수 없습니다", "Read-only file system"))):
        done = subprocess.run(["unshare", "--mount", "--propagation", "private", "sh", "-c", script, str(ro),
                               sys.executable, "-m", "grader.cli", str(small_class), "--out", str(out)],
                              capture_output=True, text=True, cwd=ROOT, timeout=120)
        refused(done, f"--out {out}", *words)


def test_a_rubric_or_reviews_that_is_a_folder(small_class: Path, tmp_path: Path) -> None:
    refused(invoke(str(small_class), "--rubric", str(tmp_path), "--out", str(tmp_path / "o")), str(tmp_path), "폴더입니다",
            "--rubric assignments/a5_cnn/rubric.toml")
    refused(invoke(str(small_class), "--reviews", str(tmp_path), "--out", str(tmp_path / "o")), "폴더입니다",
            "student,question,points,comment")
    refused(invoke("check", str(small_class / "han_sumin.py"), "--rubric", str(tmp_path)), "폴더입니다")
    assert not (tmp_path / "o" / ".students").exists()


def test_check_html_naming_a_folder(tmp_path: Path) -> None:
    started = time.monotonic()
    refused(invoke("check", str(SAMPLE / "han_sumin.py"), "--html", str(tmp_path)), str(tmp_path), "--html card.html")
    assert time.monotonic() - started < 5  # said before the self-check ran


def test_a_wrong_review_line_is_reported_before_anything_is_graded(small_class: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "reviews.csv").write_text("student,question,points,comment\nhan_sumin,7.2.6.1,1,ok\nlee_nobody,7.2.6.1,1,\n",
                                     encoding="utf-8")
    started = time.monotonic()
    text = refused(invoke(str(small_class), "--out", str(out)), "reviews.csv:3", "lee_nobody")
    assert time.monotonic() - started < 10 and not (out / ".students").exists(), text  # nobody was graded
    for line, words in (("han_sumin,7.9.9,1,", "7.9.9"), ("han_sumin,7.2.6.1,5,", "0~1"),
                        ("han_sumin,7.2.6.1,nan,", "nan"), ("han_sumin,7.2.6.1,1,\nhan_sumin,7.2.6.1,0,", "2행")):
        (out / "reviews.csv").write_text(f"student,question,points,comment\n{line}\n", encoding="utf-8")
        refused(invoke(str(small_class), "--out", str(out)), "reviews.csv", words)
    assert not (out / ".students").exists()


# ── the rubric's values ──────────────────────────────────────────────────────────────────────────

def _broken_rubric(tmp_path: Path, old: str, new: str, count: int = 1) -> Path:
    text = RUBRIC.read_text("utf-8")
    assert old in text
    path = tmp_path / "rubric.toml"
    path.write_text(text.replace(old, new, count), "utf-8")
    return path


CASES = {
    "ko of numbers": ('ko = ["합성곱\\\\s*계층", "Conv", "풀링"]', "ko = [1]", ("7.1.1.conv_pool", "ko = [1]", "정규식")),
    "ko as one string": ('ko = ["합성곱\\\\s*계층", "Conv", "풀링"]', 'ko = "시그모이드"',
                         ("7.1.1.conv_pool", "'시그모이드'", "목록", "ko = [")),
    "items as text": ('kind = "drawing"\npoints = 1', 'kind = "drawing"\npoints = 1\nitems = "none"',
                      ("7.2.6.1", "items = 'none'", "[[questions.items]]")),
    "expected as text": ("expected = [19, 24, 26, 17]", 'expected = "19, 24"',
                         ("7.2.2.1.outputs", "expected = '19, 24'", "숫자의 목록", "expected = [1, 2, 3]")),
    "a negative total": ('kind = "drawing"\npoints = 1', 'kind = "drawing"\npoints = -1', ("7.2.6.1", "-1", "음수")),
    "hidden as text": ('  points = 1\n  ko = ["합성곱', '  points = 1\n  hidden = "false"\n  ko = ["합성곱',
                       ("hidden = 'false'", "true 또는 false")),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_rubric_value_of_the_wrong_type_stops_the_run_at_load(case: str, small_class: Path, tmp_path: Path) -> None:
    old, new, words = CASES[case]
    rubric = _broken_rubric(tmp_path, old, new)
    refused(invoke(str(small_class), "--rubric", str(rubric), "--out", str(tmp_path / "o")), str(rubric), *words)
    refused(invoke("check", str(small_class / "han_sumin.py"), "--rubric", str(rubric)), *words)
    assert not (tmp_path / "o").exists()


# ── the limits ───────────────────────────────────────────────────────────────────────────────────

@pytest.mark.parametrize("name, raw, words", [
    ("GRADE_CALL_SECONDS", "-1", ("GRADE_CALL_SECONDS='-1'", "0보다 크고", "GRADE_CALL_SECONDS=20")),
    ("GRADE_CALL_SECONDS", "nan", ("'nan'", "nan, inf")),
    ("GRADE_CALL_SECONDS", "0", ("'0'", "0보다 크고")),
    ("GRADE_CALL_SECONDS", "soon", ("'soon'", "숫자가 아닙니다")),
    ("GRADE_MEMORY_BYTES", "inf", ("GRADE_MEMORY_BYTES='inf'", "GRADE_MEMORY_BYTES=2G")),
    ("GRADE_MEMORY_BYTES", "1000", ("'1000'", "256M")),
    ("GRADE_CPU_SECONDS", "1.5", ("'1.5'", "정수")),
])
def test_a_limit_that_cannot_be_one_is_refused_at_start(name: str, raw: str, words: tuple[str, ...],
                                                       small_class: Path, tmp_path: Path) -> None:
    refused(invoke(str(small_class), "--out", str(tmp_path / "o"), env={name: raw}), *words)
    refused(invoke("check", str(small_class / "han_sumin.py"), env={name: raw}), *words)
    assert not (tmp_path / "o").exists()


def test_sizes_take_units_and_english_says_the_same(tmp_path: Path) -> None:
    from grader.i18n import use_lang
    from grader.sandbox.limits import LimitError, Limits

    limits = Limits.from_env({"GRADE_MEMORY_BYTES": "4G", "GRADE_FILE_BYTES": "512MiB", "GRADE_CALL_SECONDS": "2.5"})
    assert (limits.memory_bytes, limits.file_bytes, limits.call_seconds) == (4 << 30, 512 << 20, 2.5)
    with use_lang("en"), pytest.raises(LimitError, match=re.escape("GRADE_CALL_SECONDS='-1' must be greater than 0")):
        Limits.from_env({"GRADE_CALL_SECONDS": "-1"})


def test_a_result_graded_under_other_limits_is_not_reused(tmp_path: Path, sample_points: dict) -> None:
    cls = tmp_path / "class"
    cls.mkdir()
    copy_sample("han_sumin.py", cls / "han_sumin.py")
    copy_sample("seo_yuna.py", cls / "seo_yuna.py")
    out = tmp_path / "out"
    quick = run([str(cls), "--out", str(out)], env={"GRADE_CALL_SECONDS": "0.001"})
    assert quick.returncode == 0, quick.stderr
    starved = results(out)["han_sumin"]["points"]
    again = run([str(cls), "--out", str(out)])
    assert again.returncode == 0 and "재사용" not in again.stderr, again.stderr  # graded again, under the defaults
    assert results(out)["han_sumin"]["points"] == sample_points["han_sumin"] > starved
    same = run([str(cls), "--out", str(out)])
    assert "2명 재사용, 0명 채점" in same.stderr


# ── one output folder, one run ───────────────────────────────────────────────────────────────────

def test_one_submission_gets_a_folder_of_its_own_and_leaves_the_class_pages_alone(small_class: Path,
                                                                                  tmp_path: Path) -> None:
    whole = run([str(small_class)], cwd=tmp_path)
    assert whole.returncode == 0, whole.stderr
    index = (tmp_path / "reports" / "index.html").read_bytes()
    csv = (tmp_path / "reports" / "grades.csv").read_bytes()
    one = run([str(small_class / "kim_minji"), "--one"], cwd=tmp_path)
    assert one.returncode == 0, one.stderr
    assert (tmp_path / "reports" / "index.html").read_bytes() == index
    assert (tmp_path / "reports" / "grades.csv").read_bytes() == csv
    assert set(results(tmp_path / "reports" / "kim_minji")) == {"kim_minji"}
    assert str(Path("reports") / "kim_minji" / "index.html") in one.stderr


def test_grading_the_class_folder_from_inside_never_grades_its_reports(small_class: Path) -> None:
    for _ in range(2):
        done = run(["."], cwd=small_class)
        assert done.returncode == 0, done.stderr
    assert set(results(small_class / "reports")) == {"han_sumin", "kim_minji"}


def test_students_no_longer_in_the_class_leave_the_pages_but_stay_in_the_history(small_class: Path,
                                                                                 tmp_path: Path) -> None:
    out = tmp_path / "out"
    copy_sample("jung_haeun.py", small_class / "jung_haeun.py")
    assert run([str(small_class), "--out", str(out)]).returncode == 0
    assert (out / "cards" / "jung_haeun.html").exists() and (out / "gradescope" / "jung_haeun.json").exists()
    (small_class / "jung_haeun.py").unlink()
    done = run([str(small_class), "--out", str(out)])
    assert done.returncode == 0, done.stderr
    assert not (out / "cards" / "jung_haeun.html").exists() and not (out / "gradescope" / "jung_haeun.json").exists()
    assert not (out / ".cards" / "jung_haeun.json").exists()
    assert "jung_haeun" not in (out / "index.html").read_text("utf-8")
    assert (out / ".students" / "jung_haeun.json").exists()  # the history keeps it
    assert sorted(p.stem for p in (out / "cards").glob("*.html")) == ["han_sumin", "kim_minji"]
