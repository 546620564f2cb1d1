"""A submission's conversation with its worker: programs to load, objects to make, calls to run.

Checks talk to the worker only through a `Session`. It loads the programs a check needs (again,
after a worker restart) and turns the worker's answers into values, `Ref`s and exceptions.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator

from .client import StudentError, Worker, WorkerFault
from .replay import NeedAnswer, Replay, ReplayMismatch
from .wire import Ref

__all__ = ["LoadReport", "NeedAnswer", "ProgramSpec", "Ref", "Replay", "ReplayMismatch", "Session", "StudentError",
           "Traced", "WorkerFault"]


@dataclass
class ProgramSpec:
    """Modules to load as one namespace, the names it exports, and names injected from elsewhere."""

    name: str
    modules: list[dict[str, str]]  # {"name", "file", "source"}
    exports: dict[str, str] = field(default_factory=dict)  # graded name -> module name
    fallback: dict[str, str] = field(default_factory=dict)  # import name -> loaded module name
    inject: dict[str, dict[str, tuple[str, str]]] = field(default_factory=dict)
    inject_mode: dict[str, str] = field(default_factory=dict)  # module -> "missing" | "force"
    order: list[str] = field(default_factory=list)
    requires: list[str] = field(default_factory=list)  # programs to load first (the reference)
    root: str = ""
    names: dict[str, str] = field(default_factory=dict)  # graded name -> the student's spelling, where it differs
    compartment: str = "own"  # the worker it is loaded in (see Session._enter)


OWN = "own"  # the compartment of the student's own code: no reference code is ever loaded there


@dataclass
class _Compartment:
    worker: Worker
    loaded: dict[str, LoadReport] = field(default_factory=dict)
    incarnation: int = -1


@dataclass
class LoadReport:
    exports: dict[str, str]
    notes: list[dict[str, Any]]
    stand_ins: list[str]
    seconds: float
    error: str = ""
    injected: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class Traced:
    """A constructor's call with its locals: the object, or what was built before it raised."""

    value: Any
    locals: dict[str, Any]
    partial: Any = None  # the object `__init__` was building when it raised
    error: StudentError | None = None


