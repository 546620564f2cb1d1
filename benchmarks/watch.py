"""A class run through the CLI, watched: when its last student was graded, when it said it was done.

The CLI prints one progress line per student on stderr (`[###…] 37/100 …`, its `cli.progress`
message) and, once every output is written, a last line naming `OUT/index.html` (`cli.done`).
The time between the last progress line and that line is what the run spends after grading:
stopping the pool, applying the reviews and writing the reports — the figure that shows whether
writing the reports is still a tail at the end of a run or happens while the class is graded.
Shared by bench_class.py and bench_scale.py (run as scripts: this folder is on sys.path).
"""

from __future__ import annotations

import re
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

PROGRESS = re.compile(r"\s(\d+)/(\d+)\s")  # "{bar} {done}/{total}  …" in either language


@dataclass
class Watched:
    """Times (perf_counter) of one run: start, last student graded, done line, exit."""

    started: float
    graded: float | None = None  # the progress line of the last student
    done: float | None = None  # the line naming OUT/index.html: every output written
    ended: float | None = None
    returncode: int | None = None
    tail_text: list[str] = field(default_factory=list)  # the last lines of stderr, for an error message
    reader: threading.Thread | None = None

    @property
    def seconds(self) -> float:
        return (self.ended or time.perf_counter()) - self.started

    @property
    def reports(self) -> float | None:
        """Seconds from the last student graded to every output written (None: a line was not seen)."""
        if self.graded is None or self.done is None:
            return None
        return self.done - self.graded


def start(argv: list[str], out: Path, total: int, *, cwd: Path) -> tuple[subprocess.Popen[bytes], Watched]:
    """Start the run; a thread reads its stderr and notes when each of the two lines arrives."""
    watched = Watched(time.perf_counter())
    proc = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    marker = str(out / "index.html")

    def read() -> None:
        assert proc.stderr is not None
        for raw in proc.stderr:
            now = time.perf_counter()
            line = raw.decode("utf-8", "replace")
            watched.tail_text = (watched.tail_text + [line])[-40:]
            if marker in line:
                watched.done = now
            elif (m := PROGRESS.search(line)) and int(m.group(1)) == int(m.group(2)) == total:
                watched.graded = now

    watched.reader = threading.Thread(target=read, daemon=True)
    watched.reader.start()
    return proc, watched


def finish(proc: subprocess.Popen[bytes], watched: Watched) -> Watched:
    """Wait for the run and its stderr; raise with the end of stderr if it failed."""
    watched.returncode = proc.wait()
    watched.ended = time.perf_counter()
    if watched.reader is not None:
        watched.reader.join(timeout=10)
    if watched.returncode != 0:
        raise RuntimeError(f"the class run exited {watched.returncode}:\n{''.join(watched.tail_text)[-2000:]}")
    return watched


def run(argv: list[str], out: Path, total: int, *, cwd: Path) -> Watched:
    return finish(*start(argv, out, total, cwd=cwd))
