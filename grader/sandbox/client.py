"""The grader's side of a worker: start it, send requests, enforce time, restart after a fault.

A request that runs out of time, or a worker that dies, raises a `WorkerFault` naming the limit
or the signal and where the worker was; the next request starts a fresh worker and loads the
submission's programs again (skipping the module-level statement that stopped it, if any).
"""

from __future__ import annotations

import os
import secrets
import select
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from ..i18n import t
from .contents import copy_into
from .launch import Launcher, plain_launcher
from .lifetime import RUN_ENV, pdeathsig_preexec, run_dir, run_marker
from .limits import Limits

WORKER_DIR = Path(__file__).resolve().parent
_EXPLAINED = ("SIGSEGV", "SIGXFSZ", "SIGKILL", "SIGABRT")  # signals with words of their own (fault.signal.*)


class WorkerFault(BaseException):
    """The worker stopped answering: a time or memory limit, a crash, or a broken channel.

    A BaseException on purpose: Hypothesis must not take it for a failing example and try to
    shrink it (each try would cost the whole time limit again); it ends the check at once.
    """

    def __init__(self, kind: str, message: str, where: str = "") -> None:
        super().__init__(message)
        self.kind = kind  # "timeout" | "crash" | "memory" | "protocol" | "budget"
        self.message = message
        self.where = where


class StudentError(Exception):
    """Student code raised an exception while the worker ran it (an ordinary failing result)."""

    def __init__(self, type_name: str, message: str, frames: list[dict[str, Any]] | None = None) -> None:
        super().__init__(f"{type_name}: {message}")
        self.type_name, self.message = type_name, message
        self.frames = frames or []

    def where(self) -> str:
        """The innermost frame of the student's code, as a path inside the submission."""
        if not self.frames:
            return ""
        own = [f for f in self.frames if "/submission/" in f["file"]]
        f = (own or self.frames)[-1]
        return f"{submission_path(f['file'])}:{f['line']} ({f['function']})"


def submission_path(file: str) -> str:
    """`/tmp/grade-kim-x1/submission/ch07/net.py` → `ch07/net.py` (the worker's private copy is no one's business)."""
    marker = "/submission/"
    return file.split(marker, 1)[1] if marker in file else file


@dataclass
class WorkerProcess:
    """One running worker."""

    proc: subprocess.Popen
    req_fd: int
    resp_fd: int
    seq: int = 0
    progress: dict[str, Any] = field(default_factory=dict)


