"""`grade review` as a TA's tools meet it: a real server in its own process, spoken to over HTTP."""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from grader.cli import main
from review_support import Server, grade, grades, make_class, question, results


@pytest.fixture()
def graded(tmp_path: Path) -> tuple[Path, Path]:
    cls = make_class(tmp_path)
    out = tmp_path / "out"
    grade(cls, out)
    return cls, out


def test_the_first_line_is_the_address_and_every_call_needs_the_token(graded) -> None:
    _, out = graded
    with Server(out) as s:
        assert s.url.startswith("http://127.0.0.1:") and "/?token=" in s.url
        assert s.request("GET", "/api/questions", token="")[0] == 401
        assert s.request("GET", "/api/questions", token="wrong")[0] == 401
        assert s.request("GET", "/q/8.3.2", token="")[0] == 401
        questions = s.get("/api/questions")
        assert {"id", "kind", "waiting"} <= set(questions[0])
        q = next(q for q in questions if q["id"] == "8.3.2")
        assert q["kind"] == "written" and q["waiting"] == 4
        # The first page trades the token for a cookie and drops it from the address.
        opener = urllib.request.build_opener(_NoRedirect)
        with pytest.raises(urllib.error.HTTPError) as redirect:
            opener.open(s.url)
        assert redirect.value.code == 303 and redirect.value.headers["location"] == "/"
        cookie = redirect.value.headers["set-cookie"]
        assert "HttpOnly" in cookie and "SameSite=strict" in cookie.replace("samesite", "SameSite")
        value = cookie.split(";")[0]
        status, data = s.request("GET", "/api/questions", token="", headers={"Cookie": value})
        assert status == 200 and data == questions
        # A write carried by the cookie alone needs the page's CSRF token.
        status, data = s.post("/api/reviews", {"student": "twin_a", "question": "8.3.2", "points": 1}, token="",
                              headers={"Cookie": value})
        assert status == 403 and "error" in data
        # Another site's name in the Host header (DNS rebinding) is refused.
        assert s.request("GET", "/api/questions", headers={"Host": "evil.example:80"})[0] == 400


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # noqa: ANN002, ANN003, ANN201
        return None


@pytest.mark.parametrize("body, word", [
    ({"student": "nobody", "question": "8.3.2", "points": 1}, "nobody"),
    ({"student": "twin_a", "question": "9.9.9", "points": 1}, "9.9.9"),
    ({"student": "twin_a", "question": "8.3.2", "points": 5}, "5"),
    ({"student": "twin_a", "question": "8.3.2", "points": -1}, "-1"),
    ({"student": "twin_a", "question": "8.3.2", "points": "one"}, "one"),
    ({"student": "twin_a", "question": "8.3.2", "points": True}, "True"),
    ({"question": "8.3.2", "points": 1}, "student"),
    ({"student": "twin_a", "question": "8.3.2", "points": 1, "items": {"nope": 1}}, "nope"),
    (b"{not json", "JSON"),
    ([1, 2], "JSON"),
])
def test_bad_requests_get_a_400_with_a_message_never_a_traceback(graded, body, word) -> None:
    _, out = graded
    before = (out / "results.json").read_bytes()
    with Server(out) as s:
        status, data = s.post("/api/reviews", body)
        assert status == 400, data
        assert isinstance(data, dict) and word in data["error"] and "Traceback" not in data["error"]
        assert s.request("GET", "/api/queue/1.2.3")[0] == 400
        assert s.request("GET", "/api/queue/8.3.2?filter=bogus")[0] == 400
        assert s.request("GET", "/no/such/page")[0] == 404
    assert (out / "results.json").read_bytes() == before  # nothing written


