"""The worker: the only process that runs student code.

It loads a submission's sources as "programs" (isolated module namespaces), then answers the
grader's requests over a private pair of pipes: construct an object, call a method, read an
attribute, write into an array. It never judges anything: it returns plain values and the grader
compares them. Run as a script, `python -I worker.py REQ_FD RESP_FD`; it imports numpy and the
standard library only, so a sandbox needs nothing of the grader but this file and `wire.py`.
"""

from __future__ import annotations

import ast
import builtins
import importlib.abc
import importlib.machinery
import importlib.util
import os
import signal
import sys
import time
import traceback
import types
from typing import Any

_HERE = os.path.dirname(os.path.abspath(__file__))


def _load_wire() -> types.ModuleType:
    spec = importlib.util.spec_from_file_location("_grader_wire", os.path.join(_HERE, "wire.py"))
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["_grader_wire"] = module
    spec.loader.exec_module(module)
    return module


wire = _load_wire()
MAX_OUT = int(os.environ.get("GRADER_MAX_OUTPUT", str(64 << 20)))
MAX_IN = 256 << 20
STAND_IN_LIBS = ("matplotlib", "PIL", "IPython", "tqdm", "seaborn", "google.colab", "cv2", "pylab")


class StatementTimeout(BaseException):
    """Raised by the alarm when one top-level statement of a module runs too long."""


# ── inert stand-ins for display libraries ───────────────────────────────────────────────────────

class Inert:
    """Accepts anything and does nothing: `plt.plot(...)`, `Image.open(...).show()`, `tqdm(xs)`."""

    def __init__(self, name: str = "") -> None:
        object.__setattr__(self, "_name", name)

    def __getattr__(self, name: str) -> Inert:
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return Inert(f"{self._name}.{name}")

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if self._name.rsplit(".", 1)[-1] in ("tqdm", "trange", "notebook_tqdm") and args:
            return range(args[0]) if self._name.endswith("trange") else args[0]
        return Inert(self._name + "()")

    def __iter__(self):  # noqa: ANN204
        return iter(())

    def __enter__(self) -> Inert:
        return self

    def __exit__(self, *exc: Any) -> bool:
        return False

    def __setattr__(self, name: str, value: Any) -> None:
        pass

    def __bool__(self) -> bool:
        return False

    def __len__(self) -> int:
        return 0

    def __getitem__(self, key: Any) -> Inert:
        return Inert(self._name + "[]")

    def __mro_entries__(self, bases: tuple) -> tuple:
        return (object,)


class StandInModule(types.ModuleType):
    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return Inert(f"{self.__name__}.{name}")


class StandInFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Serves inert modules for plotting and display libraries: plots never decide a grade."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> Any:
        if any(fullname == lib or fullname.startswith(lib + ".") for lib in STAND_IN_LIBS):
            self.used.add(fullname.split(".")[0])
            return importlib.machinery.ModuleSpec(fullname, self, is_package=True)
        return None

    def create_module(self, spec: Any) -> types.ModuleType:
        module = StandInModule(spec.name)
        module.__path__ = []
        return module

    def exec_module(self, module: types.ModuleType) -> None:
        return None


# ── programs: a submission's modules, loaded into their own namespaces ───────────────────────────

class ProgramFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Resolves imports among a program's own files (`from common.layers import *`), then its fallbacks."""

    def __init__(self, worker: Worker) -> None:
        self.worker = worker
        self.program: Program | None = None

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> Any:
        program = self.program
        if program is None:
            return None
        if fullname in program.sources or fullname in program.packages:
            return importlib.machinery.ModuleSpec(fullname, self, is_package=fullname in program.packages)
        target_name = program.fallback.get(fullname)
        if target_name is not None and target_name in self.worker.modules:
            return importlib.machinery.ModuleSpec(fullname, _Alias(self.worker.modules[target_name]))
        return None

    def create_module(self, spec: Any) -> types.ModuleType:
        module = types.ModuleType(spec.name)
        if spec.name in self.program.packages:  # type: ignore[union-attr]
            module.__path__ = []
        return module

    def exec_module(self, module: types.ModuleType) -> None:
        program = self.program
        assert program is not None
        program.modules[module.__name__] = module
        if module.__name__ in program.sources:
            file, source = program.sources[module.__name__]
            module.__file__ = os.path.join(program.root, file)
            self.worker.run_tolerant(program, module, file, source)


