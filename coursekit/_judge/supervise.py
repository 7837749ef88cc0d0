"""Supervisor: run one harness child under hard limits and leave nothing of it behind.

Run as ``python -I -S _supervise.py JOB.json`` (standalone: no site, no coursekit import).  It becomes a child
subreaper (Linux), so that every orphan of the student's program is re-parented here rather than to init; starts
the harness in a new session with stdout and stderr going to files (a pipe would stall on an orphan that keeps
it open); kills the session at the wall-clock limit; then kills and reaps every remaining descendant, including
ones that called ``setsid()`` or double-forked, and writes what happened to a status file.

Isolation (bulk grading, when the job has a ``sandbox`` entry; see ``coursekit/_judge/sandbox.py``): the child is
started at the strongest level that works here, and ``status["sandbox"]`` says which protections applied:

* ``namespaces`` (root): new mount and network namespaces (no network at all), a new root directory that holds
  only the system folders, the interpreter, the kit copy and the run's own folder (so the course, the other
  students and the other runs do not exist for it), private ``/tmp`` and ``/dev/shm``, then the run's own
  unprivileged uid, no supplementary groups, and limits on memory, file size and processes;
* ``uid`` (root without namespaces): the unprivileged uid and the limits, nothing hidden, network open;
* ``userns-root`` (not root): the same own root directory and no network, inside an unprivileged user
  namespace (as bubblewrap does), with the limits; the run keeps the grader's uid;
* ``userns`` (not root): an unprivileged user + network namespace when the kernel allows it, and the limits;
* ``limits``: only the resource limits.
When the run is over, every process of the run's uid is killed as well as every descendant.

Everything that depends on the operating system (subreaper, ``/proc``, ``resource``, process groups) is in
``platform.py`` beside this file, loaded by its path (this script imports nothing of the kit): on macOS and
Windows the run gets the limits and the clean-up those systems allow, and ``status["platform"]`` says which.
Bulk grading's sandbox levels need Linux.
"""

from __future__ import annotations

import ctypes
import json
import os
import signal
import subprocess
import sys
import time

TYPE_CHECKING = False  # the supervisor starts without importing typing (it runs for every single grading)
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import IO, Any

    from coursekit._judge import platform as plat
else:
    def _load_platform():  # by path: -I -S leaves the kit off sys.path, and this script must not import it
        from importlib.util import module_from_spec, spec_from_file_location

        spec = spec_from_file_location("_coursekit_platform", os.path.join(os.path.dirname(__file__), "platform.py"))
        module = module_from_spec(spec)
        spec.loader.exec_module(module)
        return module

    plat = _load_platform()

CLONE_NEWNS = 0x00020000
CLONE_NEWUSER = 0x10000000
CLONE_NEWNET = 0x40000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_BIND, MS_REC, MS_PRIVATE = 1, 2, 4, 8, 4096, 16384, 1 << 18


