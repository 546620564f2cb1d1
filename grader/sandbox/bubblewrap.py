"""The bubblewrap sandbox: a worker that sees only the Python installation, numpy and its own folder.

`bubblewrap_launcher` has the signature of `launch.plain_launcher`: it wraps the worker's command in
`bwrap` and still sets the resource limits before exec (rlimits survive exec into bwrap). Inside:

* new pid, network, IPC, UTS, cgroup and mount namespaces: no connection leaves the sandbox (only
  the sandbox's own loopback exists), nothing outside can be signalled or seen in /proc, and when
  the grader kills bwrap every process the student started dies with it (the kernel kills a pid
  namespace whose first process ended), including double-forked daemons in their own session;
* a private, minimal file system: read-only /usr (+ the /bin, /lib… links), a few files of /etc,
  the Python installation and numpy's site-packages, the two files the worker runs (`worker.py`,
  `wire.py`); a fresh /proc with /proc/sys read-only, a minimal /dev, a small /tmp and /dev/shm
  (size-capped tmpfs); and the submission's private copy, writable, at the same path. Everything
  else is read-only (the sandbox's root is remounted so) or absent: not the project checkout
  (assignments/, submissions/, reports/), not /home, /root, /run, /var or /sys. Where the
  project is installed into a site-packages the sandbox shows, its `grader` and `assignments`
  packages are covered by empty read-only folders;
* an unprivileged user. Two ways, chosen by what works here (`flavor()`):

  - "drop" (the grader runs as root and `setpriv` exists): bwrap runs privileged, without a user
    namespace, keeps only CAP_SETUID/CAP_SETGID, and `setpriv` drops to a uid/gid of its own for
    this worker (2**30 + pid·256 + n: no other live worker has it) with no capabilities and
    no_new_privs. The student is an ordinary unprivileged user of the kernel, so RLIMIT_NPROC
    (`Limits.processes`) holds it and root's files and sysctls are not its own. The submission's
    copy is handed to that uid (chown, never following a link) before each start.
  - "userns" (the grader is not root, or "drop" does not work): `--unshare-all --unshare-user
    --disable-userns --uid 65534 --gid 65534`. bwrap maps the sandbox uid to the caller's uid, so
    the copy is writable as it is. Run by root, this means the student's kernel uid is root (with
    no capabilities): RLIMIT_NPROC does not hold it (verified: 100 forks under a limit of 20), and
    it may write the global sysctls (kernel.core_pattern — a root shell on the host — verified
    before /proc/sys was covered). That is why "drop" comes first, why /proc/sys is covered in both
    flavors, and why RLIMIT_NPROC is not set here (run by a user, the kernel would count it against
    all of that user's processes on the machine).

What it does not do: no seccomp filter (bwrap takes one only as an fd, and Popen passes none but the
pipes), no cap on the total memory of all the student's processes (RLIMIT_AS is per process), no
disk quota on the writable copy (RLIMIT_FSIZE caps one file, not their number), and in "drop" the
student may create user namespaces of its own where the machine allows that to every user.
"""

from __future__ import annotations

import functools
import importlib.util
import itertools
import os
import resource
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Callable

from .launch import Launcher
from .limits import Limits

WORKER_FILES = ("worker.py", "wire.py")  # all the worker needs of the grader (see worker.py)
ETC_FILES = ("ld.so.cache", "ld.so.conf", "ld.so.conf.d", "localtime", "passwd", "group", "nsswitch.conf",
             "alternatives")
TOP_LEVEL = ("bin", "sbin", "lib", "lib32", "lib64", "libx32")  # usually links into /usr
SANDBOX_ID = 65534  # "nobody", the uid/gid the student sees in the "userns" flavor
UID_BASE = 1 << 30  # the "drop" flavor's uids: far above any real or container uid range
TMP_BYTES = 64 << 20  # the sandbox's own /tmp (TMPDIR is the submission's folder anyway)
SHM_BYTES = 16 << 20  # /dev/shm, for multiprocessing's semaphores
PROBE_SECONDS = 20

_uids = itertools.count()
why_not = ""  # why bubblewrap could not be used, after `flavor()` ran (for diagnostics)


# ── what is there ────────────────────────────────────────────────────────────────────────────────

@functools.lru_cache(maxsize=1)
def bwrap_path() -> str | None:
    found = shutil.which("bwrap") or shutil.which("bwrap", path="/usr/bin:/bin:/usr/local/bin")
    return os.path.realpath(found) if found else None


