"""Runs that share nothing: each test attacks one sentence of README's "Isolation" at the OS layer.

The attacks here run *without* the harness and its audit guard (a raw command in the run's box, under the real
supervisor), so that what they prove is what the operating system holds, whatever a student's code does to the
guard: System V shared memory and POSIX shared memory created by a run never outlive it nor reach a later run;
every process of a run ends with it (a double fork that `setsid()`s too); the memory of all of a run's processes
together is capped (a cgroup), not only each process's; the run's only writable places are private, size-capped
tmpfs, so filling them fills no disk of the machine.  Each level is forced, as `tests/test_bulk.py` does, and a
test is skipped (saying why) only where this machine cannot reach the level.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from coursekit._judge import corroborate, reading
from coursekit._judge.sandbox import Sandbox, prepare_box, release_box, sandbox_job

ROOT = Path(__file__).resolve().parent.parent
SYSTEM_PYTHON = Path("/usr/bin/python3.11")  # every user may run it: what the ``uid`` level needs


def _namespaces_here() -> bool:
    return os.geteuid() == 0 and subprocess.run(
        ["unshare", "--mount", "--net", "--ipc", "--pid", "--fork", "true"], capture_output=True,
        check=False).returncode == 0


NAMESPACES = pytest.mark.skipif(not _namespaces_here(), reason="needs root with namespaces (CAP_SYS_ADMIN)")
UID = pytest.mark.skipif(os.geteuid() != 0 or not SYSTEM_PYTHON.exists(),
                         reason="the uid level needs root and an interpreter every user may run")


def run_raw(tmp_path: Path, script: str, level: str, *, memory_mb: int = 1024, name: str = "run",
            python: Path | None = None, **settings: float) -> dict:
    """Run ``script`` (``python -c``) in a run's box at ``level`` under the real supervisor, as bulk grading
    would, but with no harness and no guard; returns the supervisor's status, the output and what the run
    left in its folder on the grader's disk, and what the observer saw of it (``observe.py``)."""
    work = tmp_path / name
    work.mkdir()
    module = tmp_path / f"{name}_module.py"
    module.write_text("def main():\n    pass\n")
    sandbox = Sandbox(levels=(level,), **settings)
    box = prepare_box(sandbox, work, module, None)
    try:
        job = sandbox_job(sandbox, box, work)
        exe = str(python or os.path.realpath(sys.executable))
        if python is not None:
            job["sandbox"]["exe_reachable"] = True
            job["sandbox"]["binds"].append(str(python.parent))
        script = textwrap.dedent(script).replace("TRACE_FOLDER", str(box.trace))
        job.update(cmd=[exe, "-I", "-c", script], cwd=str(box.cwd), stdout=str(work / "stdout"),
                   stderr=str(work / "stderr"), status=str(work / "status.json"), wall_s=60,
                   memory_bytes=memory_mb * 1024 * 1024, file_bytes=4 * 1024 * 1024)
        (work / "job.json").write_text(json.dumps(job))
        supervisor = box.kit / "_judge" / "supervise.py"
        done = subprocess.run([exe, "-I", "-S", str(supervisor), str(work / "job.json")], capture_output=True,
                              text=True, timeout=120, check=False)
        status = json.loads((work / "status.json").read_text()) if (work / "status.json").exists() else {}
        return {"status": status, "stdout": (work / "stdout").read_text(), "stderr": (work / "stderr").read_text(),
                "observed": corroborate.read(work / "status.json.observed", 500),
                "supervisor": done, "left": sorted(p.name for p in box.cwd.iterdir()),
                "trace": {p.name: p.stat().st_size for p in box.trace.iterdir()}}
    finally:
        release_box(box)
        reading.remove_tree(work)


def _sysv_keys() -> set[int]:
    rows = [row for kind in ("shm", "msg") for row in Path(f"/proc/sysvipc/{kind}").read_text().splitlines()[1:]]
    return {int(r.split()[0]) for r in rows}


