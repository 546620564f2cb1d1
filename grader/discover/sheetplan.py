"""Answer sheets in the plan: texts for the written and numeric questions, and one program per code
question built from the sheet's code (the student's code for that question, the reference for the rest).
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from .. import refsource
from ..i18n import t
from ..sandbox.session import ProgramSpec
from . import definitions
from .definitions import class_attributes
from .model import CodeAnswer

if TYPE_CHECKING:
    from ..sheets import CodeFragment, Sheet
    from .model import Plan


def add_sheet(plan: Plan, rel: str, text: str) -> None:
    from ..sheets import parse_sheet

    sheet = parse_sheet(text, plan.rubric.ids, format="markdown" if rel.lower().endswith((".md", ".markdown")) else None)
    plan.notes.extend(f"{rel}: {n}" for n in sheet.notes)
    if not any(a.body.strip() for a in sheet.answers.values()):  # nothing answered: say so before anything else
        plan.problems.append(f"{rel}: " + (sheet.notes[0] if sheet.notes else t("sheet.nothing_answered")))
    add_answers(plan, rel, sheet)


def add_answers(plan: Plan, rel: str, sheet: Sheet) -> None:
    """Written/numeric texts, and code questions the Python files did not answer."""
    from ..sheets import question_code

    plan.headed.update(sheet.answers)
    for qid, answer in sheet.answers.items():
        if qid not in plan.texts and answer.body.strip():
            plan.texts[qid] = answer.body
    for qid, name in plan.rubric.layer_questions().items():
        if qid in plan.code or qid not in sheet.answers:
            continue
        frag = question_code(sheet, qid)
        if frag.missing:
            continue
        program = _program(plan, f"q:{qid}", rel, qid, frag.source, forced=False)
        plan.line_maps[f"{rel} §{qid}"] = list(frag.lines)
        plan.code[qid] = _answer(program, name, frag, rel, qid)
        if _defines(frag.source, name):
            plan.own.setdefault(name, program)
            plan.attributes.setdefault(name, class_attributes(frag.source, name))
    _add_network(plan, rel, sheet)


def _add_network(plan: Plan, rel: str, sheet: Sheet) -> None:
    network = plan.network
    if not network:
        return
    rules = _slot_rules()
    student_slot = rules.student_slot
    todo = [q for q in plan.rubric.network_questions() if q not in plan.code and not student_slot(sheet, q).missing]
    if not todo:
        return
    if not plan.with_reference:
        for qid in todo:
            plan.code[qid] = CodeAnswer("", network, student_slot(sheet, qid).source, f"{rel} §{qid}",
                                        notes=[t("note.sheet_network_ta_only")])
        return
    sources = rules.network_sources(sheet)
    for qid in todo:
        frag = sources[qid]
        if frag.missing:
            continue
        program = _program(plan, f"q:{qid}", rel, qid, frag.source, forced=True)
        plan.line_maps[f"{rel} §{qid}"] = list(frag.lines)
        plan.code[qid] = _answer(program, network, student_slot(sheet, qid), rel, qid, extra=frag.notes)
    if network not in plan.own:
        whole = rules.network_whole(sheet)
        if not whole.missing:
            # The student's own layers join the network where they can run it (forward and backward).
            layers = "\n\n".join(src for q in plan.rubric.layer_questions() if q in sheet.answers
                                 for src in [question_code(sheet, q).source] if _has_method(src, "backward"))
            source = f"{layers}\n\n{whole.source}" if layers else whole.source
            whole_id = _common_prefix(plan.rubric.network_questions())
            plan.own[network] = _program(plan, "q:whole", rel, whole_id, source, forced=False)


def _slot_rules():  # noqa: ANN202 - the assignment's module of slot rules
    """How the assignment cuts its network class in a sheet into its questions (`Assignment.slots`):
    `student_slot(sheet, qid)`, `network_sources(sheet)`, `network_whole(sheet)`."""
    import importlib

    from ..assignment import current

    return importlib.import_module(current().slots)


def _common_prefix(ids: tuple[str, ...]) -> str:
    """The section number the network questions share ("7.5.1.2" … "7.5.1.6" → "7.5.1")."""
    parts = [i.split(".") for i in ids]
    common = []
    for level in zip(*parts):
        if len(set(level)) > 1:
            break
        common.append(level[0])
    return ".".join(common) or "network"


def _has_method(source: str, method: str) -> bool:
    return any(isinstance(n, ast.FunctionDef) and n.name == method for n in ast.walk(_tree(source)))


def question_code(sheet: Sheet, qid: str) -> CodeFragment:
    from ..sheets import question_code as qc

    return qc(sheet, qid)


def _defines(source: str, name: str) -> bool:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return False
    return any(isinstance(n, (ast.ClassDef, ast.FunctionDef)) and n.name == name for n in tree.body)


def _program(plan: Plan, name: str, rel: str, qid: str, source: str, *, forced: bool) -> str:
    """One module holding the sheet's code, with the reference (or numpy only, in a self-check) for the rest."""
    module = "sheet_" + qid.replace(".", "_").replace(":", "_")
    names = {n.id for n in ast.walk(_tree(source)) if isinstance(n, ast.Name)}
    provided = {k: v for k, v in refsource.provided(with_reference=plan.with_reference).items() if k in names}
    inject = dict(provided)
    if forced:
        inject.update(refsource.isolating(with_reference=plan.with_reference))
    exports = {n: module for n in definitions.sheet_exports(plan.rubric) if _defines(source, n)}
    plan.programs[name] = ProgramSpec(
        name, [{"name": module, "file": f"{rel} §{qid}", "source": source}], exports,
        refsource.fallback(with_reference=plan.with_reference), inject={module: inject},
        inject_mode={module: "force" if forced else "missing"},
        requires=refsource.requires(with_reference=plan.with_reference and forced), root=str(plan.submission.root),
        compartment=f"net:{qid}" if forced and plan.with_reference else "own")
    return name


def _tree(source: str) -> ast.AST:
    try:
        return ast.parse(source)
    except SyntaxError:
        return ast.Module(body=[], type_ignores=[])


def _answer(program: str, name: str, frag: CodeFragment, rel: str, qid: str,
            extra: list[str] | None = None) -> CodeAnswer:
    notes = list(frag.notes) + list(extra or [])
    return CodeAnswer(program, name, frag.source, f"{rel} §{qid}", notes=list(dict.fromkeys(notes)))