class _Alias(importlib.abc.Loader):
    def __init__(self, module: types.ModuleType) -> None:
        self.module = module

    def create_module(self, spec: Any) -> types.ModuleType:
        return self.module

    def exec_module(self, module: types.ModuleType) -> None:
        return None


class Program:
    def __init__(self, name: str, spec: dict[str, Any]) -> None:
        self.name = name
        self.root = spec.get("root") or os.getcwd()
        self.sources = {m["name"]: (m["file"], m["source"]) for m in spec["modules"]}
        self.packages = set()
        for modname in self.sources:
            parts = modname.split(".")
            self.packages.update(".".join(parts[:i]) for i in range(1, len(parts)))
        self.fallback: dict[str, str] = spec.get("fallback", {})
        self.skip = {(f, int(line)) for f, line in spec.get("skip", [])}
        self.stmt_timeout = float(spec.get("stmt_timeout", 5.0))
        self.modules: dict[str, types.ModuleType] = {}
        self.notes: list[dict[str, Any]] = []
        self.exports: dict[str, Any] = {}
        self.injected: dict[str, list[str]] = {}


def _is_definition(node: ast.stmt) -> bool:
    if isinstance(node, (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return True
    if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
        return isinstance(node.value, (ast.Constant, ast.Dict, ast.List, ast.Tuple, ast.Name, ast.Attribute))
    return False


def _is_main_guard(node: ast.stmt) -> bool:
    if not isinstance(node, ast.If) or not isinstance(node.test, ast.Compare):
        return False
    names = [n.id for n in ast.walk(node.test) if isinstance(n, ast.Name)]
    return "__name__" in names


class Worker:
    def __init__(self, req_fd: int, resp_fd: int) -> None:
        self.req_fd, self.resp_fd = req_fd, resp_fd
        self.objects: dict[int, Any] = {}
        self.ids: dict[int, int] = {}  # id(obj) -> handle
        self.next_id = 1
        self.modules: dict[str, types.ModuleType] = {}  # every loaded module by "program:name"
        self.programs: dict[str, Program] = {}
        self.finder = ProgramFinder(self)
        self.stand_ins = StandInFinder()
        self.seq = 0
        sys.meta_path.insert(0, self.finder)
        sys.meta_path.insert(1, self.stand_ins)

    # ── protocol ──
    def send(self, header: dict[str, Any], arrays: list[bytes] | None = None) -> None:
        wire.write_message(self.resp_fd, {"seq": self.seq, **header}, arrays or [])

    def serve(self) -> None:
        while True:
            try:
                header, arrays = wire.read_message(self.req_fd, MAX_IN)
            except EOFError:
                return
            self.seq = header.get("seq", 0)
            op = header.get("op")
            if op == "batch":
                self.run_batch(header, arrays)
                continue
            handler = getattr(self, "op_" + str(op), None)
            if handler is None:
                self.send({"ok": False, "error": {"type": "ProtocolError", "message": f"unknown op {op!r}"}})
                continue
            try:
                payload = wire.decode(header.get("payload"), arrays)
                result = handler(**payload)
                out: list[bytes] = []
                encoded = wire.encode(result, out, MAX_OUT, self.make_ref)
                self.send({"ok": True, "value": encoded}, out)
            except wire.WireError as exc:
                self.send({"ok": False, "error": {"type": "OutputRefused", "message": str(exc)}})
            except RecursionError as exc:
                self.send({"ok": False, "error": describe(exc)})
            except Exception as exc:  # noqa: BLE001 - any student exception is a result to report
                self.send({"ok": False, "error": describe(exc)})

    def run_batch(self, header: dict[str, Any], arrays: list) -> None:
        """Answer many requests in one round trip: one frame per item as it finishes, then a last frame.

        An item is a list of steps run in order (a `seed` before the call it belongs to); its answer
        is the last step's value, or the first exception. Answering item by item lets the grader
        give each item the whole call time limit and keep the answers that came before a hang.
        """
        try:
            items = wire.decode(header.get("payload"), arrays)["items"]
        except (wire.WireError, KeyError, TypeError, IndexError) as exc:
            self.send({"ok": False, "error": {"type": "ProtocolError", "message": f"bad batch: {exc}"}})
            return
        for i, steps in enumerate(items):
            try:
                result = None
                for step in steps:
                    handler = getattr(self, "op_" + str(step["op"]), None)
                    if handler is None or step["op"] in ("load", "hello"):
                        raise LookupError(f"op {step['op']!r} cannot be batched")
                    result = handler(**step["payload"])
                out: list[bytes] = []
                encoded = wire.encode(result, out, MAX_OUT, self.make_ref)
                self.send({"item": i, "ok": True, "value": encoded}, out)
            except wire.WireError as exc:
                self.send({"item": i, "ok": False, "error": {"type": "OutputRefused", "message": str(exc)}})
            except Exception as exc:  # noqa: BLE001 - any student exception is a result to report
                self.send({"item": i, "ok": False, "error": describe(exc)})
        self.send({"ok": True, "value": len(items)})

    def make_ref(self, obj: Any) -> dict[str, Any]:
        handle = self.ids.get(id(obj))
        if handle is None or self.objects.get(handle) is not obj:
            handle = self.next_id
            self.next_id += 1
            self.objects[handle] = obj
            self.ids[id(obj)] = handle
        cls = type(obj)
        bases = [c.__name__ for c in cls.__mro__[1:] if c is not object]
        kind = "class" if isinstance(obj, type) else "function" if callable(obj) and not hasattr(obj, "__dict__") else ""
        return {"$ref": handle, "type": obj.__name__ if isinstance(obj, type) else cls.__name__,
                "bases": bases + ([kind] if kind else [])}

    def resolve(self, target: Any) -> Any:
        if isinstance(target, wire.Ref):
            try:
                return self.objects[target.id]
            except KeyError:
                raise LookupError(f"no object #{target.id} in the worker") from None
        if isinstance(target, dict) and "program" in target:
            program = self.programs[target["program"]]
            name = target["name"]
            if name not in program.exports:
                raise NameError(f"{name} is not defined in the submission")
            return program.exports[name]
        raise LookupError(f"bad target {target!r}")

    def arg(self, value: Any) -> Any:
        if isinstance(value, wire.Ref):
            return self.resolve(value)
        if isinstance(value, list):
            return [self.arg(v) for v in value]
        if isinstance(value, tuple):
            return tuple(self.arg(v) for v in value)
        if isinstance(value, dict):
            return {k: self.arg(v) for k, v in value.items()}
        return value

    # ── loading ──
    def run_tolerant(self, program: Program, module: types.ModuleType, file: str, source: str) -> None:
        """Execute a module statement by statement: demo code that fails or hangs is skipped, noted."""
        try:
            tree = ast.parse(source, filename=file)
        except SyntaxError as exc:
            program.notes.append({"file": file, "line": exc.lineno or 0, "kind": "syntax",
                                  "message": f"{exc.msg}", "text": (exc.text or "").strip()})
            return
        module.__dict__.setdefault("__builtins__", builtins)
        for node in tree.body:
            if _is_main_guard(node):
                continue
            if (file, node.lineno) in program.skip:
                program.notes.append({"file": file, "line": node.lineno, "kind": "skipped",
                                      "message": "skipped after it stopped the worker in an earlier attempt"})
                continue
            self.send({"progress": {"file": file, "line": node.lineno}})
            code = compile(ast.Module(body=[node], type_ignores=[]), os.path.join(program.root, file), "exec")
            timed = not _is_definition(node)
            try:
                if timed:
                    signal.setitimer(signal.ITIMER_REAL, program.stmt_timeout)
                exec(code, module.__dict__)  # noqa: S102 - this process exists to run student code
            except StatementTimeout:
                program.notes.append({"file": file, "line": node.lineno, "kind": "timeout",
                                      "message": f"module-level code ran over {program.stmt_timeout:g} s"})
            except SystemExit as exc:
                program.notes.append({"file": file, "line": node.lineno, "kind": "exit",
                                      "message": f"sys.exit({exc.code!r}) at import"})
            except BaseException as exc:  # noqa: BLE001
                if isinstance(exc, KeyboardInterrupt):
                    raise
                info = describe(exc)
                program.notes.append({"file": file, "line": node.lineno, "kind": "error",
                                      "message": f"{info['type']}: {info['message']}"})
            finally:
                if timed:
                    signal.setitimer(signal.ITIMER_REAL, 0)

    def op_hello(self) -> dict[str, Any]:
        import numpy

        return {"pid": os.getpid(), "python": sys.version.split()[0], "numpy": numpy.__version__}

    def op_load(self, program: str, spec: dict[str, Any]) -> dict[str, Any]:
        prog = Program(program, spec)
        self.programs[program] = prog
        self.finder.program = prog
        started = time.perf_counter()
        # A program's modules are its own: forget the names another program left in sys.modules.
        for name in list(sys.modules):
            if name in prog.sources or name in prog.packages or name in prog.fallback:
                del sys.modules[name]
        cwd = os.getcwd()
        try:
            if os.path.isdir(prog.root):
                os.chdir(prog.root)
        except OSError:
            pass
        try:
            for name in spec.get("order", list(prog.sources)):
                if name not in prog.modules:
                    try:
                        importlib.import_module(name)
                    except BaseException as exc:  # noqa: BLE001
                        if isinstance(exc, KeyboardInterrupt):
                            raise
                        info = describe(exc)
                        prog.notes.append({"file": prog.sources.get(name, (name,))[0], "line": 0, "kind": "error",
                                           "message": f"{info['type']}: {info['message']}"})
        finally:
            try:
                os.chdir(cwd)
            except OSError:
                pass
        for name, module in prog.modules.items():
            self.modules[name if program.startswith("_") else f"{program}:{name}"] = module
        if program.startswith("_"):
            for name, module in prog.modules.items():
                self.modules[name] = module
        # Names the grader asked to take from elsewhere (the reference, in the isolated programs).
        for modname, names in spec.get("inject", {}).items():
            module = prog.modules.get(modname)
            if module is None:
                continue
            for name, (src_module, src_name) in names.items():
                source = self.modules.get(src_module)
                if source is None and src_module in ("numpy", "collections", "math"):
                    source = importlib.import_module(src_module)
                if source is None or (src_name and not hasattr(source, src_name)):
                    continue
                if spec.get("inject_mode", {}).get(modname) == "missing" and name in module.__dict__:
                    continue
                module.__dict__[name] = getattr(source, src_name) if src_name else source
                prog.injected.setdefault(modname, []).append(name)
        found = {}
        names = spec.get("names", {})  # a graded name -> the student's spelling of it, where they differ
        for name, modname in spec.get("exports", {}).items():
            module = prog.modules.get(modname)
            attr = names.get(name, name)
            if module is not None and attr in module.__dict__:
                prog.exports[name] = module.__dict__[attr]
                found[name] = type(prog.exports[name]).__name__
        return {"exports": found, "notes": prog.notes, "stand_ins": sorted(self.stand_ins.used), "injected": prog.injected,
                "seconds": time.perf_counter() - started}

    # ── calls ──
    def op_call(self, target: Any, method: str | None = None, args: list | None = None,
                kwargs: dict | None = None, trace_locals: bool = False) -> Any:
        """Call a function, a class or a method. `trace_locals`: also the numeric locals of the function
        (of `__init__` for a class) when it returned; if it raised, the object `__init__` was building,
        as far as it got, and the exception (the grader judges each part of a constructor apart)."""
        obj = self.resolve(target)
        fn = getattr(obj, method) if method else obj
        args = self.arg(args or [])
        kwargs = self.arg(kwargs or {})
        if not trace_locals:
            return fn(*args, **kwargs)
        captured: dict[str, Any] = {}
        building: list[Any] = []
        code = getattr(getattr(fn, "__init__", fn), "__code__", None) if isinstance(fn, type) else getattr(fn, "__code__", None)

        def tracer(frame: Any, event: str, arg: Any) -> Any:
            if event == "return" and frame.f_code is code:
                for k, v in frame.f_locals.items():
                    if isinstance(v, (int, float)) and not isinstance(v, bool):
                        captured[k] = v
                if code.co_argcount and code.co_varnames[0] in frame.f_locals:
                    building[:] = [frame.f_locals[code.co_varnames[0]]]
            return None

        old = sys.getprofile()
        sys.setprofile(tracer)
        try:
            value = fn(*args, **kwargs)
        except Exception as exc:  # noqa: BLE001 - the student's exception, reported with what was built
            if not isinstance(fn, type) or not building:
                raise
            return {"value": None, "locals": captured, "partial": building[0], "error": describe(exc)}
        finally:
            sys.setprofile(old)
        return {"value": value, "locals": captured}

    def op_export(self, program: str, name: str, module: str, attr: str) -> str:
        """Grade another definition as `name` (candidates tied by spelling are each graded in turn)."""
        prog = self.programs[program]
        prog.exports[name] = prog.modules[module].__dict__[attr]
        return type(prog.exports[name]).__name__

    def op_signature(self, target: Any) -> list[list[Any]] | None:
        """The parameters of a callable (a class: of its constructor): [name, kind, has a default]."""
        import inspect

        try:
            sig = inspect.signature(self.resolve(target))
        except (TypeError, ValueError):
            return None
        return [[p.name, p.kind.name, p.default is not p.empty] for p in sig.parameters.values()]

    def op_assemble(self, cls: Any, base: Any = None, attrs: dict | None = None, methods: dict | None = None) -> Any:
        """An instance of `cls` (its `__init__` not run) carrying `base`'s attributes, then `attrs`.

        Values are specs naming objects that live here, so that arrays stay shared:
        `{"from": ref, "path": [...]}`, `{"dict": [[key, spec], ...]}` (an OrderedDict), `{"list": [...]}`,
        or `{"value": v}`. `methods` (name -> spec of a function) override the class's own, in a subclass.
        """
        from collections import OrderedDict

        def build(spec: Any) -> Any:
            if "from" in spec:
                obj = self.op_get(spec["from"], spec.get("path"))
                if spec.get("lenient"):
                    _lenient(obj, spec["lenient"])
                return obj
            if "dict" in spec:
                return OrderedDict((key, build(v)) for key, v in spec["dict"])
            if "list" in spec:
                return [build(v) for v in spec["list"]]
            return self.arg(spec.get("value"))

        klass = self.resolve(cls)
        if methods:
            klass = type(klass.__name__, (klass,), {name: build(spec) for name, spec in methods.items()})
        obj = object.__new__(klass)
        if base is not None:
            obj.__dict__.update(self.resolve(base).__dict__)
        for name, spec in (attrs or {}).items():
            obj.__dict__[name] = build(spec)
        return obj

    def op_shares(self, a: dict[str, Any], holder: Any) -> list[str]:
        """The attributes of `holder` whose arrays share memory with the array at `a` (held, not copied)."""
        import numpy as np

        x = self.op_get(a["target"], a.get("path"))
        obj = self.resolve(holder)
        if not isinstance(x, np.ndarray):
            return []
        return [name for name, value in list(getattr(obj, "__dict__", {}).items())
                if isinstance(name, str) and isinstance(value, np.ndarray) and value.shape == x.shape
                and np.shares_memory(value, x)]

    def op_get(self, target: Any, path: list | None = None) -> Any:
        obj = self.resolve(target)
        for step in path or []:
            obj = _step(obj, step)
        return obj

    def op_attrs(self, target: Any) -> dict[str, list[Any]]:
        """The instance attributes of an object: name -> [type name, shape (arrays) or None]."""
        import numpy as np

        obj = self.resolve(target)
        out: dict[str, list[Any]] = {}
        for name, value in list(getattr(obj, "__dict__", {}).items()):
            if isinstance(name, str):
                out[name] = [type(value).__name__, list(value.shape) if isinstance(value, np.ndarray) else None]
        return out

    def op_put(self, value: Any) -> Any:
        """Keep a value in the worker and return its handle (to check later that it was left unchanged)."""
        ref = self.make_ref(value)
        return wire.Ref(ref["$ref"], ref["type"], tuple(ref["bases"]))

    def op_assign(self, target: Any, path: list, value: Any) -> None:
        """Write `value` into the array at `path`, in place, so every holder of the array sees it."""
        import numpy as np

        obj = self.op_get(target, path)
        if not isinstance(obj, np.ndarray):
            raise TypeError(f"{_path_text(path)} is a {type(obj).__name__}, not a numpy array")
        if obj.shape != np.shape(value):
            raise ValueError(f"{_path_text(path)} has shape {obj.shape}, expected {np.shape(value)}")
        obj[...] = value

    def op_same(self, a: dict[str, Any], b: dict[str, Any]) -> bool:
        import numpy as np

        x = self.op_get(a["target"], a.get("path"))
        y = self.op_get(b["target"], b.get("path"))
        if x is y:
            return True
        return isinstance(x, np.ndarray) and isinstance(y, np.ndarray) and np.shares_memory(x, y) and x.shape == y.shape

    def op_graft(self, cls: Any, state_from: Any) -> Any:
        """An instance of the student's class carrying another object's state (one bug costs once)."""
        klass = self.resolve(cls)
        source = self.resolve(state_from)
        obj = object.__new__(klass)
        obj.__dict__.update(source.__dict__)
        return obj

    def op_seed(self, seed: int) -> None:
        import random

        import numpy as np

        np.random.seed(seed)
        random.seed(seed)


def _lenient(obj: Any, synonyms: dict[str, str]) -> None:
    """Let `obj` answer to the names a student reads it by: a missing attribute is looked up by its
    normal form (lower case, no underscores) in `synonyms` (`dw` → `dW`, `weight` → `W`)."""
    cls = type(obj)

    def __getattr__(self: Any, name: str) -> Any:
        target = synonyms.get(name.lower().replace("_", ""))
        if target and target != name:
            return getattr(self, target)
        raise AttributeError(f"'{cls.__name__}' object has no attribute '{name}'")

    obj.__class__ = type(cls.__name__, (cls,), {"__getattr__": __getattr__, "__module__": cls.__module__})


def _step(obj: Any, step: Any) -> Any:
    if isinstance(step, str):
        return getattr(obj, step)
    if isinstance(step, (list, tuple)) and len(step) == 2 and step[0] == "item":
        return obj[step[1]]
    raise LookupError(f"bad path step {step!r}")


def _path_text(path: list) -> str:
    out = ""
    for step in path:
        out += f".{step}" if isinstance(step, str) else f"[{step[1]!r}]"
    return out.lstrip(".")


def describe(exc: BaseException) -> dict[str, Any]:
    """An exception as plain data: type, message, and the student's frames (file, line, function)."""
    try:
        message = str(exc)
    except Exception:  # noqa: BLE001 - a student's exception whose __str__ fails
        message = "<message could not be read>"
    frames = []
    for fs in traceback.extract_tb(exc.__traceback__)[-12:]:
        if os.path.dirname(os.path.abspath(fs.filename)) == _HERE or "/numpy/" in fs.filename:
            continue
        frames.append({"file": fs.filename, "line": fs.lineno or 0, "function": fs.name, "code": (fs.line or "")[:200]})
    return {"type": type(exc).__name__, "message": message[:2000], "frames": frames[-6:]}


def _on_alarm(signum: int, frame: Any) -> None:
    raise StatementTimeout()


def main() -> None:
    req_fd, resp_fd = int(sys.argv[1]), int(sys.argv[2])
    sys.setrecursionlimit(3000)
    signal.signal(signal.SIGALRM, _on_alarm)
    import numpy  # noqa: F401 - imported before any student code, so it cannot be shadowed

    worker = Worker(req_fd, resp_fd)
    worker.serve()


if __name__ == "__main__":
    main()
