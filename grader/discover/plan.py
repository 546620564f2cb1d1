"""From a submission's files to a grading plan: which program answers which question.

Principle 4 of the contract, "one bug costs once", is decided here. A code question is graded on
the student's code for that question; everything else the question's code needs comes from the
student where present, else from the reference. The network questions (`network = true` in the
rubric) run the student's network on the reference's layers (the "isolated" program), and the end-to-end item
runs it on the student's own layers (the "student" program).
"""

from __future__ import annotations

from typing import Any

from .. import refsource
from ..assignment import current
from ..i18n import t
from ..sheets.decode import decode_text, encoding_note, looks_binary
from ..sandbox.session import ProgramSpec
from . import definitions
from .model import CodeAnswer, Plan
from .python import Source, aliases, module_name
from .submission import CODE_SUFFIXES, DOCUMENT_SUFFIXES, SHEET_SUFFIXES, Submission

def make_plan(sub: Submission, *, with_reference: bool, rubric: Any = None) -> Plan:
    """`rubric`: the run's (default: the assignment's own): its question numbers are the headings
    sheets are read by, and its code questions say what they grade."""
    if rubric is None:
        from ..rubric import default_rubric

        rubric = default_rubric()
    with_reference = with_reference and refsource.reference_modules() is not None
    plan = Plan(sub, with_reference=with_reference, files=[str(f) for f in sub.files], rubric=rubric)
    plan.notes.extend(sub.notes)
    plan.programs[refsource.BOOK] = ProgramSpec(refsource.BOOK, refsource.book_modules(), compartment="")
    if with_reference:
        plan.programs[refsource.PROGRAM] = ProgramSpec(
            refsource.PROGRAM, refsource.reference_modules() or [], exports=refsource.reference_exports(),
            compartment="")
        for method, modules in refsource.beside_modules().items():
            program = refsource.beside()[method]
            plan.programs[program] = ProgramSpec(program, modules, exports={method: program}, compartment="")

    sources: list[Source] = []
    sheets: list[tuple[str, Any]] = []  # (file, its text or an already parsed Sheet)
    for rel in sub.files:
        path = sub.root / rel
        try:
            data = path.read_bytes()
        except OSError as exc:
            plan.problem(t("note.unreadable", file=rel, error=exc.strerror))
            continue
        suffix = path.suffix.lower()
        if suffix == ".ipynb":
            _add_notebook(plan, str(rel), data, sources, sheets)
            continue
        if suffix in DOCUMENT_SUFFIXES:
            _add_document(plan, str(rel), data, sheets)
            continue
        text, encoding = decode_text(data)
        why = looks_binary(text)
        if why:
            plan.problem(t("note.binary", file=rel, why=why))
            continue
        note = encoding_note(encoding, str(rel))
        if note:
            plan.notes.append(note)
        if suffix in CODE_SUFFIXES:
            src = Source.parse(module_name(str(rel)), str(rel), text)
            if src.syntax_error:
                plan.problem(t("note.syntax_file", error=src.syntax_error))
            sources.append(src)
        elif suffix in SHEET_SUFFIXES:
            sheets.append((str(rel), text))

    _plan_python(plan, sources)
    for rel, sheet in sheets:
        try:
            _plan_sheet(plan, rel, sheet)
        except Exception as exc:  # noqa: BLE001 - a pathological sheet (RecursionError, MemoryError) is a note
            plan.notes.append(t("note.file_failed", file=rel, error=f"{type(exc).__name__}: {exc}"))
    return plan