class Worker:
    """A worker for one submission, restarted on demand."""

    def __init__(self, workdir: Path, limits: Limits | None = None, launcher: Launcher | None = None) -> None:
        self.workdir = Path(workdir)
        self.limits = limits or Limits()
        self.launcher = launcher or plain_launcher
        self.current: WorkerProcess | None = None
        self.token = ""  # in the worker's environment: finds its processes that left the session
        fd, log = tempfile.mkstemp(prefix="worker-", suffix=".log", dir=run_dir())
        os.close(fd)
        self.log_path = Path(log)
        self.starts = 0
        self.faults: list[WorkerFault] = []
        self.budget_deadline = time.monotonic() + self.limits.submission_seconds

    # ── life cycle ──
    def start(self) -> WorkerProcess:
        req_r, req_w = os.pipe()
        resp_r, resp_w = os.pipe()
        argv = [sys.executable, "-I", "-B", "-u", str(WORKER_DIR / "worker.py"), str(req_r), str(resp_w)]
        env = self.limits.environment(home=str(self.workdir))
        self.token = secrets.token_hex(8)
        env["GRADER_WORKER"] = self.token
        env[RUN_ENV] = run_marker()
        log = open(self.log_path, "ab")  # noqa: SIM115 - handed to the child
        try:
            cmd, preexec = self.launcher(argv, self.workdir, self.limits, (req_r, resp_w))
            proc = subprocess.Popen(  # noqa: S603 - the command is ours
                cmd, stdin=subprocess.DEVNULL, stdout=log, stderr=log, cwd=self.workdir, env=env,
                pass_fds=(req_r, resp_w), start_new_session=True, preexec_fn=pdeathsig_preexec(preexec),
                close_fds=True,
            )
        finally:
            log.close()
            os.close(req_r)
            os.close(resp_w)
        self.starts += 1
        self.current = WorkerProcess(proc, req_w, resp_r)
        return self.current

    def stop(self) -> None:
        wp, self.current = self.current, None
        if wp is None:
            return
        for fd in (wp.req_fd, wp.resp_fd):
            try:
                os.close(fd)
            except OSError:
                pass
        kill_tree(wp.proc, self.token)

    def close(self) -> None:
        self.stop()

    def log(self) -> str:
        """The worker's stdout and stderr, capped: the beginning and the end."""
        cap = self.limits.log_bytes
        try:
            size = self.log_path.stat().st_size
            with open(self.log_path, "rb") as f:
                if size <= cap:
                    data = f.read()
                else:
                    head = f.read(cap * 2 // 3)
                    f.seek(size - cap // 3)
                    data = head + f"\n… [{size - cap} bytes cut] …\n".encode() + f.read()
        except OSError:
            return ""
        return data.decode("utf-8", "replace")

    def cleanup(self) -> None:
        self.stop()
        try:
            self.log_path.unlink()
        except OSError:
            pass

    # ── requests ──
    def request(self, op: str, payload: dict[str, Any] | None = None, timeout: float | None = None) -> Any:
        wp = self._send(op, payload)
        seconds = self.limits.call_seconds if timeout is None else timeout
        for header, arrays in self._answers(wp, op, seconds):
            return self._value(header, arrays)
        raise self._died(wp, op)  # pragma: no cover - _answers ends only by raising

    def batch(self, items: list[list[dict[str, Any]]]) -> tuple[list[Any], WorkerFault | None]:
        """Run many requests in one round trip; each item is a list of steps `{"op", "payload"}`.

        Returns the answers in order (a value, or the `StudentError` the item raised) and the
        fault that stopped the worker, if one did: the answers before it are kept. Every item
        gets the whole call time limit.
        """
        answers: list[Any] = []
        try:
            wp = self._send("batch", {"items": items})
            for header, arrays in self._answers(wp, "batch", self.limits.call_seconds):
                if "item" not in header:
                    if not header.get("ok") or len(answers) != len(items):
                        raise self._broken(f"batch ended after {len(answers)} of {len(items)} answers")
                    return answers, None
                if header.get("item") != len(answers):
                    raise self._broken(f"batch answer {header.get('item')!r} out of order")
                try:
                    answers.append(self._value(header, arrays))
                except StudentError as exc:
                    answers.append(exc)
        except WorkerFault as fault:
            return answers, fault
        raise self._broken("batch answers stopped")  # pragma: no cover - _answers ends only by raising

    def _send(self, op: str, payload: dict[str, Any] | None) -> WorkerProcess:
        from . import wire  # numpy: imported at the first request, so a worker starts before the grader has it
        if time.monotonic() > self.budget_deadline:
            raise WorkerFault("budget", t("fault.budget", seconds=self.limits.submission_seconds))
        wp = self.current or self.start()
        wp.seq += 1
        wp.progress = {}
        out: list[bytes] = []
        try:
            body = wire.encode(payload or {}, out, self.limits.output_bytes)
            wire.write_message(wp.req_fd, {"op": op, "seq": wp.seq, "payload": body}, out)
        except (BrokenPipeError, OSError):
            raise self._died(wp, op) from None
        return wp

    def _answers(self, wp: WorkerProcess, op: str, seconds: float) -> Iterator[tuple[dict[str, Any], list]]:
        """The worker's frames answering the current request; each answer restarts the clock."""
        from . import wire
        deadline = min(time.monotonic() + seconds, self.budget_deadline + 1)

        def wait() -> None:
            left = deadline - time.monotonic()
            ready = left > 0 and select.select([wp.resp_fd], [], [], left)[0]
            if not ready:
                self.stop()
                where = _where(wp.progress)
                budget = time.monotonic() >= self.budget_deadline
                fault = WorkerFault(
                    "budget" if budget else "timeout",
                    t("fault.budget", seconds=self.limits.submission_seconds) if budget
                    else t("fault.timeout", seconds=seconds),
                    where,
                )
                self.faults.append(fault)
                raise fault

        while True:
            try:
                header, arrays = wire.read_message(wp.resp_fd, self.limits.output_bytes, wait)
            except EOFError:
                raise self._died(wp, op) from None
            except wire.WireError as exc:
                raise self._broken(exc) from None
            if "progress" in header:
                wp.progress = header["progress"] if isinstance(header["progress"], dict) else {}
                continue
            if header.get("seq") != wp.seq:
                continue  # a stale or forged frame: the channel is ours, but the worker's code is not
            yield header, arrays
            deadline = min(time.monotonic() + seconds, self.budget_deadline + 1)

    def _value(self, header: dict[str, Any], arrays: list) -> Any:
        """An answer's value, or the student's exception raised as a `StudentError`."""
        from . import wire
        if not header.get("ok"):
            err = header.get("error") or {}
            kind, message = str(err.get("type", "Error")), str(err.get("message", ""))
            if kind == "MemoryError":
                message = t("fault.memory_error", gib=self.limits.memory_bytes / 2**30, message=message).strip()
            elif kind == "OutputRefused":
                message = t("fault.output_refused", message=message)
            raise StudentError(kind, message, err.get("frames"))
        try:
            return wire.decode(header.get("value"), arrays)
        except (wire.WireError, IndexError, KeyError, TypeError, ValueError) as exc:
            raise StudentError("OutputRefused", t("fault.output_unreadable", error=exc)) from None

    def _broken(self, error: object) -> WorkerFault:
        self.stop()
        fault = WorkerFault("protocol", t("fault.protocol", error=error))
        self.faults.append(fault)
        return fault

    def _died(self, wp: WorkerProcess, op: str) -> WorkerFault:
        try:
            code = wp.proc.wait(timeout=2)
        except subprocess.TimeoutExpired:
            code = None
        self.stop()
        where = _where(wp.progress)
        if code is not None and code > 128 and (code - 128) in signal.valid_signals():
            code = -(code - 128)  # a sandbox (bwrap) reports its child's death by signal N as exit status 128 + N
        if code is not None and code < 0:
            name = signal.Signals(-code).name if -code in signal.valid_signals() else str(-code)
            kind = {"SIGXCPU": "cpu", "SIGKILL": "memory"}.get(name, "crash")
            why = t(f"fault.signal.{name}", mib=self.limits.file_bytes >> 20) if name in _EXPLAINED else ""
            msg = (t("fault.cpu", seconds=self.limits.cpu_seconds) if kind == "cpu"
                   else t("fault.signal", signal=name) + (f" ({why})" if why else ""))
            fault = WorkerFault(kind, msg, where)
        else:
            fault = WorkerFault("crash", t("fault.exit", op=op, code=code), where)
        self.faults.append(fault)
        return fault


def _where(progress: dict[str, Any]) -> str:
    if progress.get("file"):
        return f"{progress['file']}:{progress.get('line', 0)}"
    return ""


def kill_tree(proc: subprocess.Popen, token: str = "") -> None:
    """Kill the worker and everything it started: its group, its descendants, its session, and
    (without a sandbox's pid namespace) any process that still carries the worker's token in its
    environment — a daemon that double-forked and left the session keeps it unless it cleared it."""
    # Find them all before killing anything: orphans lose their ancestry once their parent dies.
    targets = set(_session_members(proc.pid)) | (set(_token_holders(token)) if token else set())
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    for pid in targets:
        try:
            os.kill(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        pass


def _token_holders(token: str) -> list[int]:
    needle = f"GRADER_WORKER={token}".encode()
    found = []
    for entry in os.listdir("/proc") if os.path.isdir("/proc") else []:
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/environ", "rb") as f:
                    if needle in f.read():
                        found.append(int(entry))
            except OSError:
                continue
    return found


def _session_members(sid: int) -> list[int]:
    """Processes whose session is the worker's, or whose ancestor is the worker (left the group)."""
    members = []
    children: dict[int, list[int]] = {}
    try:
        entries = os.listdir("/proc")
    except OSError:
        return []
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                fields = f.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        pid, ppid, session = int(entry), int(fields[1]), int(fields[3])
        children.setdefault(ppid, []).append(pid)
        if session == sid:
            members.append(pid)
    stack = [sid]
    while stack:
        for child in children.get(stack.pop(), []):
            if child not in members:
                members.append(child)
                stack.append(child)
    return members


class Workspace:
    """A submission's private copy and its worker, started at once: the worker imports numpy while
    the grader goes on (a self-check starts it before importing the checks)."""

    def __init__(self, src: Path, name: str, limits: Limits | None = None, launcher: Launcher | None = None) -> None:
        self._tmp = tempfile.TemporaryDirectory(prefix=f"grade-{name}-", dir=run_dir())
        root = Path(self._tmp.name)
        self._src, self._limits, self._launcher = src, limits, launcher
        self.workdir = copy_submission(src, root) if src.exists() else root
        self.worker = Worker(self.workdir, limits, launcher)
        self.worker.start()
        self._spawned: list[Worker] = []
        self._spare: Worker | None = None

    def prestart(self) -> None:
        """Start a second worker now, for the first compartment the session will enter (the TA's run
        enters one for every submission with a network): it starts while the first one works."""
        if self._spare is None:
            self._spare = self._start_another()

    def _start_another(self) -> Worker:
        root = Path(tempfile.mkdtemp(prefix=f"c{len(self._spawned) + 1}-", dir=self._tmp.name))
        workdir = copy_submission(self._src, root) if self._src.exists() else root
        worker = Worker(workdir, self._limits, self._launcher)
        worker.start()
        self._spawned.append(worker)
        return worker

    def spawn(self) -> Worker:
        """Another worker for the same submission, on a copy of its own (nothing one worker writes,
        or keeps in memory, reaches another): a compartment of the session. The spare, if unused."""
        if self._spare is not None:
            worker, self._spare = self._spare, None
            return worker
        return self._start_another()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        try:
            for worker in (self.worker, *self._spawned):
                worker.cleanup()
        finally:
            self._tmp.cleanup()


def copy_submission(src: Path, dest_root: Path) -> Path:
    """A private writable copy of a submission for its worker (the original is never touched).

    What is copied is `contents`' policy, the Dask backend's too: regular files only — no link, no
    pipe or device, nothing unreadable (those are noted when the submission is found)."""
    dest = dest_root / "submission"
    copy_into(src, dest)  # a single file keeps its name inside the folder
    return dest
