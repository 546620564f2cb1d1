"""The launcher itself: the choice and its note, the command it builds, the hand-over of the copy."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from grader.i18n import use_lang
from grader.sandbox import bubblewrap, isolation, namespaces
from grader.sandbox.launch import plain_launcher
from grader.sandbox.limits import Limits

from sandbox_support import REPO


def test_launcher_for_names_what_it_chose(monkeypatch):
    launcher, note = bubblewrap.launcher_for("grade")
    assert "\n" not in note and note
    if bubblewrap.available():
        assert launcher is bubblewrap.bubblewrap_launcher
        assert "bubblewrap 샌드박스" in note
    else:
        assert launcher is plain_launcher and "자원 제한만" in note
    monkeypatch.setenv("GRADER_SANDBOX", "plain")
    launcher, note = bubblewrap.launcher_for("check")
    assert launcher is plain_launcher and "자원 제한만" in note


def test_without_bubblewrap_the_namespaces_and_a_note_saying_so(monkeypatch):
    monkeypatch.setattr(bubblewrap, "flavor", lambda: None)
    monkeypatch.delenv("GRADER_SANDBOX", raising=False)
    launcher, note = bubblewrap.launcher_for("grade")
    if namespaces.works():
        assert launcher is namespaces.namespaces_launcher
        assert note.startswith("bubblewrap이 없어 리눅스") and "참조 답안 차단" in note
    else:
        assert launcher is plain_launcher


def test_without_any_sandbox_the_plain_launcher_and_a_warning_with_the_fix(monkeypatch):
    monkeypatch.setattr(bubblewrap, "flavor", lambda: None)
    monkeypatch.setattr(namespaces, "flavor", lambda: None)
    monkeypatch.delenv("GRADER_SANDBOX", raising=False)
    launcher, note = bubblewrap.launcher_for("grade")
    assert launcher is plain_launcher
    assert note.startswith("격리 없이 실행했습니다") and "자원 제한만" in note
    assert "참조 답안" in note and "sudo apt install bubblewrap" in note
    chosen = isolation.choose("grade")
    assert chosen.kind == "plain-missing" and not chosen.isolated
    with use_lang("en"):
        assert "Install bubblewrap" in isolation.choose("grade").note


def _command(flavor: str, workdir: Path) -> list[str]:
    argv = [sys.executable, "-I", str(REPO / "grader" / "sandbox" / "worker.py"), "3", "4"]
    cmd, preexec = bubblewrap.launcher(flavor)(argv, workdir, Limits(), (3, 4))
    assert callable(preexec)
    return cmd


def _binds(cmd: list[str]) -> list[tuple[str, str, str]]:
    return [(cmd[i], cmd[i + 1], cmd[i + 2]) for i in range(len(cmd) - 2) if cmd[i] in ("--bind", "--ro-bind")]


@pytest.mark.parametrize("flavor", ["drop", "userns"])
def test_the_command_shows_nothing_of_the_project(flavor, tmp_path):
    if not bubblewrap.works(flavor):
        pytest.skip(f"bubblewrap flavor {flavor!r} is not usable here: {bubblewrap.why_not}")
    workdir = tmp_path / "work" / "submission"
    workdir.mkdir(parents=True)
    cmd = _command(flavor, workdir)
    binds = _binds(cmd)
    for kind, src, dest in binds:
        if dest != str(workdir):
            assert kind == "--ro-bind", (src, dest)
        assert not (src == str(REPO) or Path(src).is_relative_to(REPO / "assignments")
                    or Path(src).is_relative_to(REPO / "submissions"))
    project_files = {dest for _, src, dest in binds if Path(src).is_relative_to(REPO)}
    assert project_files == {str(REPO / "grader" / "sandbox" / f) for f in bubblewrap.WORKER_FILES}
    assert ("--bind", str(workdir), str(workdir)) in binds
    assert cmd.index("/tmp") < cmd.index(str(workdir))  # the copy is mounted over the empty /tmp
    for flag in ("--die-with-parent", "--new-session", "--unshare-ipc" if flavor == "drop" else "--unshare-all"):
        assert flag in cmd
    if flavor == "drop":
        assert "--unshare-pid" in cmd and "--unshare-net" in cmd
        uid = int(next(a for a in cmd if a.startswith("--reuid=")).split("=")[1])
        assert uid >= bubblewrap.UID_BASE
        assert workdir.stat().st_uid == uid
    else:
        assert cmd[cmd.index("--uid") + 1] == "65534"


@pytest.mark.skipif(os.geteuid() != 0, reason="handing a folder to another uid needs root")
def test_hand_over_never_follows_a_link_out_of_the_copy(tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_text("root's")
    workdir = tmp_path / "submission"
    (workdir / "sub").mkdir(parents=True)
    (workdir / "sub" / "a.py").write_text("x = 1")
    (workdir / "link").symlink_to(outside)
    (workdir / "dirlink").symlink_to(tmp_path)
    os.link(outside, workdir / "hard")
    uid = bubblewrap.sandbox_uid()
    bubblewrap.hand_over(str(workdir), uid)
    assert outside.stat().st_uid == 0 and tmp_path.stat().st_uid == 0
    assert (workdir / "sub" / "a.py").stat().st_uid == uid and (workdir / "sub").stat().st_uid == uid
    assert workdir.stat().st_uid == uid


def test_packages_of_the_grader_inside_a_shown_folder_are_covered(monkeypatch, tmp_path):
    """A non-editable install puts `assignments` (the reference, the rubric) and `grader` into site-packages:
    they must look empty."""
    if not bubblewrap.available():
        pytest.skip(f"bubblewrap is not usable here: {bubblewrap.why_not}")
    site = tmp_path / "site-packages"
    for rel in ("assignments/a5_cnn/reference/layers.py", "grader/checks/answers.py", "grader/sandbox/client.py",
                "grader/sandbox/worker.py", "grader/sandbox/wire.py", "other/ok.py"):
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_text("SECRET = 1\n")
    roots = bubblewrap.python_roots()
    monkeypatch.setattr(bubblewrap, "python_roots", lambda: (*roots, str(site)))
    monkeypatch.setattr(bubblewrap, "hidden_paths", lambda: (str(site / "grader"), str(site / "assignments")))
    workdir = tmp_path / "work" / "submission"
    workdir.mkdir(parents=True)
    probe = (
        "import os, sys\n"
        "site = sys.argv[1]\n"
        "print(sorted(os.listdir(site + '/assignments')), sorted(os.listdir(site + '/grader')),"
        " sorted(os.listdir(site + '/grader/sandbox')), os.path.exists(site + '/other/ok.py'))\n"
        "try:\n    open(site + '/assignments/x.py', 'w')\nexcept OSError as e:\n    print(type(e).__name__)\n"
    )
    argv = [sys.executable, "-I", "-S", "-c", probe, str(site), str(site / "grader" / "sandbox" / "worker.py")]
    cmd, preexec = bubblewrap.launcher(bubblewrap.flavor())(argv, workdir, Limits(), ())
    done = subprocess.run(cmd, cwd=workdir, preexec_fn=preexec, capture_output=True, text=True, timeout=30)  # noqa: PLW1509
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "[] ['sandbox'] ['wire.py', 'worker.py'] True"
    assert lines[1] in ("OSError", "PermissionError")


def test_the_folders_of_every_installed_assignment_are_covered() -> None:
    """Where the project is installed into a shown site-packages, each assignment's package (its
    reference, rubric and checks) and the `assignments` package above it are among what the sandbox covers."""
    from grader.assignment import current

    folders = bubblewrap.assignment_folders()
    root = current().root
    assert root in folders and root.parent in folders
    assert (root / "reference" / "layers.py").is_file()  # the solution is inside what is covered
