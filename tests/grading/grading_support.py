"""Paths and small helpers shared by the grader's tests."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "submissions"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def question_points(student: dict) -> dict[str, float]:
    return {q["id"]: q["points"] for q in student["questions"]}
