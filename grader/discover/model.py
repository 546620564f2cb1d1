"""The grading plan's data: which program answers which question (`Plan`), and each code answer.

Built by `plan.make_plan` (Python files, notebooks, documents) and `sheetplan` (answer sheets);
neither imports the other's module for these types.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..sandbox.session import ProgramSpec
from .submission import Submission


@dataclass
class CodeAnswer:
    program: str  # the program whose exports answer the question
    name: str  # the graded name in it
    answer: str  # the code shown as the student's answer
    source: str  # where it came from, for the card
    isolated: bool = True  # False: the question's code runs on the student's own layers too
    notes: list[str] = field(default_factory=list)


@dataclass
class Plan:
    submission: Submission
    programs: dict[str, ProgramSpec] = field(default_factory=dict)
    code: dict[str, CodeAnswer] = field(default_factory=dict)
    own: dict[str, str] = field(default_factory=dict)  # graded name -> program running the student's own code
    line_maps: dict[str, list[int]] = field(default_factory=dict)  # "sheet.md §3.1.2" -> sheet line of each code line
    texts: dict[str, str] = field(default_factory=dict)  # answers of written and numeric questions
    headed: set[str] = field(default_factory=set)  # questions whose number a sheet shows (maybe with a lost image)
    pictures: list[Any] = field(default_factory=list)  # sheets.Picture of the documents, in order
    notes: list[str] = field(default_factory=list)
    with_reference: bool = False
    files: list[str] = field(default_factory=list)
    choices: dict[str, Any] = field(default_factory=dict)  # graded name -> definitions.Choice (Python sources)
    # graded layer name -> the attributes the student's own class of it sets (`dw`, `weight`): how
    # the student's other code may read a layer of that kind
    attributes: dict[str, set[str]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)  # what is wrong with the files themselves: said first
    rubric: Any = None  # the run's Rubric: which questions there are, what each code question grades

    @property
    def network(self) -> str:
        """The class the network questions grade ("" where the assignment has none)."""
        return next((q.grades for q in self.rubric.questions if q.kind == "code" and q.network), "")

    def problem(self, text: str) -> None:
        """A note that explains why answers are missing (a syntax error, an unreadable file)."""
        self.notes.append(text)
        self.problems.append(text)
