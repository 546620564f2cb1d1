"""Resource limits of a worker, all configurable, with sound defaults."""

from __future__ import annotations

import resource
from dataclasses import dataclass, fields


@dataclass(frozen=True)
class Limits:
    call_seconds: float = 20.0  # wall time of one request
    load_seconds: float = 60.0  # wall time of loading a submission's modules
    statement_seconds: float = 5.0  # one module-level statement (demo code, training loops)
    submission_seconds: float = 600.0  # wall time of a whole submission
    cpu_seconds: int = 900  # CPU time of one worker process
    memory_bytes: int = 2 << 30  # address space of the worker
    file_bytes: int = 16 << 20  # largest file the worker may write
    open_files: int = 256
    processes: int = 64  # threads and processes (enforced per sandbox user where the sandbox has one)
    output_bytes: int = 64 << 20  # largest value the worker may send back
    log_bytes: int = 48 << 10  # the worker's stdout and stderr kept for the report

    def environment(self, home: str) -> dict[str, str]:
        """A scrubbed environment: nothing of the grader's, single-threaded BLAS for reproducibility."""
        return {
            "PATH": "/usr/local/bin:/usr/bin:/bin",
            "HOME": home,
            "TMPDIR": home,
            "LANG": "C.UTF-8",
            "LC_ALL": "C.UTF-8",
            "PYTHONHASHSEED": "0",
            "PYTHONDONTWRITEBYTECODE": "1",
            "PYTHONIOENCODING": "utf-8",
            "OPENBLAS_NUM_THREADS": "1",
            "OMP_NUM_THREADS": "1",
            "MKL_NUM_THREADS": "1",
            "MPLBACKEND": "Agg",
            "GRADER_MAX_OUTPUT": str(self.output_bytes),
        }

    def apply(self) -> None:
        """Set the rlimits of the current process (called in the child before exec)."""
        pairs = [
            (resource.RLIMIT_AS, self.memory_bytes),
            (resource.RLIMIT_CPU, self.cpu_seconds),
            (resource.RLIMIT_FSIZE, self.file_bytes),
            (resource.RLIMIT_NOFILE, self.open_files),
            (resource.RLIMIT_CORE, 0),
        ]
        for which, value in pairs:
            try:
                soft, hard = resource.getrlimit(which)
                value = value if hard == resource.RLIM_INFINITY else min(value, hard)
                resource.setrlimit(which, (value, value if which != resource.RLIMIT_CPU else value + 5))
            except (ValueError, OSError):
                pass

    @classmethod
    def names(cls) -> list[str]:
        return [f.name for f in fields(cls)]

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Limits:
        """Defaults, overridden by `GRADE_<NAME>` variables (`GRADE_CALL_SECONDS=5`, `GRADE_MEMORY_BYTES=…`)."""
        import os

        environ = os.environ if environ is None else environ
        values = {}
        for f in fields(cls):
            raw = environ.get(f"GRADE_{f.name.upper()}")
            if raw is None:
                continue
            try:
                values[f.name] = type(f.default)(float(raw)) if isinstance(f.default, int) else float(raw)
            except ValueError:
                raise ValueError(f"GRADE_{f.name.upper()}={raw!r} is not a number (default {f.default})") from None
        return cls(**values)