def _plan_python(plan: Plan, sources: list[Source]) -> None:
    if not sources:
        return
    table = aliases(sources)
    modules = [{"name": name, "file": s.file, "source": s.text} for name, s in table.items()]
    exports: dict[str, str] = {}
    names: dict[str, str] = {}  # graded name -> the student's spelling, where it differs
    graded = current().names
    for name in graded.graded:
        choice = definitions.choose(name, sources)
        if choice is None:
            continue
        exports[name] = choice.chosen.source.module
        if choice.chosen.name != name:
            names[name] = choice.chosen.name
        plan.choices[name] = choice
        if name in graded.classes:
            plan.attributes[name] = definitions.assigned_attributes(choice.chosen.source.definitions[choice.chosen.name])
        if choice.why() and not choice.probe:  # tied candidates are noted once the runner has graded them
            plan.notes.append(choice.why())
    if not exports:
        return
    root = str(plan.submission.root)
    fallback = refsource.fallback(with_reference=plan.with_reference)
    requires = refsource.requires(with_reference=False)  # the student's own code: never beside the reference
    provided = refsource.provided(with_reference=plan.with_reference)
    own = [s.module for s in sources]
    used = {s.module: {n: v for n, v in provided.items() if n in s.used} for s in sources}
    plan.programs["student"] = ProgramSpec(
        "student", modules, exports, fallback, names=dict(names),
        inject=used, inject_mode={m: "missing" for m in own},
        order=own, requires=requires, root=root)
    plan.own.update({name: "student" for name in exports})
    for qid, (name, methods) in plan.rubric.code_questions().items():
        if name in plan.choices:
            plan.code[qid] = code_answer(plan.choices[name].chosen, name, methods)
    network = plan.network
    if network and network in exports:
        # The network questions run the student's network on layers that are not the student's (the
        # reference's in the TA's run; the book's Relu, Affine, SoftmaxWithLoss in a self-check, which
        # keeps the student's own answers to the layer questions and so waits for them to pass).
        net_module = exports[network]
        forced = refsource.isolating(with_reference=plan.with_reference)
        # The student's own spellings of those layers (ReLU for Relu) are replaced too.
        forced.update({names[n]: forced[n] for n in list(forced) if n in names})
        inject = dict(used)
        inject[net_module] = {**used[net_module], **forced}
        plan.programs["isolated"] = ProgramSpec(
            "isolated", modules, {network: net_module}, fallback, inject=inject,
            names={k: v for k, v in names.items() if k == network},
            inject_mode={**{m: "missing" for m in own}, net_module: "force"},
            order=own, requires=refsource.requires(with_reference=plan.with_reference), root=root,
            compartment="net" if plan.with_reference else "own")
        for qid in plan.rubric.network_questions():
            if qid not in plan.code:
                continue
            plan.code[qid].program = "isolated"
            plan.code[qid].isolated = plan.with_reference


def code_answer(chosen: definitions.Definition, name: str, methods: tuple[str, ...]) -> CodeAnswer:
    """The answer a question shows: the graded definition (or the methods the question asks for)."""
    src = chosen.source
    answer = src.segment(chosen.name, methods) or src.segment(chosen.name)
    return CodeAnswer("student", name, answer, src.file)


def _add_notebook(plan: Plan, rel: str, data: bytes, sources: list[Source], sheets: list[tuple[str, Any]]) -> None:
    try:
        from ..sheets import read_notebook
    except ImportError:  # pragma: no cover - the sheets package ships with the grader
        plan.notes.append(t("note.no_nbformat", file=rel))
        return
    nb = read_notebook(data, plan.rubric.ids)
    plan.notes.extend(f"{rel}: {n}" for n in nb.notes)
    if nb.code.strip():
        src = Source.parse(module_name(rel), rel, nb.code)
        if src.syntax_error:
            plan.problem(t("note.syntax", error=src.syntax_error))
        sources.append(src)
    sheets.append((rel, nb.sheet))


def _add_document(plan: Plan, rel: str, data: bytes, sheets: list[tuple[str, Any]]) -> None:
    """A Word, PDF or Hangul sheet: its answers as a parsed Sheet, its pictures, its notes."""
    from ..sheets.documents import read_document

    sheet = read_document(data, rel, plan.rubric.ids)
    plan.notes.extend(sheet.notes)
    plan.pictures.extend(sheet.pictures)
    sheets.append((rel, sheet))


def _plan_sheet(plan: Plan, rel: str, sheet: Any) -> None:
    """Answer sheets (.md, .txt, a notebook's cells): texts, and code for questions the .py files lack."""
    from . import sheetplan

    if isinstance(sheet, str):
        sheetplan.add_sheet(plan, rel, sheet)
    else:
        sheetplan.add_answers(plan, rel, sheet)