SYSV_LEAK = """
    import ctypes, os, sys
    libc = ctypes.CDLL(None, use_errno=True)
    libc.shmat.restype = ctypes.c_void_p
    key = {key}
    if sys.argv[-1] == "-c" and {create}:
        shmid = libc.shmget(key, 1 << 20, 0o1666)  # IPC_CREAT | 0666, never removed
        addr = libc.shmat(shmid, None, 0)
        ctypes.memmove(addr, b"a message for the next student", 30)
        libc.shmdt(ctypes.c_void_p(addr))
        queue = libc.msgget(key + 1, 0o1666)
        print("created", shmid >= 0, queue >= 0)
    else:
        shmid = libc.shmget(key, 0, 0)
        if shmid < 0:
            print("absent")
        else:
            addr = libc.shmat(shmid, None, 0)
            print("read", ctypes.string_at(addr, 30))
"""
POSIX_LEAK = """
    import os
    from multiprocessing import resource_tracker, shared_memory
    if {create}:
        shm = shared_memory.SharedMemory(name="coursekit_leak_{tag}", create=True, size=1 << 20)
        shm.buf[:5] = b"hello"
        resource_tracker.unregister(shm._name, "shared_memory")  # nothing unlinks it at exit
        fd = os.open("/dev/shm/coursekit_leak_{tag}_file", os.O_WRONLY | os.O_CREAT, 0o666)
        os.write(fd, b"left behind")
        print("created", sorted(os.listdir("/dev/shm")))
    else:
        print("seen", sorted(n for n in os.listdir("/dev/shm") if "coursekit_leak" in n))
"""


def _levels() -> list:
    return [pytest.param("namespaces", marks=NAMESPACES), pytest.param("uid", marks=UID)]


@pytest.mark.parametrize("level", _levels())
def test_system_v_shared_memory_and_queues_never_outlive_the_run(tmp_path, level):
    key = 0x5C0FFE0 + (1 if level == "uid" else 0)
    python = SYSTEM_PYTHON if level == "uid" else None
    before = _sysv_keys()
    made = run_raw(tmp_path, SYSV_LEAK.format(key=key, create=True), level, name="first", python=python)
    assert made["status"]["sandbox"]["level"] == level, made["status"]
    assert "created True True" in made["stdout"], made
    assert _sysv_keys() - before == set(), "a System V object of the run outlived it"
    later = run_raw(tmp_path, SYSV_LEAK.format(key=key, create=False), level, name="second", python=python)
    assert later["stdout"].strip() == "absent", later


@pytest.mark.parametrize("level", _levels())
def test_posix_shared_memory_never_outlives_the_run(tmp_path, level):
    tag = level
    python = SYSTEM_PYTHON if level == "uid" else None
    made = run_raw(tmp_path, POSIX_LEAK.format(create=True, tag=tag), level, name="first", python=python)
    assert f"coursekit_leak_{tag}" in made["stdout"], made
    assert not [n for n in os.listdir("/dev/shm") if "coursekit_leak" in n]
    later = run_raw(tmp_path, POSIX_LEAK.format(create=False, tag=tag), level, name="second", python=python)
    assert later["stdout"].strip() == "seen []", later


DAEMON = """
    import os, subprocess, sys, time
    print("pid", os.getpid(), "processes", sorted(int(n) for n in os.listdir("/proc") if n.isdigit()))
    with open("/tmp/coursekit_hostile_tmp_{tag}", "w") as f:
        f.write("left in /tmp")
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)  # coursekit-daemon-{tag}"])
            time.sleep(600)
        os._exit(0)
    time.sleep(0.5)
    sys.stdout.flush()
    os._exit(0)
"""


def _alive(marker: str) -> list[int]:
    out = []
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                if marker.encode() in Path(f"/proc/{name}/cmdline").read_bytes():
                    out.append(int(name))
            except OSError:
                pass
    return out


@pytest.mark.parametrize("level", _levels())
def test_a_run_has_its_own_pid_namespace_and_nothing_of_it_outlives_it(tmp_path, level):
    python = SYSTEM_PYTHON if level == "uid" else None
    done = run_raw(tmp_path, DAEMON.format(tag=level), level, python=python)
    sb = done["status"]["sandbox"]
    assert sb["level"] == level
    if level == "namespaces":
        assert sb["pid_namespace"] and done["status"]["root_pid"] == 2
        assert done["stdout"].startswith("pid 2 processes [1, 2]"), done  # its init and itself: nothing else
    assert _alive(f"coursekit-daemon-{level}") == []
    assert not Path(f"/tmp/coursekit_hostile_tmp_{level}").exists()


