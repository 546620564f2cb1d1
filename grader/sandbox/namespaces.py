"""The namespace sandbox: bubblewrap's isolation from the kernel alone, for machines without `bwrap`.

`namespaces_launcher` has the signature of `launch.plain_launcher`. It starts the worker through
`nsinit.py` (standard library only), which makes new mount, network, pid, IPC and UTS namespaces
and a minimal root, as `bubblewrap.py` does: read-only /usr, a few files of /etc, the Python
installation and numpy, the worker's two files, the submission's private copy (writable), a fresh
/proc with read-only /proc/sys, a minimal /dev, small /tmp and /dev/shm. The reference, the rubric,
the class folder, the reports and /home do not exist in it; no connection leaves it (a network
namespace with no interface up); it dies with the grading process.

Two ways, as bubblewrap's two flavors, the first that works (`flavor()`):

* "root": the namespaces are made with root's privileges and the student's code runs under a uid of
  its own (`bubblewrap.sandbox_uid`), with no capabilities — an ordinary unprivileged user for the
  kernel, whom RLIMIT_NPROC holds and to whom root's files and sysctls are not writable;
* "userns" (not root, or a root that cannot switch to another uid, as in a rootless container):
  an unprivileged user namespace (`kernel.unprivileged_userns_clone`, on by default in most
  distributions) in which the grader's uid is `nobody`; no capabilities after exec. Run by root,
  the student's kernel uid would be root's: /proc/sys is read-only for that reason.

`works(how)` starts a trivial sandbox of that way once and remembers; `why_not` says why it could not.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Callable

from .bubblewrap import (ETC_FILES, SHM_BYTES, TMP_BYTES, TOP_LEVEL, WORKER_FILES, hand_over, hidden_paths,
                         python_roots, sandbox_uid)
from .limits import Limits

HELPER = Path(__file__).resolve().with_name("nsinit.py")
INNER_UID = 65534  # "nobody": the student's uid inside an unprivileged user namespace
PROBE_SECONDS = 20
why_not = ""


def _as_root() -> bool:
    return os.geteuid() == 0


def _ops(argv: list[str], workdir: str) -> list[list[object]]:
    """The steps of the new root, in order (the same file system as bubblewrap's `_mount_args`)."""
    ops: list[list[object]] = [["bind", "/usr", "/usr", False]]
    for name in TOP_LEVEL:
        path = "/" + name
        if os.path.islink(path):
            ops.append(["symlink", path, os.readlink(path)])
        elif os.path.isdir(path):
            ops.append(["bind", path, path, False])
    for name in ETC_FILES:
        path = "/etc/" + name
        if os.path.exists(path):
            ops.append(["bind", path, os.path.realpath(path), False])
    ops += [["proc", "/proc"], ["dev", "/dev"], ["tmpfs", "/tmp", "1777", TMP_BYTES],
            ["tmpfs", "/dev/shm", "1777", SHM_BYTES]]
    for root in python_roots():  # after /tmp: a virtual environment may live there
        ops.append(["bind", root, root, False])
    covered = hidden_paths()
    for path in covered:
        ops.append(["tmpfs", path, "0755", 1 << 16])
    for arg in argv[1:]:
        if not (os.path.isabs(arg) and os.path.isfile(arg)):
            continue
        files = [os.path.join(os.path.dirname(arg), f) for f in WORKER_FILES] \
            if os.path.basename(arg) == WORKER_FILES[0] else [arg]
        ops += [["bind", f, os.path.realpath(f), False] for f in files if os.path.isfile(f)]
    ops += [["read_only", path] for path in covered]
    real = os.path.realpath(workdir)
    for dest in dict.fromkeys([os.path.abspath(workdir), real]):
        ops.append(["bind", dest, real, True])
    ops.append(["read_only", "/dev"])  # memory the student could fill (the root is made read-only on entering)
    return ops


def command(argv: list[str], workdir: Path | str, fds: tuple[int, ...] = (), how: str | None = None) -> list[str]:
    """The worker's command line run through `nsinit.py`, in namespaces of its own (`how`: "root" or
    "userns"; default: the way that works here)."""
    how = how or flavor() or "userns"
    workdir = os.path.abspath(workdir)
    root = os.path.join(os.path.dirname(workdir), ".nsroot")
    os.makedirs(root, mode=0o700, exist_ok=True)
    uid = None
    if how == "root":
        uid = sandbox_uid()
        hand_over(workdir, uid)
    config = {"root": root, "ops": _ops(argv, workdir), "cwd": workdir, "uid": uid, "userns": how == "userns",
              "inner_uid": INNER_UID, "fds": list(fds)}
    return [sys.executable, "-I", "-S", str(HELPER), json.dumps(config), "--", *argv]


def _preexec(limits: Limits, how: str) -> Callable[[], None]:
    import resource

    def run() -> None:
        limits.apply()
        if how == "root":  # counted against the sandbox's own uid; as a user, against all of the user's processes
            try:
                resource.setrlimit(resource.RLIMIT_NPROC, (limits.processes, limits.processes))
            except (ValueError, OSError):
                pass
    return run


def launcher(how: str) -> Callable[..., tuple[list[str], Callable[[], None] | None]]:
    """The namespace launcher of one way ("root" or "userns"), whether or not it is the best here."""
    def launch(argv: list[str], workdir: Path, limits: Limits,
               fds: tuple[int, ...]) -> tuple[list[str], Callable[[], None] | None]:
        return command(argv, workdir, fds, how), _preexec(limits, how)

    launch.__name__ = f"namespaces_{how}_launcher"
    return launch


def namespaces_launcher(argv: list[str], workdir: Path, limits: Limits,
                        fds: tuple[int, ...]) -> tuple[list[str], Callable[[], None] | None]:
    """Run the worker in namespaces of its own, the strongest way that works here (see the module's docstring)."""
    return launcher(flavor() or "userns")(argv, workdir, limits, fds)


@functools.lru_cache(maxsize=None)
def works(how: str = "") -> bool:
    """Start a trivial sandbox once: Python without site, writing into its folder, with no network
    and without the grader's files. `how`: "root", "userns", or "" for either."""
    global why_not
    if not how:
        return flavor() is not None
    if not sys.platform.startswith("linux"):
        why_not = f"not Linux ({sys.platform})"
        return False
    if how == "root" and not _as_root():
        why_not = "not root"
        return False
    if not HELPER.is_file():
        why_not = f"{HELPER} is missing"
        return False
    from .lifetime import run_dir

    tmp = Path(run_dir()) / f"ns-probe-{how}-{os.getpid()}"
    work = tmp / "submission"
    try:
        work.mkdir(parents=True)
        secret = str(HELPER.parent.parent)  # the grader's own package: never visible inside
        script = ("import socket,os\n"
                  "open('probe','w').write('ok')\n"
                  "s=socket.socket(); s.settimeout(1)\n"
                  "try:\n s.connect(('1.1.1.1',53)); print('network')\nexcept OSError: pass\n"
                  f"p={secret!r}\n"
                  "print('grader-visible' if os.path.isdir(p) and os.listdir(p) else '')\n")
        argv = [sys.executable, "-I", "-S", "-c", script]
        done = subprocess.run(command(argv, work, (), how), cwd=work, preexec_fn=_preexec(Limits(), how),  # noqa: S603, PLW1509
                              capture_output=True, timeout=PROBE_SECONDS, env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"})
        wrote = (work / "probe").is_file() and (work / "probe").read_text() == "ok"
        leaks = done.stdout.decode("utf-8", "replace").split()
        if done.returncode != 0 or not wrote or leaks:
            why_not = f"namespaces ({how}) failed: " + (done.stderr.decode("utf-8", "replace").strip()[-300:]
                                                        or f"exit {done.returncode}, {leaks or 'no probe file'}")
            return False
        return True
    except (OSError, subprocess.SubprocessError) as exc:
        why_not = f"namespaces ({how}) failed: {exc}"
        return False
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


@functools.lru_cache(maxsize=1)
def flavor() -> str | None:
    """"root" (the grader runs as root: the student gets a uid of its own), else "userns", else None."""
    for how in ("root", "userns"):
        if works(how):
            return how
    return None
