"""Which definition of a graded name is graded: found by spelling and kind, chosen by evidence.

Students spell names their own way (`ReLU` for `Relu`, a near miss, an alias), leave stubs in
scratch files beside the real class, and copy the book's `common/` beside their own work. For each
name the grader needs (the assignment's `Names.graded`), every module-level definition of the right kind (a class or a function,
as the assignment declares it) whose name is the name, a known alias of it or a near miss, is a
candidate. They are ranked:

1. a definition with a body beats a stub (`pass`, `...`, `raise NotImplementedError`, a docstring);
2. the student's own file beats a copy of the book's provided library (`common/`), so the book's
   code never earns the points of a student whose own class is misnamed;
3. the exact name beats a different capitalisation, an alias, then a near miss;
4. a file whose network uses it (it defines a class of `Names.key_methods`) beats one that does not; then
   the later file.

Candidates left tied after 1–3 that are layers graded by a question (`Names.probed`) are graded by the
runner before the question is (`Choice.probe`), and the best-working one is kept.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from ..i18n import t
from ..names import near, normal
from .python import Source



def _graded():  # noqa: ANN202 - the assignment's Names: what it grades, and how students spell it
    from ..assignment import current

    return current().names


SPELLING = ("exact", "case", "alias", "near")


def sheet_exports(rubric) -> tuple[str, ...]:  # noqa: ANN001 - a Rubric
    """The names a program built from a sheet's code block answers: what the code questions grade, and
    the helpers a block may define beside them."""
    return tuple(dict.fromkeys([q.grades for q in rubric.questions if q.kind == "code"] + list(_graded().sheet_helpers)))


@dataclass
class Definition:
    source: Source
    name: str  # as the student spelled it
    spelling: str  # "exact" | "case" | "alias" | "near"
    stub: bool
    provided: bool  # in a copy of the book's library (common/)

    @property
    def file(self) -> str:
        return self.source.file

    def rank(self) -> tuple[int, int, int]:
        return (int(self.stub), int(self.provided), SPELLING.index(self.spelling))


@dataclass
class Choice:
    """The definition graded for a name, the others, why, and the tied ones the runner should grade."""

    graded: str  # the name the grader asks for ("Relu")
    chosen: Definition
    others: list[Definition] = field(default_factory=list)
    probe: list[Definition] = field(default_factory=list)  # tied candidates to grade (chosen among them)

    def why(self, scores: str = "") -> str:
        """A note for the card: which files held a definition, which one is graded, and why
        (`scores`: what each tied candidate earned, once the runner has graded them)."""
        if not self.others and self.chosen.spelling == "exact":
            return ""
        chosen = self.chosen
        if not self.others:
            return t("note.definition_spelled", graded=self.graded, name=chosen.name, file=chosen.file)
        files = ", ".join(f"{d.file} ({d.name})" if d.name != self.graded else d.file for d in [chosen, *self.others])
        loser = self.others[0]
        if loser.stub and not chosen.stub:
            reason = t("note.definition_why.stub", file=loser.file)
        elif loser.provided and not chosen.provided:
            reason = t("note.definition_why.own", file=loser.file)
        elif SPELLING.index(loser.spelling) > SPELLING.index(chosen.spelling):
            reason = t("note.definition_why.spelling", name=chosen.name)
        elif self.probe and scores:
            reason = t("note.definition_why.works", scores=scores)
        else:
            reason = t("note.definition_why.last")
        return t("note.definition_chosen", graded=self.graded, files=files, file=chosen.file, name=chosen.name,
                 why=reason)


def spelling(graded: str, name: str) -> str | None:
    if name == graded:
        return "exact"
    if normal(name) == normal(graded):
        return "case"
    if normal(name) in _graded().aliases.get(graded, ()):
        return "alias"
    if near(name, graded):
        return "near"
    return None


def candidates(graded: str, sources: list[Source]) -> list[Definition]:
    """Every module-level definition of the right kind that spells `graded` one way or another."""
    kind = ast.ClassDef if graded in _graded().classes else (ast.FunctionDef, ast.AsyncFunctionDef)
    found = []
    for src in sources:
        for name, node in src.definitions.items():
            how = spelling(graded, name)
            if how is None or not isinstance(node, kind):
                continue
            # A name that is itself another graded name belongs to it (softmax is not SoftmaxWithLoss).
            if how != "exact" and name in _graded().graded:
                continue
            found.append(Definition(src, name, how, is_stub(graded, node), _provided(src.file)))
    return found


def choose(graded: str, sources: list[Source]) -> Choice | None:
    found = candidates(graded, sources)
    if not found:
        return None
    order = {id(s): i for i, s in enumerate(sources)}
    uses = {id(s) for s in sources if any(n in s.definitions for n in _graded().key_methods)}
    ranked = sorted(found, key=lambda d: (*d.rank(), id(d.source) not in uses, -order[id(d.source)]))
    best = ranked[0]
    tied = [d for d in ranked if d.rank() == best.rank()]
    probe = tied if graded in _graded().probed and len(tied) > 1 and not best.stub else []
    return Choice(graded, best, ranked[1:], probe)


def is_stub(graded: str, node: ast.stmt) -> bool:
    """A definition that does nothing yet: its key methods (forward; a network's own methods) are stubs."""
    if isinstance(node, ast.ClassDef):
        methods = {m.name: m for m in node.body if isinstance(m, (ast.FunctionDef, ast.AsyncFunctionDef))}
        keys = [methods[m] for m in _graded().key_methods.get(graded, ("forward",)) if m in methods]
        return not keys or all(_empty(m.body) for m in keys)
    return _empty(getattr(node, "body", []))


def _empty(body: list[ast.stmt]) -> bool:
    for stmt in body:
        if isinstance(stmt, ast.Pass):
            continue
        if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant):  # a docstring or `...`
            continue
        if isinstance(stmt, ast.Return) and (stmt.value is None or
                                             (isinstance(stmt.value, ast.Constant) and stmt.value.value is None)):
            continue
        if isinstance(stmt, ast.Raise) and _names(stmt.exc) & {"NotImplementedError", "NotImplemented"}:
            continue
        return False
    return True


def _names(node: ast.AST | None) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)} if node is not None else set()


def _provided(file: str) -> bool:
    return any(part in _graded().provided_folders for part in PurePosixPath(file).parts[:-1])


def assigned_attributes(node: ast.AST) -> set[str]:
    """The attributes a class sets on its instances (`self.dw = …`, `self.W, self.b = …`)."""
    names: set[str] = set()
    for sub in ast.walk(node):
        targets: list[ast.AST] = []
        if isinstance(sub, ast.Assign):
            targets = list(sub.targets)
        elif isinstance(sub, (ast.AugAssign, ast.AnnAssign)):
            targets = [sub.target]
        for target in targets:
            for node_ in ast.walk(target):
                if isinstance(node_, ast.Attribute) and isinstance(node_.value, ast.Name) and node_.value.id == "self":
                    names.add(node_.attr)
    return names


def class_attributes(source: str, name: str) -> set[str]:
    """`assigned_attributes` of the class `name` defined at the top of `source` (empty if none)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set()
    node = next((n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == name), None)
    return assigned_attributes(node) if node is not None else set()