def test_a_decision_rescores_the_student_and_rewrites_results_grades_card_and_history(graded) -> None:
    cls, out = graded
    assert question(out, "hostile", "8.3.2")["confirmed"] is False
    with Server(out, "kim_ta") as s:
        status, data = s.post("/api/reviews", {"student": "hostile", "question": "8.3.2", "points": 0,
                                               "comment": "HTML은 답이 아님"})
        assert status == 200 and data["student"] == "hostile"
        new_total = data["points"]
        queue = s.get("/api/queue/8.3.2")
        row = next(r for r in queue if r["student"] == "hostile")
        assert {"student", "points", "max_points", "status", "answer"} <= set(row)
        assert row["status"] == "reviewed" and row["points"] == 0
        history = s.get("/api/history?student=hostile&question=8.3.2")
    q = question(out, "hostile", "8.3.2")
    assert q["points"] == 0 and q["confirmed"] is True and q["reviewer"] == "kim_ta" and q["proposed_points"] == 1
    assert next(st for st in results(out)["students"] if st["id"] == "hostile")["points"] == new_total
    assert float(grades(out)["hostile"][0]) == new_total
    card = (out / "cards" / "hostile.html").read_text("utf-8")
    assert card.count("HTML은 답이 아님") == 1  # the comment once
    assert "&lt;script&gt;" in card and "<script>window" not in card
    assert json.loads((out / "gradescope" / "hostile.json").read_text("utf-8"))["score"] == new_total
    assert [(h["points"], h["reviewer"], h["comment"]) for h in history] == [(0, "kim_ta", "HTML은 답이 아님")]
    assert history[0]["answer_hash"] == q["answer_hash"] and history[0]["time"]
    db = sqlite3.connect(out / "gradebook.sqlite")
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    # `grade CLASS` afterwards reproduces exactly those grades.
    before = (out / "grades.csv").read_text("utf-8")
    grade(cls, out)
    assert (out / "grades.csv").read_text("utf-8") == before


def test_one_decision_for_a_group_of_alike_answers_and_a_member_split_off(graded) -> None:
    _, out = graded
    with Server(out) as s:
        queue = s.get("/api/queue/8.3.2")
        groups = {r["student"]: r["group"] for r in queue}
        assert groups["twin_a"] == groups["twin_b"] != groups["baek_seoyun"]
        status, data = s.post("/api/reviews", {"student": "twin_a", "question": "8.3.2", "points": 0.5, "group": True})
        assert status == 200 and {x["student"] for x in data["students"]} == {"twin_a", "twin_b"}
        assert s.post("/api/split", {"student": "twin_b", "question": "8.3.2"})[0] == 200
        groups = {r["student"]: r["group"] for r in s.get("/api/queue/8.3.2")}
        assert groups["twin_a"] != groups["twin_b"]
    assert question(out, "twin_b", "8.3.2")["points"] == 0.5 and question(out, "twin_b", "8.3.2")["confirmed"]


def test_two_clients_and_two_servers_saving_at_once_lose_no_decision(graded) -> None:
    _, out = graded
    decisions = [("twin_a", "8.3.2", 1), ("twin_b", "8.3.2", 0.5), ("baek_seoyun", "8.3.2", 1),
                 ("hostile", "8.3.2", 0), ("twin_a", "7.2.3.1", 1), ("twin_b", "7.2.3.1", 0)]
    with Server(out, "ta1") as one, Server(out, "ta2") as two:
        barrier = threading.Barrier(len(decisions))
        answers: list[int] = []

        def save(k: int) -> None:
            sid, qid, pts = decisions[k]
            barrier.wait()
            answers.append((one if k % 2 else two).post("/api/reviews", {"student": sid, "question": qid,
                                                                         "points": pts})[0])

        threads = [threading.Thread(target=save, args=(k,)) for k in range(len(decisions))]
        for th in threads:
            th.start()
        for th in threads:
            th.join(60)
        assert answers == [200] * len(decisions)
        history = one.get("/api/history")
    assert sorted((h["student"], h["question"], h["points"]) for h in history) == sorted(decisions)
    assert {h["reviewer"] for h in history} == {"ta1", "ta2"}
    for sid, qid, pts in decisions:  # the last writer wrote every decision
        assert question(out, sid, qid)["points"] == pts and question(out, sid, qid)["confirmed"]