class Session:
    def __init__(self, worker: Worker, programs: dict[str, ProgramSpec], *, statement_seconds: float = 5.0,
                 spawn: Callable[[], Worker] | None = None) -> None:
        self.programs = programs
        self.statement_seconds = statement_seconds
        self.first_reports: dict[str, LoadReport] = {}
        self.skips: dict[str, list[tuple[str, int]]] = {}
        self.replay: Replay | None = None  # while a batch replays a check's body (`replaying`)
        self._spawn = spawn
        self._compartments: dict[str, _Compartment] = {OWN: _Compartment(worker)}
        self._current = OWN
        self._retired: list[Worker] = []

    # ── compartments ──
    @property
    def worker(self) -> Worker:
        """The worker of the compartment the session is in (where the last program was loaded)."""
        return self._compartments[self._current].worker

    @property
    def generation(self) -> tuple[int, int]:
        """Which worker process objects (Refs) belong to: cached Refs of another generation are gone."""
        return id(self.worker), self.worker.starts

    @property
    def loaded(self) -> dict[str, LoadReport]:
        return self._compartments[self._current].loaded

    def _enter(self, compartment: str) -> None:
        """Go to `compartment`'s worker, started on a fresh copy of the submission the first time.

        The student's own code runs in "own", where no reference code ever exists. Each other
        compartment (a question that needs the reference's layers or parts) gets a worker of its own;
        entering a new one retires the previous one ("own" stays), so that no code the reference gave
        one question is still in memory, or on disk, when another question is graded."""
        if self._spawn is None:
            compartment = OWN
        if not compartment or compartment == self._current:  # "": a library, loaded where it is asked for
            return
        if compartment not in self._compartments:
            for name in [n for n in self._compartments if n != OWN]:
                retired = self._compartments.pop(name).worker
                retired.stop()
                self._retired.append(retired)
            self._compartments[compartment] = _Compartment(self._spawn())
        self._current = compartment

    @property
    def workers(self) -> list[Worker]:
        """Every worker the session has used, retired ones included (their faults and logs count)."""
        return [*self._retired, *(c.worker for c in self._compartments.values())]

    def log(self) -> str:
        return "\n".join(text for text in (w.log() for w in self.workers) if text)

    @property
    def faults(self) -> list[WorkerFault]:
        return [f for w in self.workers for f in w.faults]

    def close(self) -> None:
        for w in self.workers:
            w.cleanup()

    @contextmanager
    def replaying(self, replay: Replay) -> Iterator[Replay]:
        """Within the block, requests are answered from `replay` (see `replay.py`), not sent."""
        self.replay = replay
        try:
            yield replay
        finally:
            self.replay = None

    # ── programs ──
    def load(self, name: str, *, _dependency: bool = False) -> LoadReport:
        spec = self.programs[name]
        if not _dependency:
            self._enter(spec.compartment)
        comp = self._compartments[self._current]
        if self.worker.starts != comp.incarnation or self.worker.current is None:
            comp.loaded.clear()
            if self.worker.current is None:
                self.worker.start()
            comp.incarnation = self.worker.starts
        if name in self.loaded:
            return self.loaded[name]
        for dep in spec.requires:
            self.load(dep, _dependency=True)
        payload = {
            "program": name,
            "spec": {
                "root": str(self.worker.workdir) if spec.root else "", "modules": spec.modules, "exports": spec.exports, "names": spec.names,
                "fallback": spec.fallback,
                "inject": {m: {k: list(v) for k, v in names.items()} for m, names in spec.inject.items()},
                "inject_mode": spec.inject_mode, "order": spec.order or [m["name"] for m in spec.modules],
                "skip": [list(s) for s in self.skips.get(name, [])], "stmt_timeout": self.statement_seconds,
            },
        }
        for _attempt in range(4):
            try:
                raw = self.worker.request("load", payload, timeout=self.worker.limits.load_seconds)
                break
            except WorkerFault as fault:
                # Skip the statement that stopped the worker and try again on a fresh one.
                if fault.kind in ("budget",) or not fault.where:
                    report = LoadReport({}, [], [], 0.0, error=f"{fault.message}")
                    self.loaded[name] = report
                    self.first_reports.setdefault(name, report)
                    raise
                file, _, line = fault.where.rpartition(":")
                self.skips.setdefault(name, []).append((file, int(line or 0)))
                payload["spec"]["skip"] = [list(s) for s in self.skips[name]]
                self.worker.start()
                comp.incarnation = self.worker.starts
                self.loaded.clear()
                for dep in spec.requires:
                    self.load(dep, _dependency=True)
        else:
            raise WorkerFault("crash", "loading the submission stopped the worker again and again")
        report = LoadReport(raw["exports"], raw["notes"], raw["stand_ins"], raw["seconds"],
                            injected=raw.get("injected", {}))
        for file, line in self.skips.get(name, []):
            report.notes.append({"file": file, "line": line, "kind": "stopped",
                                 "message": "this module-level statement stopped the worker; it was skipped"})
        self.loaded[name] = report
        self.first_reports.setdefault(name, report)
        return report

    def has(self, program: str, name: str) -> bool:
        return name in self.load(program).exports

    def export(self, program: str, name: str, module: str, attr: str) -> None:
        """Grade the definition `attr` of `module` as `name` from now on (in this worker and any restarted one)."""
        spec = self.programs[program]
        spec.exports[name] = module
        if attr != name:
            spec.names[name] = attr
        else:
            spec.names.pop(name, None)
        self.load(program)
        self.worker.request("export", {"program": program, "name": name, "module": module, "attr": attr})

    # ── objects ──
    def _req(self, op: str, program: str | None, **payload: Any) -> Any:
        replay = self.replay
        if replay is not None and (replay.ready() or replay.offline):
            return replay.answer(op, payload)
        if program is not None:
            self.load(program)
        elif self.worker.current is None:
            raise WorkerFault("crash", "the worker stopped; the object asked for is gone")
        if replay is not None:
            return replay.answer(op, payload)
        return self.worker.request(op, payload)

    def new(self, program: str, name: str, *args: Any, **kwargs: Any) -> Any:
        """Call a class or function the submission defines: `new("student", "Affine", W, b)`."""
        return self._req("call", program, target={"program": program, "name": name}, args=list(args), kwargs=kwargs)

    def new_traced(self, program: str, name: str, *args: Any, **kwargs: Any) -> Traced:
        """Like `new`, also with the numeric locals of `__init__`; if `__init__` raised, the object as far
        as it was built and the exception (a class's constructor; a function's exception propagates)."""
        out = self._req("call", program, target={"program": program, "name": name}, args=list(args),
                        kwargs=kwargs, trace_locals=True)
        error = out.get("error")
        raised = StudentError(str(error.get("type")), str(error.get("message")), error.get("frames")) if error else None
        return Traced(out["value"], out["locals"], out.get("partial"), raised)

    def signature(self, program: str, name: str) -> list[tuple[str, str, bool]] | None:
        """The parameters of a definition of the program (of the constructor, for a class)."""
        raw = self._req("signature", program, target={"program": program, "name": name})
        return None if raw is None else [(str(n), str(k), bool(d)) for n, k, d in raw]

    def assemble(self, cls: Any, base: Ref | None = None, attrs: dict[str, Any] | None = None,
                 methods: dict[str, Any] | None = None) -> Ref:
        """An instance of `cls` (a Ref, or `{"program", "name"}`) made of objects already in the worker;
        see the worker's `op_assemble` for the specs."""
        program = cls.get("program") if isinstance(cls, dict) else None
        return self._req("assemble", program, cls=cls, base=base, attrs=attrs or {}, methods=methods or {})

    def shares(self, ref: Ref, path: list[Any], holder: Ref) -> list[str]:
        """The attributes of `holder` that hold (not copy) the array at `ref`/`path`."""
        return list(self._req("shares", None, a={"target": ref, "path": [_step(p) for p in path]}, holder=holder))

    def call(self, ref: Ref, method: str, *args: Any, **kwargs: Any) -> Any:
        return self._req("call", None, target=ref, method=method, args=list(args), kwargs=kwargs)

    def get(self, ref: Ref, *path: Any) -> Any:
        return self._req("get", None, target=ref, path=[_step(p) for p in path])

    def attrs(self, ref: Ref) -> dict[str, tuple[str, tuple[int, ...] | None]]:
        """An object's instance attributes: name -> (type name, shape of an array or None)."""
        raw = self._req("attrs", None, target=ref)
        return {k: (v[0], tuple(v[1]) if v[1] is not None else None) for k, v in raw.items()}

    def assign(self, ref: Ref, path: list[Any], value: Any) -> None:
        self._req("assign", None, target=ref, path=[_step(p) for p in path], value=value)

    def same(self, a: Ref, path_a: list[Any], b: Ref, path_b: list[Any]) -> bool:
        return bool(self._req("same", None, a={"target": a, "path": [_step(p) for p in path_a]},
                              b={"target": b, "path": [_step(p) for p in path_b]}))

    def put(self, value: Any) -> Ref:
        return self._req("put", None, value=value)

    def graft(self, program: str, cls_name: str, state: Ref) -> Ref:
        return self._req("graft", program, cls={"program": program, "name": cls_name}, state_from=state)

    def seed(self, seed: int) -> None:
        if self.replay is not None:  # sent with the request that follows it, in the same batch item
            self.replay.seed(seed)
            return
        if self.worker.current is None:  # a fresh worker; programs load again on the next call that needs them
            self.worker.start()
        self.worker.request("seed", {"seed": seed})


def _step(p: Any) -> Any:
    """Path steps: a string is an attribute, `["item", key]` (or a 1-tuple `(key,)`) an item."""
    if isinstance(p, tuple) and len(p) == 1:
        return ["item", p[0]]
    return p