def _limits(job: dict[str, Any], level: str = "limits") -> Callable[[], None]:
    box = job.get("sandbox")
    libc = ctypes.CDLL(None, use_errno=True) if box else None

    def check(rc: int, what: str) -> None:
        if rc != 0:
            err = ctypes.get_errno()
            raise OSError(err, f"{what}: {os.strerror(err)}")

    def apply() -> None:
        why = os.open(job["status"] + ".why", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            _apply()
        except BaseException as exc:  # tell the parent why, then fail: the parent tries the next level
            os.write(why, f"{type(exc).__name__}: {exc}".encode())
            raise
        os.close(why)

    def _apply() -> None:
        os.setsid()
        if box and level == "namespaces":
            assert libc is not None  # there is a box
            check(libc.unshare(CLONE_NEWNS | CLONE_NEWNET), "unshare")
            check(libc.mount(b"none", b"/", None, MS_REC | MS_PRIVATE, None), "mount --make-rprivate /")
            _new_root(box, check, libc)
        elif box and level == "userns-root":  # not root: the same own root, inside a user namespace
            assert libc is not None
            uid, gid = os.getuid(), os.getgid()
            check(libc.unshare(CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWNET), "unshare")
            for name, text in (("setgroups", "deny"), ("uid_map", f"{uid} {uid} 1"), ("gid_map", f"{gid} {gid} 1")):
                with open(f"/proc/self/{name}", "w") as f:
                    f.write(text)
            check(libc.mount(b"none", b"/", None, MS_REC | MS_PRIVATE, None), "mount --make-rprivate /")
            _new_root(box, check, libc)
        elif box and level == "userns":
            assert libc is not None
            check(libc.unshare(CLONE_NEWUSER | CLONE_NEWNET), "unshare")
        nproc = None
        if box:
            nproc = box["max_processes"] + (0 if level in ("namespaces", "uid") else _tasks_of(os.getuid()))
        plat.set_limits(job.get("memory_bytes"), job.get("file_bytes"), nproc)
        if box and level in ("namespaces", "uid"):
            uid = box["uid"]
            os.setgroups([])
            os.setgid(uid)
            os.setuid(uid)
        if box and box.get("never_root") and (os.geteuid() == 0 or os.getuid() == 0):
            raise PermissionError("student code would run as root")  # never, unless the instructor said --unsafe

    return apply


def _new_root(box: dict[str, Any], check: Callable[[int, str], None], libc: ctypes.CDLL) -> None:
    """Make a root holding only the system folders, the interpreter, the kit copy and this run's folder, and
    enter it: nothing else of the machine (the course, other students, other runs) exists for the run."""
    root = box["root"]
    check(libc.mount(b"tmpfs", root.encode(), b"tmpfs", MS_NOSUID | MS_NODEV, b"size=1m,mode=755"), "tmpfs root")
    for link, target in box["links"]:
        os.symlink(target, root + link)
    os.makedirs(root + "/tmp")  # a private /tmp, before the run's own folder is bound inside it
    check(libc.mount(b"tmpfs", (root + "/tmp").encode(), b"tmpfs", MS_NOSUID | MS_NODEV, b"size=64m,mode=1777"),
          "private /tmp")
    for path in box["binds"] + ["/dev", "/proc"]:
        os.makedirs(root + path, exist_ok=True)
        check(libc.mount(path.encode(), (root + path).encode(), None, MS_BIND | MS_REC, None), f"bind {path}")
    check(libc.mount(b"tmpfs", (root + "/dev/shm").encode(), b"tmpfs", MS_NOSUID | MS_NODEV, b"size=64m,mode=1777"),
          "private /dev/shm")
    os.chroot(root)
    os.chdir(box["cwd"])


def _uid_of(pid: str) -> int | None:
    try:
        with open(f"/proc/{pid}/status", "rb") as f:
            for line in f:
                if line.startswith(b"Uid:"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return None


def _tasks_of(uid: int) -> int:
    """Threads and processes that count against RLIMIT_NPROC for ``uid``."""
    total = 0
    for name in os.listdir("/proc"):
        if name.isdigit() and _uid_of(name) == uid:
            try:
                total += len(os.listdir(f"/proc/{name}/task"))
            except OSError:
                total += 1
    return total


def _kill_uid(uid: int, status: dict[str, Any]) -> None:
    """Kill every process of the run's own uid (nothing else runs as it), however it got away from us.

    A helper that becomes the uid sends ``kill(-1, SIGKILL)``: the kernel delivers it to every process that uid
    owns in one sweep, which a fork storm cannot outrun the way a scan of /proc can be outrun."""
    for _ in range(50):
        pids = [int(n) for n in os.listdir("/proc") if n.isdigit() and _uid_of(n) == uid]
        if not pids:
            return
        status["leftovers"].extend({"pid": pid, "by": "uid"} for pid in pids[:20])
        helper = os.fork()
        if helper == 0:
            try:
                os.setgid(uid)
                os.setuid(uid)
                os.kill(-1, signal.SIGKILL)
            finally:
                os._exit(0)
        os.waitpid(helper, 0)
        _reap()
        time.sleep(0.01)


def _reap() -> None:
    """Collect the zombies of re-parented orphans (we are their subreaper)."""
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def _levels(job: dict[str, Any]) -> list[str]:
    box = job.get("sandbox")
    if not box or plat.kind() != "linux":  # namespaces, uids and /proc sweeps are Linux's
        return ["limits"]
    if os.geteuid() == 0 and box.get("uid") is not None:
        levels = ["namespaces"] + (["uid"] if box.get("exe_reachable") else []) + ["limits"]
    else:
        levels = ["userns-root", "userns", "limits"]
    allowed = box.get("levels")
    levels = [lv for lv in levels if not allowed or lv in allowed or lv == "limits"]
    if os.geteuid() == 0 and box.get("never_root"):  # "limits" as root would run student code as root
        levels = [lv for lv in levels if lv != "limits"]
    return levels


def _start(job: dict[str, Any], out: IO[bytes], err: IO[bytes],
           status: dict[str, Any]) -> subprocess.Popen[bytes]:
    """Start the harness at the strongest isolation level that works here."""
    box = job.get("sandbox")
    failures = []
    for level in _levels(job):
        cmd, env = list(job["cmd"]), dict(job["env"])
        try:
            proc = plat.start(cmd, _limits(job, level), cwd=job["cwd"], env=env, stdout=out, stderr=err)
        except (OSError, subprocess.SubprocessError) as exc:
            why = job["status"] + ".why"
            reason = str(exc)
            if os.path.exists(why):
                with open(why) as f:
                    reason = f.read() or reason
            failures.append(f"{level}: {reason}")
            continue
        if box:
            root = level in ("namespaces", "uid")
            status["sandbox"] = {
                "level": level,
                "uid": box["uid"] if root else os.getuid(),
                "unprivileged_user": root,
                "network": "none (network namespace)" if level not in ("limits", "uid") else "not isolated",
                "unsafe": not box.get("never_root"),
                "filesystem": ("own root: only " + ", ".join(box["binds"]) if level in ("namespaces", "userns-root")
                               else "the whole machine, as far as file permissions allow"),
                "limits": {"memory_bytes": job.get("memory_bytes"), "file_bytes": job.get("file_bytes"),
                           "processes": box["max_processes"], "wall_s": job["wall_s"]},
                "fallbacks": failures,
            }
        return proc
    raise RuntimeError("could not start the harness: " + "; ".join(failures))


def main() -> None:
    with open(sys.argv[1], encoding="utf-8") as spec:
        job = json.load(spec)
    status: dict[str, Any] = {"subreaper": plat.become_subreaper(), "platform": plat.kind(), "timed_out": False,
                              "leftovers": []}
    start = time.monotonic()
    with open(job["stdout"], "wb") as out, open(job["stderr"], "wb") as err:
        proc = _start(job, out, err, status)
    with open(job["status"] + ".pid", "w") as f:
        f.write(str(proc.pid))
    try:
        proc.wait(timeout=job["wall_s"])
    except subprocess.TimeoutExpired:
        status["timed_out"] = True
    if status.get("sandbox", {}).get("unprivileged_user"):
        _kill_uid(status["sandbox"]["uid"], status)
    plat.kill_group(proc.pid)
    proc.wait()
    status["returncode"] = proc.returncode
    status["wall_s"] = round(time.monotonic() - start, 3)
    # Everything else still alive below us: the session's stragglers and re-parented orphans.
    for _ in range(200):
        kids = plat.children(os.getpid())
        if not kids:
            break
        for pid in kids:
            status["leftovers"].append({"pid": pid, "cmd": plat.cmdline(pid)})
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        for pid in kids:
            try:
                os.waitpid(pid, 0)
            except OSError:
                pass
    try:
        os.unlink(job["status"] + ".why")
    except OSError:
        pass
    if status.get("sandbox", {}).get("unprivileged_user"):
        _kill_uid(status["sandbox"]["uid"], status)
    tmp = job["status"] + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(status, f)
    os.replace(tmp, job["status"])


if __name__ == "__main__":
    main()
