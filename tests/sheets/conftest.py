"""Fixtures of the sheet tests: the rubric's question ids and the seed answer sheet (a copy)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from grader.sheets import Sheet, parse_sheet

DATA = Path(__file__).parent / "data"
RUBRIC = Path(__file__).parents[2] / "assignments" / "a5_cnn" / "rubric.toml"


@pytest.fixture(scope="session")
def rubric() -> dict:
    with RUBRIC.open("rb") as f:
        return tomllib.load(f)


@pytest.fixture(scope="session")
def question_ids(rubric) -> list[str]:
    return [q["id"] for q in rubric["questions"]]


@pytest.fixture(scope="session")
def seed_text() -> str:
    return (DATA / "seed_sheet.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seed(seed_text, question_ids) -> Sheet:
    return parse_sheet(seed_text, question_ids)


@pytest.fixture(scope="session")
def markdown(question_ids) -> Sheet:
    return parse_sheet((DATA / "markdown_sheet.md").read_text(encoding="utf-8"), question_ids)
