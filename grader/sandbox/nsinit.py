"""Start a command in new Linux namespaces with a minimal file system: the sandbox when bwrap is missing.

Run as `python -I -S nsinit.py CONFIG -- COMMAND…` (standard library only, like worker.py; the
grader side is `namespaces.py`, which writes CONFIG, a JSON object). Three processes:

1. this one (outside): `unshare` of the mount, network, pid, IPC and UTS namespaces. It waits for 2
   and exits with its status (128 + N for a death by signal N, as bwrap does). It dies with its
   parent (the grader's `preexec_fn` asked the kernel), and then 2 dies, and the namespace with it.
   In the "userns" way a child first makes a user namespace, whose uid map this process writes
   from outside (the caller's uid is `inner_uid` inside), and that child goes on as this one would.
2. pid 1 of the new pid namespace: makes the new root (a tmpfs with read-only binds of what the
   worker needs, the submission's copy writable, a fresh /proc, a minimal /dev), `pivot_root`s
   into it and detaches the old root — nothing else of the machine exists any more: not the
   reference, the rubric, the class folder, the reports, /home. It starts 3, reaps orphans, gives
   up its capabilities, and exits when 3 does; the kernel then kills whatever 3 left behind.
3. the command, with no capabilities, `no_new_privs` and an empty bounding set; as root, under a
   uid of its own (`uid`) — an ordinary unprivileged user of the kernel, whom RLIMIT_NPROC holds.

An error while setting up is printed (`nsinit: …`) and is exit status 125.
"""

from __future__ import annotations

import ctypes
import json
import os
import sys

CLONE_NEWNS, CLONE_NEWCGROUP, CLONE_NEWUTS, CLONE_NEWIPC = 0x00020000, 0x02000000, 0x04000000, 0x08000000
CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET = 0x10000000, 0x20000000, 0x40000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_REMOUNT = 1, 2, 4, 8, 32
MS_BIND, MS_REC, MS_PRIVATE = 4096, 16384, 1 << 18
MNT_DETACH = 2
# statvfs flags a read-only remount must keep (a user namespace may not clear them); same values as MS_*.
KEPT_FLAGS = MS_NOSUID | MS_NODEV | MS_NOEXEC | 16 | 64 | 1024 | 2048 | 4096
PR_SET_PDEATHSIG, PR_SET_DUMPABLE, PR_CAPBSET_DROP, PR_SET_NO_NEW_PRIVS = 1, 4, 24, 38
PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL = 47, 4
SIGKILL = 9
PIVOT_ROOT = {"x86_64": 155, "aarch64": 41, "arm64": 41, "riscv64": 41, "loongarch64": 41, "i686": 217,
              "i386": 217, "s390x": 217, "ppc64le": 203, "ppc64": 203, "armv7l": 218, "armv6l": 218}
DEVICES = ("null", "zero", "full", "random", "urandom", "tty")
SETUP_FAILED = 125

libc = ctypes.CDLL(None, use_errno=True)


class SetupError(Exception):
    pass


def _check(result: int, what: str) -> None:
    if result != 0:
        err = ctypes.get_errno()
        raise SetupError(f"{what}: {os.strerror(err)}")


def mount(source: str | None, target: str, fstype: str | None, flags: int, data: str | None = None) -> None:
    enc = [None if v is None else v.encode() for v in (source, target, fstype, data)]
    _check(libc.mount(enc[0], enc[1], enc[2], ctypes.c_ulong(flags), enc[3]), f"mount {target}")


def _write(path: str, text: str) -> None:
    fd = os.open(path, os.O_WRONLY)
    try:
        os.write(fd, text.encode())
    finally:
        os.close(fd)


# ── building the new root ───────────────────────────────────────────────────────────────────────

def _point(path: str, is_dir: bool) -> None:
    """A mount point: a folder, or an empty file (folders on the way 0755)."""
    os.makedirs(path if is_dir else os.path.dirname(path), mode=0o755, exist_ok=True)
    if not is_dir and not os.path.exists(path):
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o644))


def _read_only(target: str) -> None:
    kept = os.statvfs(target).f_flag & KEPT_FLAGS
    mount(None, target, None, MS_REMOUNT | MS_BIND | MS_RDONLY | kept)


