"""The rubric is the one source of the assignment's questions: a new written question is one TOML edit."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from grader.rubric import DEFAULT_RUBRIC, load_rubric

NEW_QUESTION = '''
[[questions]]
id = "8.5.1"
title = "전이 학습(transfer learning)이란 무엇인지 설명하시오."
kind = "written"
points = 2
title_en = "Explain what transfer learning is."

  [[questions.items]]
  id = "8.5.1.pretrained"
  points = 2
  description = "미리 학습된 가중치를 다른 과제에 다시 쓴다"
  ko = ["학습된 가중치.{0,20}(다시|재|초깃값)", "사전 학습"]
  en = ["pre-?trained weights"]
'''


def _rubric_with_a_new_question(tmp_path: Path) -> Path:
    text = DEFAULT_RUBRIC.read_text("utf-8").replace("max_points = 100", "max_points = 102", 1)
    path = tmp_path / "rubric.toml"
    path.write_text(text + NEW_QUESTION, "utf-8")
    return path


def test_a_new_written_question_is_graded_from_the_rubric_alone(tmp_path: Path) -> None:
    rubric = _rubric_with_a_new_question(tmp_path)
    assert load_rubric(rubric).ids[-1] == "8.5.1"
    cls = tmp_path / "class"
    (cls / "lee").mkdir(parents=True)
    (cls / "lee" / "answers.md").write_text(
        "## 8.4.3\n\n잘 모르겠습니다.\n\n## 8.5.1\n\n다른 데이터로 사전 학습한 신경망의 학습된 가중치를 초깃값으로 다시 쓰는 방법이다.\n",
        "utf-8")
    out = tmp_path / "reports"
    done = subprocess.run([sys.executable, "-m", "grader.cli", str(cls), "--rubric", str(rubric), "--out", str(out),
                           "-j", "1"], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    student = json.loads((out / "results.json").read_text("utf-8"))["students"][0]
    question = next(q for q in student["questions"] if q["id"] == "8.5.1")
    assert question["points"] == 2 and question["max_points"] == 2
    assert student["max_points"] == 102
    assert "8.5.1" in (out / "index.html").read_text("utf-8")


def test_a_rubric_that_leaves_out_a_question_of_the_assignment_is_an_error(tmp_path: Path) -> None:
    text = DEFAULT_RUBRIC.read_text("utf-8")
    start = text.index('[[questions]]\nid = "8.4.3"')
    cut = tmp_path / "rubric.toml"
    cut.write_text(text[:start], "utf-8")
    done = subprocess.run([sys.executable, "-m", "grader.cli", "check", str(tmp_path), "--rubric", str(cut)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 2
    assert "8.4.3" in done.stderr + done.stdout and "Traceback" not in done.stderr