@NAMESPACES
def test_the_memory_of_all_of_a_runs_processes_together_is_capped(tmp_path):
    """Three processes of 120 MB each, every one under the per-process limit of 256 MB: together over it."""
    script = """
        import os, time
        kids = []
        for _ in range(3):
            pid = os.fork()
            if pid == 0:
                block = bytearray(120 * 1024 * 1024)
                for i in range(0, len(block), 4096):
                    block[i] = 1
                time.sleep(2)
                os._exit(0)
            kids.append(pid)
        codes = [os.waitstatus_to_exitcode(os.waitpid(k, 0)[1]) for k in kids]
        print("codes", codes)
    """
    done = run_raw(tmp_path, script, "namespaces", memory_mb=256, run_memory_mb=256)
    cgroup = done["status"]["sandbox"]["cgroup"]
    if not cgroup.get("applied"):
        pytest.skip(f"no writable cgroup here: {cgroup.get('why')}")
    assert cgroup["memory_bytes"] == 256 * 1024 * 1024
    codes = json.loads(done["stdout"].split("codes", 1)[1])
    assert -9 in codes, done  # the kernel's OOM killer, inside the run's own cgroup
    assert run_cgroups() == [], "a run's cgroup was left behind"


@NAMESPACES
def test_the_cpu_of_all_of_a_runs_processes_together_is_capped(tmp_path):
    """Three processes spinning for a second, against a quota of a tenth of a CPU for the whole run: the kernel
    holds the run back (throttled periods), and the three together got about that much CPU, not three CPUs."""
    script = """
        import os, time
        start, kids = time.monotonic(), []
        for _ in range(3):
            pid = os.fork()
            if pid == 0:
                end = time.monotonic() + 1.0
                while time.monotonic() < end:
                    pass
                os._exit(0)
            kids.append(pid)
        for k in kids:
            os.waitpid(k, 0)
        usage = os.times()
        print("cpu", usage.children_user + usage.children_system, time.monotonic() - start)
    """
    done = run_raw(tmp_path, script, "namespaces", cpus=0.1)
    cgroup = done["status"]["sandbox"]["cgroup"]
    if "cpus" not in cgroup:
        pytest.skip(f"no writable cpu cgroup here: {cgroup.get('why')}")
    assert cgroup["cpus"] == 0.1
    assert done["status"]["cpu"]["nr_throttled"] > 0, done["status"]  # without the quota: no "cpu" at all
    used, elapsed = (float(x) for x in done["stdout"].split("cpu", 1)[1].split())
    assert used <= 0.1 * elapsed + 0.15, done  # on an idle machine, three spinning processes would use 2 CPUs
    assert run_cgroups() == [], "a run's cgroup was left behind"


def run_cgroups() -> list[str]:
    """The runs' cgroups (``coursekit-<supervisor pid>``) below this process's own, in every v1 hierarchy, whose
    supervisor has ended: left behind (a live supervisor's, of a run going on beside this test, is not)."""
    left = []
    for line in Path("/proc/self/cgroup").read_text().splitlines():
        _, controllers, path = line.split(":", 2)
        for controller in controllers.split(","):
            folder = Path("/sys/fs/cgroup", controller) / path.lstrip("/")
            if controller and folder.is_dir():
                left += [str(d) for d in folder.iterdir() if d.name.startswith("coursekit-")
                         and not Path("/proc", d.name.removeprefix("coursekit-")).exists()]
    return left


@NAMESPACES
def test_filling_the_runs_folder_fills_a_private_tmpfs_not_the_disk(tmp_path):
    script = """
        import os
        written = 0
        for folder in (".", "/tmp", "/dev/shm"):
            for i in range(40):
                try:
                    with open(os.path.join(folder, f"fill{i}"), "wb") as f:
                        f.write(b"x" * (1024 * 1024))
                    written += 1
                except OSError as exc:
                    print(folder, "full:", exc.strerror)
                    break
        print("written", written)
    """
    done = run_raw(tmp_path, script, "namespaces", private_mb=8)
    assert done["stdout"].count("full: No space left on device") == 3, done
    assert int(done["stdout"].split("written")[1]) <= 3 * 8
    assert done["left"] == ["run_module.py"]  # on the grader's disk, the run's folder holds only its file