def _bind(src: str, target: str, writable: bool) -> None:
    _point(target, os.path.isdir(src))
    mount(src, target, None, MS_BIND | MS_REC)
    if not writable:
        _read_only(target)


def _tmpfs(target: str, mode: str, size: int) -> None:
    _point(target, True)
    mount("tmpfs", target, "tmpfs", MS_NOSUID | MS_NODEV, f"mode={mode},size={size}")


def _dev(target: str) -> None:
    _tmpfs(target, "0755", 1 << 20)
    for name in DEVICES:
        if os.path.exists(f"/dev/{name}"):
            _bind(f"/dev/{name}", f"{target}/{name}", writable=True)
    for name, link in (("fd", "/proc/self/fd"), ("stdin", "/proc/self/fd/0"), ("stdout", "/proc/self/fd/1"),
                       ("stderr", "/proc/self/fd/2")):
        os.symlink(link, f"{target}/{name}")


def _proc(target: str) -> None:
    _point(target, True)
    try:
        mount("proc", target, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
    except SetupError as exc:  # a container may forbid it: no /proc at all then, rather than the host's
        print(f"nsinit: no /proc ({exc})", file=sys.stderr)
        return
    # Read-only kernel knobs: a process whose kernel uid is root could otherwise write global sysctls.
    _bind(f"{target}/sys", f"{target}/sys", writable=False)


def build(root: str, ops: list[list]) -> None:
    mount(None, "/", None, MS_REC | MS_PRIVATE)  # nothing done here reaches the machine's mounts
    mount("tmpfs", root, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755,size=1048576")
    for op in ops:
        kind, dest = op[0], root + op[1]
        if kind == "bind":
            _bind(op[2], dest, writable=bool(op[3]))
        elif kind == "dir":
            _point(dest, True)
        elif kind == "symlink":
            _point(os.path.dirname(dest), True)
            os.symlink(op[2], dest)
        elif kind == "tmpfs":
            _tmpfs(dest, op[2], int(op[3]))
        elif kind == "read_only":
            _read_only(dest)
        elif kind == "proc":
            _proc(dest)
        elif kind == "dev":
            _dev(dest)
        else:
            raise SetupError(f"unknown step {kind!r}")


def enter(root: str) -> None:
    """pivot_root into `root` and let go of the old one: the machine's file system is gone."""
    number = PIVOT_ROOT.get(os.uname().machine)
    if number is None:
        raise SetupError(f"pivot_root: unknown machine {os.uname().machine}")
    os.chdir(root)
    os.mkdir(".oldroot", 0o700)
    _check(libc.syscall(number, b".", b".oldroot"), "pivot_root")
    os.chdir("/")
    _check(libc.umount2(b"/.oldroot", MNT_DETACH), "umount the old root")
    os.rmdir("/.oldroot")
    mount(None, "/", None, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV)


# ── privileges ──────────────────────────────────────────────────────────────────────────────────

class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]


def no_capabilities() -> None:
    header, data = _CapHeader(0x20080522, 0), (_CapData * 2)()
    _check(libc.capset(ctypes.byref(header), data), "capset")


def give_up(uid: int | None, last_cap: int) -> None:
    """What the command runs as: no capability, none to regain (bounding set, no_new_privs), and as
    root, a uid of its own."""
    for cap in range(last_cap + 1):
        libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0)
    libc.prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0)
    if uid is not None:
        os.setgroups([])
        os.setresgid(uid, uid, uid)
        os.setresuid(uid, uid, uid)
    no_capabilities()
    _check(libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "no_new_privs")


def _status(status: int) -> int:
    if os.WIFSIGNALED(status):
        return 128 + os.WTERMSIG(status)
    return os.WEXITSTATUS(status) if os.WIFEXITED(status) else 1


def _close(fds: list[int]) -> None:
    for fd in fds:
        try:
            os.close(fd)
        except OSError:
            pass


# ── the three processes ─────────────────────────────────────────────────────────────────────────

