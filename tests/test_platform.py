"""The supervisor's portable fallback (macOS, Windows), forced on Linux with ``COURSEKIT_PLATFORM=portable``.

No macOS or Windows machine runs these tests: what can be run here is the fallback's code path on Linux (POSIX
calls only: no subreaper, no ``/proc``, no namespaces), and the rule that the supervisor and its platform module
import nothing that exists only on Unix at import time.  The Windows-only calls (``CREATE_NEW_PROCESS_GROUP``,
``taskkill``) are not run anywhere.
"""

from __future__ import annotations

import ast
import os
import select
import subprocess
import sys
from pathlib import Path

import pytest

from coursekit._judge import platform, runner
from coursekit.grading import grade_exercise
from coursekit.registry import Limits, load_course

ROOT = Path(__file__).resolve().parent.parent
JUDGE = ROOT / "coursekit" / "_judge"
UNIX_ONLY = {"resource", "fcntl", "termios", "tty", "pwd", "grp", "posix"}
THREADS = "threads/numbers_letters_threads"
CATALOGUE = ROOT / "tests" / "catalogue" / THREADS

LEAVES_A_CHILD = '''\
import os, subprocess, sys


def main():
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    with open(os.environ["LEFT_PID_FILE"], "w") as f:
        f.write(str(child.pid))
    print("Done!")
'''


def _top_level_imports(path: Path) -> set[str]:
    """Modules a file imports when it is loaded (not inside functions, not under ``if TYPE_CHECKING``)."""
    found = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Import):
            found |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module.split(".")[0])
    return found


@pytest.mark.parametrize("name", ["supervise.py", "platform.py"])
def test_supervisor_loads_on_every_system(name):
    imports = _top_level_imports(JUDGE / name)
    assert not imports & UNIX_ONLY, f"{name} imports {sorted(imports & UNIX_ONLY)} at load time: Unix only"
    assert "coursekit" not in imports, f"{name} is run by path with -I -S: it must not import the kit"


def test_runner_and_sandbox_import_without_unix_only_modules():
    for name in ("runner.py", "sandbox.py", "reading.py"):
        imports = _top_level_imports(JUDGE / name)
        assert not imports & UNIX_ONLY, f"{name} imports {sorted(imports & UNIX_ONLY)} at load time"


def test_kind_is_forced_by_the_variable_and_names_a_bad_value(monkeypatch):
    monkeypatch.delenv(platform.ENV_VAR, raising=False)
    native = platform.kind()
    monkeypatch.setenv(platform.ENV_VAR, "portable")
    assert platform.kind() == ("windows" if native == "windows" else "posix")
    assert platform.children(os.getpid()) == [] and not platform.become_subreaper()
    monkeypatch.setenv(platform.ENV_VAR, "solaris")
    with pytest.raises(ValueError, match="COURSEKIT_PLATFORM='solaris'"):
        platform.kind()
    if native == "linux":
        monkeypatch.setenv(platform.ENV_VAR, "windows")
        with pytest.raises(ValueError, match="cannot be honoured"):
            platform.kind()


@pytest.mark.parametrize("entry", ["correct/thread_objects.py", "wrong/sequential.py", "wrong/run_instead_of_start.py"])
def test_fallback_gives_the_same_verdict(monkeypatch, entry):
    exercise = load_course(ROOT).get(THREADS)
    monkeypatch.delenv(platform.ENV_VAR, raising=False)
    native = grade_exercise(exercise, CATALOGUE / entry)
    monkeypatch.setenv(platform.ENV_VAR, "portable")
    portable = grade_exercise(exercise, CATALOGUE / entry)
    assert [(c.name, c.status, c.points) for c in portable.checks] == [(c.name, c.status, c.points)
                                                                        for c in native.checks]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="pidfd_open: Linux")
def test_fallback_kills_what_the_run_left_in_its_session(monkeypatch, tmp_path):
    module = tmp_path / "leaves.py"
    module.write_text(LEAVES_A_CHILD, encoding="utf-8")
    pid_file = tmp_path / "left.pid"
    monkeypatch.setenv(platform.ENV_VAR, "portable")
    monkeypatch.setenv("LEFT_PID_FILE", str(pid_file))
    raw = runner.run(runner.RunSpec("threads", module, limits=Limits(wall_s=30.0)))
    assert raw.status["platform"] == "posix" and raw.status["subreaper"] is False
    assert not raw.status["timed_out"]
    pid = int(pid_file.read_text())
    try:
        fd = os.pidfd_open(pid)
    except ProcessLookupError:
        return  # gone already (and reaped)
    try:
        ready, _, _ = select.select([fd], [], [], 60)  # readable once the process has ended: no timing involved
        assert ready, f"process {pid}, left by the run in its session, is still alive"
    finally:
        os.close(fd)


def test_bulk_grading_says_it_needs_linux(tmp_path):
    env = {**os.environ, platform.ENV_VAR: "portable", "PYTHONPATH": str(ROOT)}
    (tmp_path / "class").mkdir()
    done = subprocess.run([sys.executable, "-m", "coursekit", "grade", str(tmp_path / "class"), "--out",
                           str(tmp_path / "out")], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
                          check=False)
    assert done.returncode != 0
    assert "course grade runs on Linux only" in done.stderr and "course check still works here" in done.stderr
    assert not (tmp_path / "out").exists()


def test_unsandboxed_runs_keep_their_folder_in_memory_where_there_is_room(tmp_path, monkeypatch):
    # Why: the processes engine's board is small files replaced tens of thousands of times in a check; on a
    # journaling disk each costs a new inode.  /dev/shm only with room to spare, and never off Linux.
    if not Path("/dev/shm").is_dir() or os.statvfs("/dev/shm").f_bavail * os.statvfs("/dev/shm").f_frsize \
            < platform.RUN_FOLDER_FREE:
        pytest.skip("this machine's /dev/shm is missing or small")
    assert platform.run_folder_parent() == "/dev/shm"
    made: list[str] = []
    real_mkdtemp = runner.tempfile.mkdtemp

    def spy(*args, **kwargs):
        made.append(real_mkdtemp(*args, **kwargs))
        return made[-1]

    monkeypatch.setattr(runner.tempfile, "mkdtemp", spy)
    prog = tmp_path / "prog.py"
    prog.write_text("def main():\n    print('hi')\n", encoding="utf-8")
    raw = runner.run(runner.RunSpec("threads", prog))
    assert raw.stdout == "hi\n" and made and made[0].startswith("/dev/shm/coursekit-run-")
    assert not os.path.exists(made[0])  # removed after the run, as before
    with monkeypatch.context() as m:
        m.setattr(platform.os, "statvfs", lambda _: os.statvfs_result((4096, 4096, 10, 10, 10, 0, 0, 0, 0, 255)))
        assert platform.run_folder_parent() is None  # 40 kB free: the system's temporary folder
    monkeypatch.setenv("COURSEKIT_PLATFORM", "portable")
    assert platform.run_folder_parent() is None  # not Linux (as forced): the system's temporary folder
