"""Supervisor: run one harness child under hard limits and leave nothing of it behind.

Run as ``python -I -S _supervise.py JOB.json`` (standalone: no site, no coursekit import).  It becomes a child
subreaper (Linux), so that every orphan of the student's program is re-parented here rather than to init; starts
the harness in a new session with stdout and stderr going to files (a pipe would stall on an orphan that keeps
it open); kills the session at the wall-clock limit; then kills and reaps every remaining descendant, including
ones that called ``setsid()`` or double-forked, and writes what happened to a status file.

Isolation (bulk grading, when the job has a ``sandbox`` entry; see ``coursekit/_judge/sandbox.py``): the child is
started at the strongest level that works here, and ``status["sandbox"]`` says which protections applied:

* ``namespaces`` (root): new mount, network, IPC and PID namespaces (no network at all; System V objects end
  with the run; the harness is pid 2 under an init of ours, and when it ends the kernel kills whatever is left),
  a new root directory that holds only the system folders, the interpreter, the kit copy and the run's own
  folder (so the course, the other students and the other runs do not exist for it), its folder, ``/tmp``,
  ``/dev/shm`` and its trace and guard folders as private size-capped tmpfs (its only writable places; init
  copies the trace and guard folders out for the judge when the run ends), then the run's own
  unprivileged uid, no supplementary groups, and limits on memory, file size and processes;
* ``uid`` (root without namespaces): the unprivileged uid and the limits, nothing hidden, network open; after
  the run, the System V objects and the ``/dev/shm``, ``/tmp``, ``/var/tmp`` files of the uid are removed;
* ``userns-root`` (not root): the same own root directory and no network, inside an unprivileged user
  namespace (as bubblewrap does), with the limits; the run keeps the grader's uid;
* ``userns`` (not root): an unprivileged user + network namespace when the kernel allows it, and the limits;
* ``limits``: only the resource limits.
At every level on x86-64 Linux the harness's parent observes the run (``observe.py``: the run's init under
``namespaces``, else a process forked before the uid is dropped): it traces the harness with ptrace and
records every thread and process it makes and every write to its stdout and stderr, in
``<status>.observed``, for the judge to check the trace against (``corroborate.py``).
As root (``namespaces``, ``uid``), all of the run's processes together are in cgroups of their own (v1
``memory`` and ``pids`` below the supervisor's own, where writable) that cap their memory and tasks.  When the
run is over, every process of the run's uid and cgroups is killed as well as every descendant.  A run the
machine failed (no level could start, the disk full) says so in ``status["infrastructure"]``: not gradable.

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
import stat
import subprocess
import sys
import time

TYPE_CHECKING = False  # the supervisor starts without importing typing (it runs for every single grading)
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import IO, Any

    from coursekit._judge import observe as obs
    from coursekit._judge import platform as plat
else:
    def _load(name):  # by path: -I -S leaves the kit off sys.path, and this script must not import it
        from importlib.util import module_from_spec, spec_from_file_location

        spec = spec_from_file_location(f"_coursekit_{name}", os.path.join(os.path.dirname(__file__), f"{name}.py"))
        module = module_from_spec(spec)
        spec.loader.exec_module(module)
        return module

    plat = _load("platform")
    obs = _load("observe")

CLONE_NEWNS = 0x00020000
CLONE_NEWIPC = 0x08000000
CLONE_NEWUSER = 0x10000000
CLONE_NEWPID = 0x20000000
CLONE_NEWNET = 0x40000000
IPC_RMID = 0
HARNESS_PID = 2  # in a run's own PID namespace: 1 is its init (``_init_of_namespace``), 2 the harness
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
        watch = None  # the observation file, opened while the grader's folders are still in reach
        if box and job.get("observed"):
            watch = os.open(job["observed"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_APPEND | os.O_CLOEXEC,
                            0o600)
        for folder in job.get("cgroups", ()):  # all of the run's processes together (before any namespace)
            with open(os.path.join(folder, "cgroup.procs"), "w") as f:
                f.write(str(os.getpid()))
        if box and level == "namespaces":
            assert libc is not None  # there is a box
            check(libc.unshare(CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWPID), "unshare")
            check(libc.mount(b"none", b"/", None, MS_REC | MS_PRIVATE, None), "mount --make-rprivate /")
            _new_root(box, check, libc, own_proc=True)
            outputs = _private_outputs(box, check, libc)
            cap = int(job.get("file_bytes") or box.get("private_bytes") or 1 << 26) + 1
            _init_of_namespace(lambda: _copy_outputs(outputs, cap), watch)  # returns only in the harness (pid 2)
            root = box["root"]
            if libc.mount(b"proc", (root + "/proc").encode(), b"proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, None) != 0:
                check(libc.mount(b"/proc", (root + "/proc").encode(), None, MS_BIND | MS_REC, None), "bind /proc")
            os.chroot(root)
            os.chdir(box["cwd"])
        elif box and level == "userns-root":  # not root: the same own root, inside a user namespace
            assert libc is not None
            uid, gid = os.getuid(), os.getgid()
            check(libc.unshare(CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWIPC), "unshare")
            for name, text in (("setgroups", "deny"), ("uid_map", f"{uid} {uid} 1"), ("gid_map", f"{gid} {gid} 1")):
                with open(f"/proc/self/{name}", "w") as f:
                    f.write(text)
            check(libc.mount(b"none", b"/", None, MS_REC | MS_PRIVATE, None), "mount --make-rprivate /")
            _new_root(box, check, libc)
            os.chroot(box["root"])
            os.chdir(box["cwd"])
        elif box and level == "userns":
            assert libc is not None
            check(libc.unshare(CLONE_NEWUSER | CLONE_NEWNET | CLONE_NEWIPC), "unshare")
        if watch is not None and level != "namespaces":  # (there, the run's init observes it)
            _fork_observed(watch, reap=False)  # before the uid is dropped and the limits: the observer keeps ours
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


def _new_root(box: dict[str, Any], check: Callable[[int, str], None], libc: ctypes.CDLL,
              own_proc: bool = False) -> None:
    """Make a root holding only the system folders, the interpreter, the kit copy and this run's folder (the
    caller enters it): nothing else of the machine (the course, other students, other runs) exists for the run.

    The run's own folder (its working directory, where it may write), ``/tmp`` and ``/dev/shm`` are private
    tmpfs of a capped size (``box["private_bytes"]`` each): filling them fills no disk of the machine.
    ``own_proc``: leave ``/proc`` empty, for the run's own PID namespace to mount its own."""
    root = box["root"]
    size = int(box.get("private_bytes") or 64 * 1024 * 1024)
    check(libc.mount(b"tmpfs", root.encode(), b"tmpfs", MS_NOSUID | MS_NODEV, b"size=1m,mode=755"), "tmpfs root")
    for link, target in box["links"]:
        os.symlink(target, root + link)
    os.makedirs(root + "/tmp")  # a private /tmp, before the run's own folder is bound inside it
    check(libc.mount(b"tmpfs", (root + "/tmp").encode(), b"tmpfs", MS_NOSUID | MS_NODEV,
                     f"size={size},mode=1777".encode()), "private /tmp")
    for path in box["binds"] + ["/dev"] + ([] if own_proc else ["/proc"]):
        os.makedirs(root + path, exist_ok=True)
        check(libc.mount(path.encode(), (root + path).encode(), None, MS_BIND | MS_REC, None), f"bind {path}")
    if own_proc:
        os.makedirs(root + "/proc", exist_ok=True)
    check(libc.mount(b"tmpfs", (root + "/dev/shm").encode(), b"tmpfs", MS_NOSUID | MS_NODEV,
                     f"size={size},mode=1777".encode()), "private /dev/shm")
    cwd = box["cwd"]
    files = {}  # what the judge put in the run's folder (its file), moved onto the run's private tmpfs
    for entry in os.scandir(cwd):
        if entry.is_file(follow_symlinks=False):
            with open(entry.path, "rb") as f:
                files[entry.name] = (f.read(), entry.stat(follow_symlinks=False))
    owner = box.get("uid")
    mode = f"size={size},mode=700" + (f",uid={owner},gid={owner}" if owner is not None and os.geteuid() == 0 else "")
    check(libc.mount(b"tmpfs", (root + cwd).encode(), b"tmpfs", MS_NOSUID | MS_NODEV, mode.encode()),
          "private working folder")
    for name, (data, st) in files.items():
        fd = os.open(os.path.join(root + cwd, name), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.write(fd, data)
        if os.geteuid() == 0:
            os.fchown(fd, st.st_uid, st.st_gid)
        os.close(fd)


def _private_outputs(box: dict[str, Any], check: Callable[[int, str], None],
                     libc: ctypes.CDLL) -> list[tuple[str, str]]:
    """The run's trace and guard folders, inside its root, as private size-capped tmpfs too (a run that gets past
    the guard can fill them, not the machine's disk); ``_copy_outputs`` hands their content to the judge, in
    the grader's folders of the same name, when the run ends.  Returns (inside, outside) pairs."""
    size = int(box.get("private_bytes") or 64 * 1024 * 1024)
    owner = box.get("uid")
    pairs = []
    for name in ("trace", "guard"):
        folder = box.get(name)
        if not folder:
            continue
        options = f"size={size},nr_inodes=4096,mode=700" + (f",uid={owner},gid={owner}" if owner is not None else "")
        check(libc.mount(b"tmpfs", (box["root"] + folder).encode(), b"tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
                         options.encode()), f"private {name} folder")
        pairs.append((box["root"] + folder, folder))
    return pairs


def _copy_outputs(pairs: list[tuple[str, str]], cap: int) -> None:
    """Copy what the run left in its private trace and guard folders to the grader's own (run by the namespace's
    init, as root, once nothing else of the run is alive).  Attacker-made input: never following a link,
    never blocking, at most ``cap`` bytes a file, two levels of folders, 4096 entries a folder; a FIFO or a link
    is made again as such (not followed), for the judge to refuse as it would have in place."""
    for inside, outside in pairs:
        _copy_tree(inside, outside, cap, 0)


def _copy_tree(src: str, dst: str, cap: int, depth: int) -> None:
    try:
        with os.scandir(src) as it:
            names = [entry.name for _, entry in zip(range(4096), it, strict=False)]
    except OSError:
        return
    for name in names:
        source, target = os.path.join(src, name), os.path.join(dst, name)
        try:
            mode = os.lstat(source).st_mode
            if stat.S_ISDIR(mode):
                if depth < 2:
                    os.mkdir(target, 0o700)
                    _copy_tree(source, target, cap, depth + 1)
            elif stat.S_ISREG(mode):
                _copy_file(source, target, cap)
            elif stat.S_ISFIFO(mode):
                os.mkfifo(target, 0o600)
            elif stat.S_ISLNK(mode):
                os.symlink(os.readlink(source), target)
        except OSError:
            continue


def _copy_file(source: str, target: str, cap: int) -> None:
    fin = os.open(source, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    try:
        fout = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        try:
            left = cap
            while left > 0:
                chunk = os.read(fin, min(left, 1 << 20))
                if not chunk:
                    break
                os.write(fout, chunk)
                left -= len(chunk)
        finally:
            os.close(fout)
    finally:
        os.close(fin)


def _init_of_namespace(on_end: Callable[[], None] | None = None, watch: int | None = None) -> None:
    """Called just after ``unshare(CLONE_NEWPID)``: fork the namespace's init (pid 1), which forks the harness
    (pid 2), observes it (``watch``: the observation file, see ``observe.py``) and reaps every orphan of the
    run; return only in the harness.

    The forked caller stays outside as the supervisor's child and ends as the harness does (its exit code, or
    the same signal).  When the harness ends, init kills every process left in the namespace, calls ``on_end``
    (hands the run's files to the judge) and ends: nothing of the run outlives it, however it forked or
    whichever session it made."""
    init = os.fork()
    if init != 0:
        _wait_then_exit(init, reap=False)
    if watch is not None:
        _fork_observed(watch, reap=True, on_end=on_end)
        return
    harness = os.fork()
    if harness != 0:
        _wait_then_exit(harness, reap=True, on_end=on_end)


def _fork_observed(watch: int, reap: bool, on_end: Callable[[], None] | None = None) -> None:
    """Fork the harness under an observer (``observe.py``): the parent traces it and everything it starts, and
    writes what it saw to ``watch``; the child waits until it is traced, installs the filter that shows its
    writes to the observer, and returns (it goes on to become the harness).  Without ptrace here the run goes on
    unobserved, and the observation file says why."""
    go_r, go_w = os.pipe()
    ack_r, ack_w = os.pipe()
    child = os.fork()
    if child == 0:
        os.close(go_w)
        os.close(ack_r)
        os.close(watch)
        if not reap:  # a group of its own: the run's signals to its group (its own kill switch) miss the observer
            os.setpgid(0, 0)
        traced = os.read(go_r, 1) == b"+"
        os.close(go_r)
        if traced:
            try:
                obs.install_filter()
                os.write(ack_w, b"+")
            except OSError as exc:
                os.write(ack_w, f"-{exc}".encode()[:500])
        os.close(ack_w)
        return
    os.close(go_r)
    os.close(ack_w)
    observer = obs.Observer(watch)
    why = observer.seize(child)
    os.write(go_w, b"-" if why else b"+")
    os.close(go_w)
    said = b""
    while chunk := os.read(ack_r, 512):
        said += chunk
    os.close(ack_r)
    if not why:
        if said.startswith(b"+"):
            observer.confirmed()
        else:
            observer.note(why="no seccomp filter: " + said[1:].decode("utf-8", "replace"))
    _wait_then_exit(child, reap, on_end, observer if not why else None, keep=watch)


def _wait_then_exit(pid: int, reap: bool, on_end: Callable[[], None] | None = None,
                    observer: obs.Observer | None = None, keep: int | None = None) -> None:
    os.closerange(3, keep if keep is not None else 1 << 16)  # holds nothing of the run; above all not the pipe
    if keep is not None:  # that tells when exec happened (``keep``: the observation file)
        os.closerange(keep + 1, 1 << 16)
    wall = obs.WALL if observer is not None else 0
    while True:
        if observer is not None:
            got, status = pid, observer.follow(pid)
            observer.note(end=os.waitstatus_to_exitcode(status))  # (no end: the observer itself was killed)
        else:
            try:
                got, status = os.waitpid(-1 if reap else pid, 0)
            except ChildProcessError:
                os._exit(1)
            except InterruptedError:
                continue
        if got != pid:
            continue
        code = os.waitstatus_to_exitcode(status)
        if reap:  # init: the harness's end as an exit code (a signal as 128 + its number)
            try:
                os.kill(-1, signal.SIGKILL)  # every other process of the namespace
            except OSError:
                pass
            for _ in range(10_000):
                try:
                    os.waitpid(-1, wall)
                except ChildProcessError:
                    break
                except OSError:
                    continue
            try:
                if on_end is not None:
                    on_end()
            except BaseException:  # noqa: BLE001, S110 - init must end here, whatever the copy met
                pass
            os._exit(128 - code if code < 0 else code)
        sig = -code if code < 0 else code - 128 if code > 128 else 0
        if sig:  # outside the namespace: end by the harness's own signal, as if it were the child
            try:
                signal.signal(sig, signal.SIG_DFL)
            except (OSError, ValueError):  # SIGKILL and SIGSTOP have no handler to reset
                pass
            os.kill(os.getpid(), sig)
        os._exit(code)


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
        reap_zombies()
        time.sleep(0.01)


# -- all of a run's processes together: cgroups ------------------------------------------------------------
CGROUPS = "/sys/fs/cgroup"
CPU_PERIOD_US = 100_000


def _make_cgroups(name: str, memory_bytes: int | None, processes: int | None,
                  cpus: float | None = None) -> tuple[list[str], dict[str, Any]]:
    """The run's own cgroups (v1 ``memory``, ``pids`` and ``cpu``, below the supervisor's own), with limits on the
    memory, the number of processes and threads, and the CPU time (a quota of ``cpus`` CPUs per 100 ms) of all the
    run's processes together.  Returns the folders made and what applied (or why not: cgroups read-only, a
    cgroup v2 machine whose controllers are not delegated)."""
    folders = cgroup_folders(name)
    if folders is None:
        return [], {"applied": False, "why": "no /proc/self/cgroup"}
    made: list[str] = []
    applied: dict[str, Any] = {}
    whys = []
    quota = int(cpus * CPU_PERIOD_US) if cpus else None
    wanted = {"memory": [("memory.limit_in_bytes", memory_bytes), ("memory.memsw.limit_in_bytes", memory_bytes)],
              "pids": [("pids.max", processes)],
              "cpu": [("cpu.cfs_period_us", CPU_PERIOD_US if quota else None), ("cpu.cfs_quota_us", quota)]}
    names = {"memory": "memory_bytes", "pids": "processes", "cpu": "cpus"}
    values = {"memory": memory_bytes, "pids": processes, "cpu": cpus}
    for controller, files in wanted.items():
        if not values[controller] or controller not in folders:
            continue
        folder = folders[controller]
        try:
            os.mkdir(folder, 0o755)
        except OSError as exc:
            whys.append(f"{controller}: {exc.strerror or exc}")
            continue
        made.append(folder)
        try:
            for file, value in files:
                if value and os.path.exists(os.path.join(folder, file)):
                    with open(os.path.join(folder, file), "w") as f:
                        f.write(str(value))
        except OSError as exc:
            whys.append(f"{controller}: {exc.strerror or exc}")
            continue
        applied[names[controller]] = values[controller]
    out: dict[str, Any] = {"applied": bool(applied), "version": 1 if applied else None, **applied}
    if whys:
        out["why"] = "; ".join(whys)
    return made, out


def cgroup_folders(name: str) -> dict[str, str] | None:
    """Where the run's cgroup ``name`` is (or would be) in each v1 hierarchy it uses, below this process's own
    (the judge's and its supervisors' are the same); None without ``/proc/self/cgroup``."""
    own: dict[str, str] = {}
    try:
        with open("/proc/self/cgroup", encoding="ascii", errors="replace") as f:
            for line in f:
                parts = line.rstrip("\n").split(":", 2)
                if len(parts) == 3:
                    for controller in parts[1].split(","):
                        own[controller] = parts[2]
    except OSError:
        return None
    return {controller: os.path.join(os.path.join(CGROUPS, controller) + own.get(controller, "/").rstrip("/"), name)
            for controller in ("memory", "pids", "cpu") if os.path.isdir(os.path.join(CGROUPS, controller))}


def end_lost_run(supervisor_pid: int) -> None:
    """The judge's clean-up when a supervisor ended without its report (killed): kill what is left in the run's
    cgroups and remove them (what the supervisor would have done)."""
    folders = cgroup_folders(f"coursekit-{supervisor_pid}") or {}
    _end_cgroups([f for f in folders.values() if os.path.isdir(f)], {"leftovers": []})


def _end_cgroups(folders: list[str], status: dict[str, Any]) -> None:
    """Kill every process still in the run's cgroups, then remove them (the CPU one's throttling goes to
    ``status["cpu"]`` first: how often the run was held back by its quota)."""
    for folder in folders:
        if os.path.exists(os.path.join(folder, "cpu.stat")):
            try:
                with open(os.path.join(folder, "cpu.stat"), encoding="ascii") as f:
                    fields = dict(line.split() for line in f if len(line.split()) == 2)
                status["cpu"] = {k: int(v) for k, v in fields.items() if k in ("nr_periods", "nr_throttled")}
            except (OSError, ValueError):
                pass
        for _ in range(100):
            try:
                with open(os.path.join(folder, "cgroup.procs"), encoding="ascii") as f:
                    pids = [int(x) for x in f.read().split()]
            except (OSError, ValueError):
                pids = []
            if not pids:
                break
            status["leftovers"].extend({"pid": pid, "by": "cgroup"} for pid in pids[:20])
            for pid in pids:
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
            reap_zombies()
            time.sleep(0.01)
        for _ in range(50):
            try:
                os.rmdir(folder)
                break
            except FileNotFoundError:
                break
            except OSError:
                reap_zombies()
                time.sleep(0.02)


# -- what a run leaves outside its process tree: IPC objects and shared files -------------------------------
def _clean_uid_leftovers(uid: int, status: dict[str, Any]) -> None:
    """Remove the System V shared memory, message queues and semaphores, and the files in ``/dev/shm``,
    ``/tmp`` and ``/var/tmp``, that the run's own uid owns (nothing else is that uid): for the levels where the
    run shares the machine's IPC namespace and those folders (``uid``)."""
    libc = ctypes.CDLL(None, use_errno=True)
    removed = []
    for kind, call in (("shm", "shmctl"), ("msg", "msgctl"), ("sem", "semctl")):
        try:
            with open(f"/proc/sysvipc/{kind}", encoding="ascii", errors="replace") as f:
                header, *rows = f.read().splitlines()
        except OSError:
            continue
        names = header.split()
        if "uid" not in names or len(names) < 2:
            continue
        for row in rows:
            fields = row.split()
            try:
                if int(fields[names.index("uid")]) != uid:
                    continue
                ident = int(fields[1])
            except (ValueError, IndexError):
                continue
            rc = (libc.semctl(ident, 0, IPC_RMID, 0) if kind == "sem"
                  else getattr(libc, call)(ident, IPC_RMID, None))
            if rc == 0:
                removed.append(f"{kind} {ident}")
    for folder in ("/dev/shm", "/tmp", "/var/tmp"):
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            try:
                if entry.stat(follow_symlinks=False).st_uid != uid:
                    continue
                if entry.is_dir(follow_symlinks=False):
                    _remove_dir(entry.path)
                else:
                    os.unlink(entry.path)
                removed.append(entry.path)
            except OSError:
                continue
    if removed:
        status["removed"] = removed[:20]


def _remove_dir(top: str) -> None:
    """Remove a folder tree without recursion and without following links (a run may make it deep)."""
    todo = [top]
    while todo:
        folder = todo[-1]
        subs = []
        for entry in os.scandir(folder):
            if entry.is_dir(follow_symlinks=False):
                subs.append(entry.path)
            else:
                os.unlink(entry.path)
        if subs:
            todo.extend(subs)
        else:
            os.rmdir(folder)
            todo.pop()


def reap_zombies() -> None:
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


def _start(job: dict[str, Any], out: IO[bytes], err: IO[bytes], status: dict[str, Any],
           start: Callable[..., Any]) -> Any:
    """Start the harness at the strongest isolation level that works here (``start``: ``platform.start``, or a
    warm start's fork; either returns a ``Popen``-like process)."""
    box = job.get("sandbox")
    failures = []
    for level in _levels(job):
        cmd, env = list(job["cmd"]), dict(job["env"])
        try:
            proc = start(cmd, _limits(job, level), cwd=job["cwd"], env=env, stdout=out, stderr=err)
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
            private = level in ("namespaces", "userns-root")
            status["sandbox"] = {
                "level": level,
                "uid": box["uid"] if root else os.getuid(),
                "unprivileged_user": root,
                "network": "none (network namespace)" if level not in ("limits", "uid") else "not isolated",
                "unsafe": not box.get("never_root"),
                "filesystem": ("own root: only " + ", ".join(box["binds"]) if private
                               else "the whole machine, as far as file permissions allow"),
                "writable": (f"private tmpfs of {box.get('private_bytes')} bytes each: its folder, /tmp, /dev/shm"
                             + (", its trace and guard folders (copied to the judge when it ends)"
                                if level == "namespaces" else "")
                             if private else "its folder on the grader's disk (each file capped by the file-size "
                                             "limit), and whatever file permissions allow"),
                "ipc": ("own IPC namespace (System V objects end with the run)" if level not in ("limits", "uid")
                        else "the machine's; the run's System V objects and shared files are removed after it"
                        if level == "uid" else "the machine's, not cleaned"),
                "pid_namespace": level == "namespaces",
                "limits": {"memory_bytes": job.get("memory_bytes"), "file_bytes": job.get("file_bytes"),
                           "processes": box["max_processes"], "wall_s": job["wall_s"]},
                "cgroup": job.get("cgroup_applied") or {"applied": False, "why": "needs root on Linux"},
                "fallbacks": failures,
            }
        return proc
    raise RuntimeError("could not start the harness: " + "; ".join(failures))


def main(job_path: str | None = None, starter: Callable[..., Any] | None = None) -> None:
    """Supervise the run of ``job_path`` (default: the command line's).  ``starter``: how the harness is started
    (``coursekit/_judge/zygote.py`` forks it from a warm interpreter instead of starting a new one)."""
    with open(job_path or sys.argv[1], encoding="utf-8") as spec:
        job = json.load(spec)
    status: dict[str, Any] = {"subreaper": plat.become_subreaper(), "platform": plat.kind(), "timed_out": False,
                              "leftovers": []}
    start = time.monotonic()
    if job.get("sandbox"):  # facts from outside the run (observe.py), where this machine allows them
        job["observed"] = job["status"] + ".observed"
        status["observed"] = (obs.unavailable() or "ptrace") if job["sandbox"].get("observe", True) else "not asked"
        if status["observed"] != "ptrace":
            with open(job.pop("observed"), "w", encoding="utf-8") as f:
                f.write(json.dumps({"observer": obs.VERSION, "why": status["observed"]}) + "\n")
    cgroups: list[str] = []
    if job.get("sandbox") and plat.kind() == "linux" and os.geteuid() == 0:
        memory = job["sandbox"].get("run_memory_bytes") or (2 * job["memory_bytes"] if job.get("memory_bytes")
                                                             else None)
        cgroups, job["cgroup_applied"] = _make_cgroups(f"coursekit-{os.getpid()}", memory,
                                                       job["sandbox"].get("max_processes"), job["sandbox"].get("cpus"))
        job["cgroups"] = cgroups
    try:
        with open(job["stdout"], "wb") as out, open(job["stderr"], "wb") as err:
            proc = _start(job, out, err, status, starter or plat.start)
    except (OSError, RuntimeError) as exc:  # not the student's doing: the run could not even start
        _end_cgroups(cgroups, status)
        status["infrastructure"] = f"{type(exc).__name__}: {exc}"[:2000]
        status["detail"] = status["infrastructure"]
        _write_status(job, status)
        sys.stderr.write(status["infrastructure"] + "\n")
        return
    with open(job["status"] + ".pid", "w") as f:
        f.write(str(proc.pid))
    if status.get("sandbox", {}).get("pid_namespace"):
        status["root_pid"] = HARNESS_PID  # the trace names processes as the run's own namespace numbers them
    try:
        proc.wait(timeout=job["wall_s"])
    except subprocess.TimeoutExpired:
        status["timed_out"] = True
    if status.get("sandbox", {}).get("unprivileged_user"):
        _kill_uid(status["sandbox"]["uid"], status)
    if status.get("sandbox", {}).get("pid_namespace"):
        try:  # the harness is gone: the namespace's init hands the run's files over and ends
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            pass
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
    _end_cgroups(cgroups, status)
    if status.get("sandbox", {}).get("level") == "uid":
        _clean_uid_leftovers(status["sandbox"]["uid"], status)
    need = (job.get("sandbox") or {}).get("min_free_bytes")
    if need:  # a full disk fails runs for no fault of theirs: none of them may be judged
        disk = os.statvfs(os.path.dirname(os.path.abspath(job["status"])))
        free = disk.f_bavail * disk.f_frsize
        if free < need:
            status["infrastructure"] = f"the grading machine's disk is full ({free} bytes free, {need} needed)"
    _write_status(job, status)


def _write_status(job: dict[str, Any], status: dict[str, Any]) -> None:
    tmp = job["status"] + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(status, f)
    os.replace(tmp, job["status"])


if __name__ == "__main__":
    main()