@functools.lru_cache(maxsize=1)
def _options() -> frozenset[str]:
    """The options this bwrap knows (`--size`, `--perms` and `--disable-userns` are recent)."""
    exe = bwrap_path()
    if not exe:
        return frozenset()
    try:
        text = subprocess.run([exe, "--help"], capture_output=True, text=True, timeout=10).stdout  # noqa: S603
    except (OSError, subprocess.SubprocessError):
        return frozenset()
    return frozenset(word for line in text.splitlines() for word in line.split()[:1] if word.startswith("--"))


@functools.lru_cache(maxsize=1)
def _setpriv() -> str | None:
    """`setpriv` (util-linux), if it is where the sandbox can see it (under /usr)."""
    found = shutil.which("setpriv", path="/usr/bin:/bin:/usr/sbin:/sbin")
    if not found:
        return None
    real = os.path.realpath(found)
    return real if _inside(real, "/usr") else None


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip("/") + "/")


@functools.lru_cache(maxsize=1)
def python_roots() -> tuple[str, ...]:
    """Folders of the Python installation the worker needs: prefixes, the real executable's, numpy's."""
    found: list[str] = []
    candidates = [sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix,
                  str(Path(os.path.realpath(sys.executable)).parent.parent)]
    spec = importlib.util.find_spec("numpy")
    if spec is not None and spec.origin:
        candidates.append(str(Path(spec.origin).parent.parent))  # the site-packages that holds numpy
    for c in candidates:
        for p in (os.path.abspath(c), os.path.realpath(c)):
            if p != "/" and os.path.isdir(p) and p not in found:
                found.append(p)
    found.sort(key=len)
    roots: list[str] = []
    for p in found:
        if not _inside(p, "/usr") and not any(_inside(p, r) for r in roots):
            roots.append(p)
    return tuple(roots)


def assignment_folders() -> list[Path]:
    """Every installed assignment's folder (its reference, rubric and checks), whichever is graded."""
    from ..assignment import installed, load

    out = []
    for name in installed():
        try:
            out.append(load(name).root)
        except Exception:  # noqa: BLE001 - one broken assignment package must not unhide the others
            continue
    try:
        out.append(load().root)
    except Exception:  # noqa: BLE001 - none chosen (several installed): the loop above found them
        pass
    roots = [p.resolve() for p in out]
    roots += [p.parent for p in roots if (p.parent / "__init__.py").is_file()]  # the `assignments` package
    return list(dict.fromkeys(roots))


@functools.lru_cache(maxsize=1)
def hidden_paths() -> tuple[str, ...]:
    """The grader's own packages and checkout, where they lie inside a folder the sandbox shows."""
    grader_dir = Path(__file__).resolve().parent.parent
    candidates = [grader_dir]
    candidates += assignment_folders()
    project = grader_dir.parent
    if project.name not in ("site-packages", "dist-packages") and (project / "pyproject.toml").exists():
        candidates.append(project)
    shown = ("/usr", *python_roots())
    out = []
    for c in candidates:
        p = str(c)
        if any(_inside(p, r) and p != r for r in shown) and p not in out:
            out.append(p)
    # A covered folder inside another covered one needs no second cover.
    return tuple(p for p in out if not any(_inside(p, q) and p != q for q in out))


# ── the command ──────────────────────────────────────────────────────────────────────────────────

class _Args:
    """bwrap's mount arguments, creating missing parent folders as world-readable (0755)."""

    def __init__(self) -> None:
        self.args: list[str] = []
        self.mounts: list[tuple[str, str]] = []  # (dest, "bind" | "special" | "empty"), in order
        self.made: set[str] = set()
        self.perms = "--perms" in _options()

    def _exists(self, path: str) -> bool:
        if path in self.made or any(path == d for d, _ in self.mounts):
            return True
        under = [(d, kind) for d, kind in self.mounts if _inside(path, d)]
        if not under:
            return False
        dest, kind = max(under, key=lambda m: len(m[0]))
        if kind == "special":
            return True
        return kind == "bind" and os.path.isdir(path)  # binds are at the same path as on the host

    def parents(self, dest: str) -> None:
        parts = Path(dest).parts[1:-1]
        for i in range(1, len(parts) + 1):
            folder = "/" + "/".join(parts[:i])
            if not self._exists(folder):
                self.args += (["--perms", "0755"] if self.perms else []) + ["--dir", folder]
                self.made.add(folder)

    def bind(self, src: str, dest: str, *, writable: bool = False) -> None:
        self.parents(dest)
        self.args += ["--bind" if writable else "--ro-bind", src, dest]
        self.mounts.append((dest, "bind"))

    def special(self, option: str, dest: str) -> None:
        """A file system of bwrap's own making (`--proc`, `--dev`): its folders exist."""
        self.parents(dest)
        self.args += [option, dest]
        self.mounts.append((dest, "special"))

    def empty(self, dest: str, *, perms: str = "0755", size: int | None = None) -> None:
        self.parents(dest)
        if self.perms:
            self.args += ["--perms", perms]
        if size and "--size" in _options():
            self.args += ["--size", str(size)]
        self.args += ["--tmpfs", dest]
        self.mounts.append((dest, "empty"))