@NAMESPACES
def test_the_trace_folder_is_a_private_tmpfs_too_and_the_judge_gets_its_files(tmp_path):
    """A run past the guard can write in its trace folder: there, too, it fills a capped tmpfs, not the disk;
    what it left is handed to the judge (bounded), a FIFO as a FIFO, for the judge's reading to refuse."""
    script = """
        import os
        with open("TRACE_FOLDER/2.jsonl", "w") as f:
            f.write('{"e": "line"}\\n')
        os.mkfifo("TRACE_FOLDER/3.jsonl")
        written = 0
        for i in range(64):
            try:
                with open(f"TRACE_FOLDER/fill{i}.jsonl", "wb") as f:
                    f.write(b"x" * (1024 * 1024))
                written += 1
            except OSError as exc:
                print("full:", exc.strerror)
                break
        print("written", written)
    """
    done = run_raw(tmp_path, script, "namespaces", private_mb=8)
    assert "full: No space left on device" in done["stdout"], done
    assert done["trace"]["2.jsonl"] == len('{"e": "line"}\n') and "3.jsonl" in done["trace"]
    assert sum(done["trace"].values()) <= 8 * 1024 * 1024


def kill_when_named(marker: Path) -> tuple[threading.Thread, list[int]]:
    """A started thread that kills (SIGKILL), from outside the run, the process whose pid the run writes to
    ``marker`` as soon as it is there; and the list of what it killed."""
    killed: list[int] = []

    def kill() -> None:
        for _ in range(400):
            if marker.exists() and marker.read_text().strip().isdigit():
                killed.append(int(marker.read_text()))
                os.kill(killed[0], 9)
                return
            time.sleep(0.05)

    killer = threading.Thread(target=kill)
    killer.start()
    return killer, killed


@pytest.mark.skipif(os.geteuid() != 0 or not Path("/sys/fs/cgroup/pids").is_dir(),
                    reason="the run's cgroups are made by a supervisor running as root, with cgroup v1 here")
def test_a_supervisor_killed_from_outside_leaves_no_cgroup_and_no_process(tmp_path):
    """Whatever killed it (an operator, the OOM killer, a bug), the judge cleans up after a supervisor that ended
    without its report: the run's cgroups are removed and what was in them is killed; the run is "regrade"."""
    from coursekit._judge import runner
    from coursekit.registry import Limits

    marker = Path(f"/dev/shm/coursekit-lost-supervisor-{os.getpid()}")  # (the guard lets a run write there)
    marker.unlink(missing_ok=True)
    module = tmp_path / "waits.py"
    module.write_text(textwrap.dedent(f"""
        import os, select
        def main():
            with open(f"/proc/{{os.getppid()}}/stat") as f:  # the harness's parent observes it; its parent
                supervisor = f.read().rsplit(")", 1)[1].split()[1]  # is the supervisor
            with open({str(marker)!r}, "w") as f:
                f.write(supervisor)
            select.select([], [], [], 20)  # a real wait: the supervisor is killed meanwhile
    """))

    killer, killed = kill_when_named(marker)
    runner.use_sandbox(Sandbox(levels=("limits",), unsafe=True))
    try:
        with pytest.raises(runner.InfrastructureError, match="supervisor"):
            runner.run(runner.RunSpec("threads", module, limits=Limits(wall_s=40.0, stall_s=30.0)))
    finally:
        runner.use_sandbox(None)
        killer.join()
        marker.unlink(missing_ok=True)
    assert killed
    for _ in range(100):  # until it is reaped (``run_cgroups`` counts the cgroups of supervisors that are gone)
        if not Path(f"/proc/{killed[0]}").exists():
            break
        time.sleep(0.05)
    assert run_cgroups() == [], "a run's cgroup was left behind"
    assert _alive(str(module)) == []
