"""A class graded on a machine without bubblewrap: the kernel's namespaces hold what bubblewrap held.

`bwrap` is hidden from the grader for real: the run happens in a private mount namespace in which
an empty, non-executable file covers the `bwrap` binary (`unshare --mount`). A submission then
tries to earn 7.4.3.2 and 7.4.4.1 with code it did not write — the reference's Convolution, found
by import or by walking the disk, and a classmate's Pooling read from the class folder — and phones
home over TCP. Graded without a sandbox it gets full marks and connects (so the attack is real);
graded with bwrap hidden, as root and as an unprivileged user, it gets nothing and connects nowhere,
and every card and the first line of the terminal output say which isolation ran.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pytest

from grader.sandbox import bubblewrap

from sandbox_support import HOSTILE, REPO

SAMPLE = REPO / "submissions"
NOBODY = 65534
STOLEN = ("7.4.3.2", "7.4.4.1")


class Listener:
    """A TCP server on the loopback that counts the connections it accepts."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.accepted = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.accepted += 1
            conn.close()

    def close(self) -> int:
        self.stop.set()
        self.thread.join(timeout=5)
        self.sock.close()
        return self.accepted


@pytest.fixture(scope="module")
def place() -> Path:
    """A folder every user can read (the unprivileged run reads the class and writes the reports)."""
    root = Path(tempfile.mkdtemp(prefix="grade-nobwrap-test-"))
    root.chmod(0o755)
    yield root
    shutil.rmtree(root, ignore_errors=True)


def _class(place: Path, name: str, port: int) -> tuple[Path, Path]:
    cls = place / name / "class"
    out = place / name / "reports"
    (cls / "thief").mkdir(parents=True)
    out.mkdir(parents=True)
    out.chmod(0o777)
    shutil.copy(SAMPLE / "park_seoyeon.py", cls / "park_seoyeon.py")
    shutil.copy(HOSTILE / "steals_from_disk.py", cls / "thief" / "solution.py")
    params = {"port": port, "classmate": str(cls / "park_seoyeon.py")}
    (cls / "thief" / "params.json").write_text(json.dumps(params))
    return cls, out


def _hide_bwrap(argv: list[str]) -> list[str]:
    """`argv` run in a private mount namespace where `bwrap` is an empty file that cannot be run."""
    target = bubblewrap.bwrap_path() or shutil.which("bwrap")
    if target is None:
        return argv  # not installed at all: nothing to hide
    if shutil.which("unshare") is None:
        pytest.skip("unshare (util-linux) is needed to hide bwrap")
    private = ["unshare", "--mount", "--propagation", "private"] if os.geteuid() == 0 else \
        ["unshare", "--user", "--map-root-user", "--mount", "--propagation", "private"]
    return [*private, "sh", "-c", 'mount --bind /dev/null "$0" && exec "$@"', target, *argv]


def _grade(place: Path, name: str, *, python: str = sys.executable, user: int | None = None, hide: bool = True,
           env: dict[str, str] | None = None) -> tuple[dict, str, int, str]:
    """Grade the thief and its classmate; (results by id, stderr, connections accepted, every card's text)."""
    listener = Listener()
    try:
        cls, out = _class(place, name, listener.port)
        argv = [python, "-m", "grader.cli", str(cls), "--out", str(out), "-j", "1"]
        if user is not None:
            argv = ["setpriv", f"--reuid={user}", f"--regid={user}", "--clear-groups", *argv]
        if hide:
            argv = _hide_bwrap(argv)
        full_env = {k: v for k, v in os.environ.items() if k != "GRADER_SANDBOX"}
        full_env.update({"GRADE_CALL_SECONDS": "10", **(env or {})})
        done = subprocess.run(argv, cwd=place, capture_output=True, text=True, env=full_env, timeout=600)
        assert done.returncode == 0, done.stderr[-3000:]
        data = json.loads((out / "results.json").read_text("utf-8"))
        cards = " ".join(p.read_text("utf-8") for p in sorted((out / "cards").glob("*.html")))
        return {s["id"]: s for s in data["students"]}, done.stderr, listener.close(), cards
    finally:
        listener.close()


def _points(student: dict) -> dict[str, float]:
    return {q["id"]: q["points"] for q in student["questions"] if q["id"] in STOLEN}


def _full(student: dict) -> dict[str, float]:
    return {q["id"]: q["max_points"] for q in student["questions"] if q["id"] in STOLEN}


@pytest.fixture(scope="module")
def without_sandbox(place: Path) -> tuple[dict, str, int, str]:
    return _grade(place, "plain", hide=False, env={"GRADER_SANDBOX": "plain"})


def test_the_attack_works_without_a_sandbox(without_sandbox) -> None:  # noqa: ANN001
    students, stderr, connections, _ = without_sandbox
    assert _points(students["thief"]) == _full(students["thief"])  # full marks, stolen
    assert connections >= 1
    assert stderr.splitlines()[0].startswith("격리: 샌드박스 없이")


@pytest.mark.parametrize("who", ["root", "nobody"])
def test_without_bwrap_a_submission_neither_connects_nor_reads_the_reference_or_a_classmate(
        place: Path, who: str, request: pytest.FixtureRequest) -> None:
    if who == "root":
        if os.geteuid() != 0:
            pytest.skip("the grader is not run by root here")
        students, stderr, connections, cards = _grade(place, "hidden-root")
        words = "bubblewrap이 없어 리눅스 네임스페이스로 격리해 권한 없는 사용자로 실행했습니다"
    else:
        python = request.getfixturevalue("nobody_python")
        students, stderr, connections, cards = _grade(place, "hidden-nobody", python=str(python), user=NOBODY)
        words = "bubblewrap이 없어 리눅스 사용자 네임스페이스로 격리해 실행했습니다"
    thief = students["thief"]
    assert _points(thief) == {"7.4.3.2": 0, "7.4.4.1": 0}
    messages = " ".join(i["message"] for q in thief["questions"] if q["id"] in STOLEN for i in q["items"])
    assert "no Convolution to steal" in messages or "FileNotFoundError" in messages
    assert connections == 0
    assert _points(students["park_seoyeon"]) == _full(students["park_seoyeon"])  # the classmate is graded as ever
    # Said on every card (each result's notes) and first in the terminal.
    assert all(words in " ".join(s["notes"]) for s in students.values())
    assert cards.count(words) >= len(students)
    assert stderr.splitlines()[0] == f"격리: {words} (네트워크·다른 학생 파일·참조 답안 차단)"
