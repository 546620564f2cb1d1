"""Running the student kit as a student would, without installing it for every test.

The kit is imported from its folder in a fresh interpreter whose only `grader` is the kit's: the
editable install of this checkout (a meta-path finder) is taken off `sys.meta_path` first. The
installed-alone case (a fresh venv, `pip install kit`) is tested once in test_kit.py.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

_RUN = """
import sys
sys.meta_path[:] = [f for f in sys.meta_path if "editable" not in type(f).__module__ and "editable" not in repr(f)]
sys.path.insert(0, sys.argv.pop(1))
for name in [m for m in sys.modules if m.split(".")[0] in ("grader", "assignments", "reference")]:
    del sys.modules[name]
import grader
assert grader.__file__.startswith(sys.path[0]), grader.__file__
from grader.cli import main
main(sys.argv[1:], prog_name="grade")
"""


def kit_command(kit: Path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON") and k != "GRADE_ASSIGNMENT"}
    env["NO_COLOR"] = "1"
    return subprocess.run([sys.executable, "-c", _RUN, str(kit), *args], capture_output=True, text=True,
                          timeout=timeout, env=env, cwd=kit.parent)


def kit_check_json(kit: Path, submission: Path, *options: str) -> dict:
    out = kit_command(kit, *options, "check", str(submission), "--json")
    assert out.returncode in (0, 1), out.stdout[-2000:] + out.stderr[-3000:]
    return json.loads(out.stdout)