def init(config: dict, argv: list[str], last_cap: int) -> int:
    """pid 1: the new root, then the command; reaps until the command ends and returns its status."""
    libc.prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0)
    os.umask(0o022)
    build(config["root"], config["ops"])
    enter(config["root"])
    _check(libc.sethostname(b"sandbox", 7), "sethostname")
    os.chdir(config["cwd"])
    child = os.fork()
    if child == 0:
        try:
            give_up(config.get("uid"), last_cap)
            os.execv(argv[0], argv)
        except BaseException as exc:  # noqa: BLE001
            print(f"nsinit: {exc}", file=sys.stderr)
        os._exit(SETUP_FAILED)
    libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)  # the command cannot ptrace its init
    _close(config.get("fds", []))
    try:
        no_capabilities()
    except SetupError:
        pass
    while True:
        try:
            pid, status = os.waitpid(-1, 0)
        except ChildProcessError:
            return 1
        except InterruptedError:
            continue
        if pid == child:
            return _status(status)


def _wait(child: int) -> int:
    while True:
        try:
            _, status = os.waitpid(child, 0)
            return _status(status)
        except InterruptedError:
            continue


def _unshare_and_init(config: dict, argv: list[str], last_cap: int) -> int:
    """The namespaces other than the user's, then pid 1 in them (a child: the pid namespace is its)."""
    flags = CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWUTS
    _check(libc.unshare(flags), "unshare")
    libc.unshare(CLONE_NEWCGROUP)  # an older kernel has none: a nicety
    child = os.fork()
    if child == 0:
        try:
            code = init(config, argv, last_cap)
        except BaseException as exc:  # noqa: BLE001 - say what failed; the grader reads it in the worker's log
            print(f"nsinit: {exc}", file=sys.stderr)
            code = SETUP_FAILED
        sys.stderr.flush()
        os._exit(code)
    _close(config.get("fds", []))
    return _wait(child)


def _in_user_namespace(config: dict, argv: list[str], last_cap: int) -> int:
    """A child makes the user namespace; this process, still outside it, writes its uid and gid maps
    (mapping root's uid needs a privilege only the outside has), then the child goes on."""
    ready_r, ready_w = os.pipe()
    go_r, go_w = os.pipe()
    parent = os.getpid()
    child = os.fork()
    if child == 0:
        code = SETUP_FAILED
        try:
            libc.prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0)
            if os.getppid() != parent:
                os._exit(code)
            _check(libc.unshare(CLONE_NEWUSER), "unshare the user namespace")
            os.write(ready_w, b"1")
            if os.read(go_r, 1) != b"1":
                raise SetupError("the uid map was not written")
            code = _unshare_and_init(config, argv, last_cap)
        except BaseException as exc:  # noqa: BLE001
            print(f"nsinit: {exc}", file=sys.stderr)
        sys.stderr.flush()
        os._exit(code)
    _close([ready_w, go_r])
    try:
        if os.read(ready_r, 1) != b"1":
            raise SetupError("the user namespace was not made")
        inner, uid, gid = config["inner_uid"], os.geteuid(), os.getegid()
        _write(f"/proc/{child}/setgroups", "deny")
        _write(f"/proc/{child}/uid_map", f"{inner} {uid} 1\n")
        _write(f"/proc/{child}/gid_map", f"{inner} {gid} 1\n")
        os.write(go_w, b"1")
    except (SetupError, OSError) as exc:
        print(f"nsinit: uid map: {exc}", file=sys.stderr)
        os.kill(child, SIGKILL)
    _close([ready_r, go_w, *config.get("fds", [])])
    return _wait(child)


def main() -> int:
    config = json.loads(sys.argv[1])
    argv = sys.argv[sys.argv.index("--") + 1:]
    try:
        with open("/proc/sys/kernel/cap_last_cap", encoding="ascii") as f:
            last_cap = int(f.read())
    except (OSError, ValueError):
        last_cap = 63
    try:
        if config.get("userns"):
            return _in_user_namespace(config, argv, last_cap)
        return _unshare_and_init(config, argv, last_cap)
    except (SetupError, OSError) as exc:
        print(f"nsinit: {exc}", file=sys.stderr)
        return SETUP_FAILED


if __name__ == "__main__":
    sys.exit(main())