def test_a_reviewed_answer_changed_on_disk_comes_back_as_changed_with_the_old_decision(graded) -> None:
    cls, out = graded
    with Server(out) as s:
        assert s.post("/api/reviews", {"student": "twin_a", "question": "7.2.3.1", "points": 0.5})[0] == 200
    sheet = cls / "twin_a.md"
    sheet.write_text(sheet.read_text("utf-8").replace("유지하려고", "키우려고"), "utf-8")
    result = CliRunner().invoke(main, [str(cls), "--out", str(out), "-j", "1"])
    assert result.exit_code == 0 and "twin_a 7.2.3.1" in result.output
    q = question(out, "twin_a", "7.2.3.1")
    assert q["review_state"] == "changed" and not q["confirmed"] and q["points"] == 1  # the machine's proposal
    assert q["previous_review"]["points"] == 0.5
    with Server(out) as s:
        row = next(r for r in s.get("/api/queue/7.2.3.1?filter=changed") if r["student"] == "twin_a")
        assert row["status"] == "changed" and row["previous"]["points"] == 0.5


def test_pictures_are_served_from_out_media_only(graded, tmp_path: Path) -> None:
    _, out = graded
    (out / "media" / "twin_a").mkdir(parents=True)
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 16
    (out / "media" / "twin_a" / "fig.png").write_bytes(png)
    (tmp_path / "secret.png").write_bytes(b"secret")
    os.symlink(tmp_path / "secret.png", out / "media" / "twin_a" / "escape.png")
    with Server(out) as s:
        req = urllib.request.Request(s.base + "/media/twin_a/fig.png", headers={"Authorization": f"Bearer {s.token}"})
        with urllib.request.urlopen(req) as r:
            assert r.read() == png and r.headers["content-type"] == "image/png"
            assert r.headers["x-content-type-options"] == "nosniff"
        for path in ("/media/twin_a/escape.png", "/media/../results.json", "/media/%2e%2e/results.json",
                     "/media/twin_a/missing.png"):
            assert s.request("GET", path)[0] == 404, path
        assert s.request("GET", "/media/twin_a/fig.png", token="")[0] == 401


def test_export_import_and_accept_on_the_command_line(graded, tmp_path: Path) -> None:
    cls, out = graded
    runner = CliRunner()
    r = runner.invoke(main, ["review", str(out), "--accept", "8.3.2", "--reviewer", "lee"])
    assert r.exit_code == 0, r.output
    assert all(question(out, sid, "8.3.2")["confirmed"] for sid in ("twin_a", "twin_b", "baek_seoyun", "hostile"))
    assert not question(out, "twin_b", "7.2.3.1")["confirmed"]  # an answer to review is never accepted wholesale
    export = tmp_path / "decided.csv"
    r = runner.invoke(main, ["review", str(out), "--export", str(export)])
    assert r.exit_code == 0 and export.read_text("utf-8").count("\n") == 5
    assert "answer_hash" in export.read_text("utf-8").splitlines()[0]
    lines = tmp_path / "more.csv"
    lines.write_text("student,question,points,comment\ntwin_b,7.2.3.1,0,부정문\n", "utf-8")
    r = runner.invoke(main, ["review", str(out), "--import", str(lines), "--reviewer", "park"])
    assert r.exit_code == 0, r.output
    assert question(out, "twin_b", "7.2.3.1")["reviewer"] == "park"
    bad = tmp_path / "bad.csv"
    bad.write_text("student,question,points\nghost,8.3.2,1\n", "utf-8")
    r = runner.invoke(main, ["review", str(out), "--import", str(bad)])
    assert r.exit_code == 2 and "ghost" in r.output and "Traceback" not in r.output
    r = runner.invoke(main, ["review", str(tmp_path / "nowhere"), "--export", str(export)])
    assert r.exit_code == 2 and "results.json" in r.output
    # The grades of the run afterwards are the decisions.
    before = (out / "grades.csv").read_text("utf-8")
    grade(cls, out)
    assert (out / "grades.csv").read_text("utf-8") == before
