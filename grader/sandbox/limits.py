"""Resource limits of a worker, all configurable, with sound defaults."""

from __future__ import annotations

import math
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

    def signature(self) -> str:
        """Every limit, in a stable text: part of a result's fingerprint (a change grades again)."""
        return ",".join(f"{f.name}={getattr(self, f.name)!r}" for f in fields(self))

    @classmethod
    def names(cls) -> list[str]:
        return [f.name for f in fields(cls)]

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Limits:
        """Defaults, overridden by `GRADE_<NAME>` variables (`GRADE_CALL_SECONDS=5`, `GRADE_MEMORY_BYTES=4G`).

        Raises `LimitError` naming the variable, its value and the fix for a value that is not a
        positive finite number (negative, zero, `nan`, `inf`, words), not whole where a count is
        meant, or too small for a worker to start.
        """
        import os

        environ = os.environ if environ is None else environ
        values = {}
        for f in fields(cls):
            name = f"GRADE_{f.name.upper()}"
            raw = environ.get(name)
            if raw is not None:
                values[f.name] = parse_limit(name, raw, f.default)
        return cls(**values)


class LimitError(ValueError):
    """A `GRADE_<NAME>` value that cannot be a limit: the message names it, its value and the fix."""


_UNITS = {"": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40}
_MINIMUM = {"memory_bytes": 256 << 20, "file_bytes": 1 << 10, "output_bytes": 1 << 10, "open_files": 16,
            "log_bytes": 1 << 10}


def parse_limit(name: str, raw: str, default: float | int) -> float | int:
    """The value of the variable `name` (`GRADE_MEMORY_BYTES`), typed like `default`.

    Sizes may carry a binary unit: `512M`, `2G`, `2GiB` (K, M, G, T: KiB, MiB, GiB, TiB).
    """
    from ..i18n import t

    field = name.removeprefix("GRADE_").lower()
    text = raw.strip().replace("_", "")
    unit = 1
    if field.endswith("_bytes"):
        low = text.lower().removesuffix("b").removesuffix("i")
        if low[-1:] in _UNITS and low[-1:]:
            unit, text = _UNITS[low[-1]], low[:-1]
    example = shown(default)
    try:
        value = float(text) * unit
    except ValueError:
        raise LimitError(t("cli.limits.not_number", name=name, raw=raw, default=example)) from None
    if not math.isfinite(value) or value <= 0:
        raise LimitError(t("cli.limits.not_positive", name=name, raw=raw, default=example))
    if isinstance(default, int):
        if value != int(value):
            raise LimitError(t("cli.limits.not_whole", name=name, raw=raw, default=example))
        value = int(value)
    least = _MINIMUM.get(field)
    if least is not None and value < least:
        raise LimitError(t("cli.limits.too_small", name=name, raw=raw, least=shown(least), default=example))
    return value


def shown(value: float | int) -> str:
    """A limit as a TA would write it: `2G`, `16M`, `48K`, `20`."""
    if isinstance(value, int) and value >= 1 << 10:
        for letter, size in (("G", 1 << 30), ("M", 1 << 20), ("K", 1 << 10)):
            if value % size == 0:
                return f"{value // size}{letter}"
    return f"{value:g}"