def _mount_args(argv: list[str], workdir: str) -> list[str]:
    m = _Args()
    m.bind("/usr", "/usr")
    for name in TOP_LEVEL:
        path = "/" + name
        if os.path.islink(path):
            m.args += ["--symlink", os.readlink(path), path]
        elif os.path.isdir(path):
            m.bind(path, path)
    for name in ETC_FILES:
        path = "/etc/" + name
        if os.path.exists(path):
            m.bind(os.path.realpath(path), path)
    m.special("--proc", "/proc")
    m.special("--dev", "/dev")
    # bwrap covers /proc/sys only where the folder itself is writable: cover it always, since a
    # process whose kernel uid is root (the "userns" flavor run by root) may write global sysctls.
    m.bind("/proc/sys", "/proc/sys")
    m.empty("/tmp", perms="1777", size=TMP_BYTES)
    m.empty("/dev/shm", perms="1777", size=SHM_BYTES)
    for root in python_roots():  # after /tmp: a virtual environment may live there
        m.bind(root, root)
    covered = hidden_paths()
    for path in covered:
        m.empty(path)
    # The worker's script, its wire module, and any other file named on its command line.
    for arg in argv[1:]:
        if not (os.path.isabs(arg) and os.path.isfile(arg)):
            continue
        files = [os.path.join(os.path.dirname(arg), f) for f in WORKER_FILES] \
            if os.path.basename(arg) == WORKER_FILES[0] else [arg]
        for f in files:
            if os.path.isfile(f):
                m.bind(os.path.realpath(f), f)
    for path in covered:
        m.args += ["--remount-ro", path]
    # The submission's copy, writable, at the path the grader uses (after /tmp, which would hide it).
    real = os.path.realpath(workdir)
    for dest in dict.fromkeys([os.path.abspath(workdir), real]):
        m.bind(real, dest, writable=True)
    # Nothing else is writable: the sandbox's root and /dev are memory the student could fill.
    m.args += ["--remount-ro", "/dev", "--remount-ro", "/", "--chdir", os.path.abspath(workdir)]
    return m.args


def _namespace_args(flavor: str) -> list[str]:
    common = ["--die-with-parent", "--new-session", "--hostname", "sandbox"]
    if flavor == "drop":
        return ["--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts", "--unshare-cgroup-try",
                "--cap-drop", "ALL", "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID", *common]
    disable = ["--disable-userns"] if "--disable-userns" in _options() else []
    return ["--unshare-all", "--unshare-user", *disable, "--uid", str(SANDBOX_ID), "--gid", str(SANDBOX_ID),
            "--cap-drop", "ALL", *common]


def sandbox_uid() -> int:
    """A uid no other live worker has: this process's pid and a counter, far above real uids."""
    return UID_BASE + ((os.getpid() & 0x3FFFFF) << 8) + (next(_uids) & 0xFF)


def hand_over(workdir: str, uid: int) -> None:
    """Give the submission's copy to the sandbox's uid, never following a link out of it."""
    def own(name: str, dir_fd: int | None) -> None:
        try:
            st = os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
            if st.st_nlink > 1 and not stat.S_ISDIR(st.st_mode):
                return  # a hard link could be anything's; the copy never makes one
            os.chown(name, uid, uid, dir_fd=dir_fd, follow_symlinks=False)
        except OSError:
            pass

    own(workdir, None)
    try:  # bwrap (root without DAC capabilities until setpriv) must be able to chdir into it
        os.chmod(workdir, stat.S_IMODE(os.stat(workdir).st_mode) | 0o111)
    except OSError:
        pass
    for _folder, dirs, files, dir_fd in os.fwalk(workdir, follow_symlinks=False):
        for name in dirs + files:
            own(name, dir_fd)


