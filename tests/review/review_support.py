"""A small class of answer sheets, graded for real, and `grade review` started as a subprocess on a free port."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from click.testing import CliRunner

from grader.cli import main

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "submissions"

GPU = "GPU는 수천 개의 코어로 단순한 곱셈-누산을 병렬로 처리할 수 있어서 딥러닝에 적합하다."
HOSTILE = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2"> GPU는 <b>병렬</b> 처리를 한다'


def sheet(answers: dict[str, str]) -> str:
    return "# 과제 5\n\n" + "".join(f"## {qid}\n{text}\n\n" for qid, text in answers.items())


def make_class(root: Path) -> Path:
    """baek_seoyun (the sample), two students with the same 8.3.2 answer (a group), one whose answers are HTML."""
    cls = root / "class"
    cls.mkdir()
    shutil.copy(SAMPLE / "baek_seoyun.md", cls / "baek_seoyun.md")
    (cls / "twin_a.md").write_text(sheet({"8.3.2": GPU, "7.2.3.1": "패딩은 출력 크기를 유지하려고 쓴다."}), "utf-8")
    (cls / "twin_b.md").write_text(sheet({"8.3.2": GPU.replace("적합하다.", "적합하다!"),
                                          "7.2.3.1": "패딩은 출력 크기와는 아무 상관이 없다."}), "utf-8")
    (cls / "hostile.md").write_text(sheet({"8.3.2": HOSTILE, "7.2.3.1": "</pre><script>alert(1)</script>"}), "utf-8")
    return cls


def grade(cls: Path, out: Path, *extra: str) -> None:
    result = CliRunner().invoke(main, [str(cls), "--out", str(out), "-j", "1", *extra])
    assert result.exit_code == 0, result.output


class Server:
    """`grade review OUT --no-browser` in its own process; `url` has the token; stopped by its pid."""

    def __init__(self, out: Path, reviewer: str = "ta1", *extra: str) -> None:
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self.proc = subprocess.Popen([sys.executable, "-m", "grader.cli", "review", str(out), "--no-browser",
                                      "--reviewer", reviewer, *extra],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        line = self.proc.stdout.readline().strip()
        assert line.startswith("http://127.0.0.1:"), (line, self.proc.stderr.read() if self.proc.poll() else "")
        self.url = line
        self.base = line.split("/?")[0]
        self.token = line.split("token=")[1]
        deadline = time.monotonic() + 20
        while True:
            try:
                self.get("/api/questions")
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    def request(self, method: str, path: str, body: object = None, *, token: str | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, object]:
        data = None if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
        h = {"Content-Type": "application/json", **(headers or {})}
        if token is None:
            token = self.token
        if token:
            h["Authorization"] = f"Bearer {token}"
        req = urllib.request.Request(self.base + path, data=data, method=method, headers=h)
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                return r.status, json.loads(r.read() or b"null")
        except urllib.error.HTTPError as e:
            text = e.read()
            try:
                return e.code, json.loads(text)
            except ValueError:
                return e.code, text.decode("utf-8", "replace")

    def get(self, path: str, **kw: object) -> object:
        status, data = self.request("GET", path, **kw)
        assert status == 200, (status, data)
        return data

    def post(self, path: str, body: object, **kw: object) -> tuple[int, object]:
        return self.request("POST", path, body, **kw)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        for stream in (self.proc.stdout, self.proc.stderr):
            if stream:
                stream.close()

    def __enter__(self) -> "Server":
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def results(out: Path) -> dict:
    return json.loads((out / "results.json").read_text("utf-8"))


def question(out: Path, sid: str, qid: str) -> dict:
    s = next(s for s in results(out)["students"] if s["id"] == sid)
    return next(q for q in s["questions"] if q["id"] == qid)


def grades(out: Path) -> dict[str, list[str]]:
    rows = (out / "grades.csv").read_text("utf-8").splitlines()
    return {r.split(",")[0]: r.split(",")[1:] for r in rows[1:]}
