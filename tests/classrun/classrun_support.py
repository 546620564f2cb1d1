"""Helpers of the class-run tests: odd class folders, the CLI in a subprocess, processes and leftovers."""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "submissions"
GRADE = [sys.executable, "-m", "grader.cli"]


def results(out: Path) -> dict[str, dict]:
    return {s["id"]: s for s in json.loads((out / "results.json").read_text("utf-8"))["students"]}


def grades(out: Path) -> dict[str, dict[str, str]]:
    with open(out / "grades.csv", encoding="utf-8") as f:
        return {row["id"]: row for row in csv.DictReader(f)}


def points(student: dict) -> dict[str, float]:
    return {q["id"]: q["points"] for q in student["questions"]}


def copy_sample(name: str, dest: Path) -> Path:
    src = SAMPLE / name
    if src.is_dir():
        shutil.copytree(src, dest)
    else:
        shutil.copy(src, dest)
    return dest


def run(args: list[str], *, env: dict[str, str] | None = None, cwd: Path | None = None,
        timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """`grade ARGS` in a subprocess (its own process, as a TA runs it)."""
    full = {k: v for k, v in os.environ.items() if not k.startswith("GRADE_")}
    full.update(env or {})
    return subprocess.run([*GRADE, *args], capture_output=True, text=True, env=full, cwd=cwd or ROOT, timeout=timeout)


def start(args: list[str], *, env: dict[str, str] | None = None, new_group: bool = False) -> subprocess.Popen[str]:
    """`grade ARGS` started in the background (`new_group`: in a process group of its own, as a terminal's job)."""
    full = {k: v for k, v in os.environ.items() if not k.startswith("GRADE_")}
    full.update(env or {})
    return subprocess.Popen([*GRADE, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=full,
                            cwd=ROOT, start_new_session=new_group)


def descendants(pid: int) -> list[int]:
    """Every live (not zombie) process under `pid`, found through /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                fields = f.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != b"Z":
            children.setdefault(int(fields[1]), []).append(int(entry))
    found, stack = [], [pid]
    while stack:
        for child in children.get(stack.pop(), []):
            found.append(child)
            stack.append(child)
    return found


def alive(pids: list[int]) -> list[int]:
    """The pids of the list that are still running (zombies are dead: only their parent's reaping is left)."""
    left = []
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat", "rb") as f:
                state = f.read().rsplit(b")", 1)[1].split()[0]
        except OSError:
            continue
        if state != b"Z":
            left.append(pid)
    return left


def with_marker(marker: str) -> list[int]:
    """Live processes whose environment or command line holds `marker` (a run's workers, its temp folder)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == os.getpid():
            continue
        blob = b""
        for part in ("environ", "cmdline"):
            try:
                with open(f"/proc/{entry}/{part}", "rb") as f:
                    blob += f.read()
            except OSError:
                pass
        if marker.encode() in blob:
            found.append(int(entry))
    return alive(found)


def run_folders(pid: int) -> list[Path]:
    """The temporary run folders of the grader process `pid`."""
    return sorted(Path(tempfile.gettempdir()).glob(f"grade-run-{pid}-*"))


def tmp_files(out: Path) -> list[Path]:
    return sorted(p for p in out.rglob(".*.tmp"))


def wait_for(condition, seconds: float) -> bool:  # noqa: ANN001
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return bool(condition())
