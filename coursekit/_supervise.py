"""Supervisor: run one harness child under hard limits and leave nothing of it behind.

Run as ``python -I -S _supervise.py JOB.json`` (standalone: no site, no coursekit import).  It becomes a child
subreaper (Linux), so that every orphan of the student's program is re-parented here rather than to init; starts
the harness in a new session with stdout and stderr going to files (a pipe would stall on an orphan that keeps
it open); kills the session at the wall-clock limit; then kills and reaps every remaining descendant, including
ones that called ``setsid()`` or double-forked, and writes what happened to a status file.
"""

import ctypes
import json
import os
import resource
import signal
import subprocess
import sys
import time

PR_SET_CHILD_SUBREAPER = 36


def _become_subreaper():
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _children(pid):
    kids = []
    try:
        names = os.listdir("/proc")
    except OSError:
        return kids
    for name in names:
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as f:
                stat = f.read().decode("ascii", "replace")
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2 :].split()
        if len(fields) > 1 and int(fields[1]) == pid:
            kids.append(int(name))
    return kids


def _cmdline(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().replace(b"\0", b" ").decode("utf-8", "replace").strip()[:200]
    except OSError:
        return ""


def _limits(job):
    def apply():
        os.setsid()
        mem = job.get("memory_bytes")
        if mem:
            resource.setrlimit(resource.RLIMIT_AS, (mem, mem))
        fsize = job.get("file_bytes")
        if fsize:
            resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))

    return apply


def main():
    job = json.load(open(sys.argv[1], encoding="utf-8"))
    status = {"subreaper": _become_subreaper(), "timed_out": False, "leftovers": []}
    start = time.monotonic()
    with open(job["stdout"], "wb") as out, open(job["stderr"], "wb") as err:
        proc = subprocess.Popen(
            job["cmd"], cwd=job["cwd"], env=job["env"], stdin=subprocess.DEVNULL, stdout=out, stderr=err,
            preexec_fn=_limits(job), close_fds=True,
        )
    with open(job["status"] + ".pid", "w") as f:
        f.write(str(proc.pid))
    try:
        proc.wait(timeout=job["wall_s"])
    except subprocess.TimeoutExpired:
        status["timed_out"] = True
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except OSError:
        pass
    proc.wait()
    status["returncode"] = proc.returncode
    status["wall_s"] = round(time.monotonic() - start, 3)
    # Everything else still alive below us: the session's stragglers and re-parented orphans.
    for _ in range(200):
        kids = _children(os.getpid())
        if not kids:
            break
        for pid in kids:
            status["leftovers"].append({"pid": pid, "cmd": _cmdline(pid)})
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        for pid in kids:
            try:
                os.waitpid(pid, 0)
            except OSError:
                pass
    tmp = job["status"] + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(status, f)
    os.replace(tmp, job["status"])


if __name__ == "__main__":
    main()