def command(argv: list[str], workdir: Path | str, flavor: str) -> list[str]:
    exe = bwrap_path()
    if exe is None:
        raise RuntimeError("bubblewrap (bwrap) is not installed")
    cmd = [exe, *_namespace_args(flavor), *_mount_args(argv, str(workdir)), "--"]
    if flavor == "drop":
        uid = sandbox_uid()
        hand_over(os.path.abspath(workdir), uid)
        setpriv = _setpriv()
        assert setpriv is not None
        cmd += [setpriv, f"--reuid={uid}", f"--regid={uid}", "--clear-groups", "--inh-caps=-all",
                "--no-new-privs", "--"]
    return cmd + list(argv)


def _preexec(limits: Limits, processes: int | None) -> Callable[[], None]:
    def run() -> None:
        limits.apply()
        if processes:
            try:
                resource.setrlimit(resource.RLIMIT_NPROC, (processes, processes))
            except (ValueError, OSError):
                pass
    return run


def launcher(flavor: str) -> Launcher:
    """The bubblewrap launcher of one flavor ("drop" or "userns"), whether or not it is the best here."""
    def launch(argv: list[str], workdir: Path, limits: Limits,
               fds: tuple[int, ...]) -> tuple[list[str], Callable[[], None] | None]:
        # The fds (the request and answer pipes) are passed by Popen; bwrap keeps inherited fds.
        cmd = command(argv, workdir, flavor)
        return cmd, _preexec(limits, limits.processes if flavor == "drop" else None)

    launch.__name__ = f"bubblewrap_{flavor}_launcher"
    return launch


def bubblewrap_launcher(argv: list[str], workdir: Path, limits: Limits,
                        fds: tuple[int, ...]) -> tuple[list[str], Callable[[], None] | None]:
    """Run the worker in bubblewrap, the strongest way that works on this machine."""
    best = flavor()
    if best is None:
        raise RuntimeError(f"bubblewrap cannot be used here: {why_not or 'unknown reason'}")
    return launcher(best)(argv, workdir, limits, fds)


# ── does it work here? ───────────────────────────────────────────────────────────────────────────

@functools.lru_cache(maxsize=None)
def works(flavor: str) -> bool:
    """Start a trivial sandbox of this flavor once: Python without site, writing into its folder."""
    global why_not
    if sys.platform != "linux" or bwrap_path() is None:
        why_not = "bwrap is not installed" if sys.platform == "linux" else f"not Linux ({sys.platform})"
        return False
    if flavor == "drop" and (os.geteuid() != 0 or _setpriv() is None):
        why_not = "not root" if os.geteuid() != 0 else "setpriv not found"
        return False
    from .lifetime import run_dir

    tmp = tempfile.mkdtemp(prefix="grade-probe-", dir=run_dir())
    try:
        argv = [sys.executable, "-I", "-S", "-c", "open('probe', 'w').write('ok')"]
        cmd, preexec = launcher(flavor)(argv, Path(tmp), Limits(), ())
        done = subprocess.run(cmd, cwd=tmp, preexec_fn=preexec, capture_output=True,  # noqa: S603, PLW1509
                              timeout=PROBE_SECONDS, env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"})
        ok = done.returncode == 0 and Path(tmp, "probe").read_text() == "ok"
        if not ok:
            why_not = f"bwrap ({flavor}) failed: " + done.stderr.decode("utf-8", "replace").strip()[-300:]
        return ok
    except (OSError, subprocess.SubprocessError, RuntimeError) as exc:
        why_not = f"bwrap ({flavor}) failed: {exc}"
        return False
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


@functools.lru_cache(maxsize=1)
def flavor() -> str | None:
    """"drop" (root: a real unprivileged uid), else "userns", else None."""
    for name in ("drop", "userns"):
        if works(name):
            return name
    return None


def available() -> bool:
    """bubblewrap is installed and a sandbox actually starts here (tried once, remembered)."""
    return flavor() is not None


def launcher_for(mode: str = "grade") -> tuple[Launcher, str]:
    """The strongest launcher available and a one-line note for the report (`isolation.choose`:
    bubblewrap, else the kernel's namespaces, else the limits only; `GRADER_SANDBOX` may force one)."""
    from .isolation import choose

    chosen = choose(mode)
    return chosen.launcher, chosen.note
