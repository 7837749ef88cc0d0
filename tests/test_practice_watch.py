"""Watch mode, for real: `course watch` in a tmux terminal, a file saved, the re-check seen on screen, keys pressed.

Screens are polled until what is expected shows up (or a generous deadline passes): the time it takes depends
on the machine's load, the verdicts do not.
"""

from __future__ import annotations

import os
import queue
import re
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from _course_copy import ROOT, copy_course

from coursekit._practice.watching import FileChanged, FileWatcher
from coursekit.registry import load_course

EX = "threads/numbers_letters_threads"
DEADLINE_S = 90


def _tmux_or_skip() -> str:
    tmux = shutil.which("tmux")
    if tmux is None:
        if os.environ.get("CI"):
            pytest.fail("tmux is missing on CI: .ci/run installs it")
        pytest.skip("tmux is not installed")
    return tmux


class Terminal:
    """A tmux session on a private server socket (never the user's own tmux)."""

    def __init__(self, tmux: str, socket: Path) -> None:
        self.base = [tmux, "-S", str(socket)]

    def __call__(self, *args: str) -> str:
        return subprocess.run([*self.base, *args], capture_output=True, text=True, timeout=30, check=False).stdout

    def screen(self) -> str:
        return self("capture-pane", "-p", "-J", "-S", "-200", "-t", "watch")

    def wait_for(self, text: str, *, after: str = "") -> str:
        """Poll the screen until ``text`` shows (below the last ``after``, if given); return the screen."""
        end = time.monotonic() + DEADLINE_S
        while True:
            screen = self.screen()
            tail = screen[screen.rfind(after):] if after and after in screen else ("" if after else screen)
            if text in tail:
                return screen
            if time.monotonic() > end:
                raise AssertionError(f"{text!r} did not show within {DEADLINE_S} s; the screen:\n{screen}")
            time.sleep(0.2)


@pytest.fixture
def terminal(tmp_path):
    tmux = _tmux_or_skip()
    term = Terminal(tmux, tmp_path / "tmux.sock")
    yield term
    term("kill-server")


def test_watch_rechecks_on_save_and_answers_keys(tmp_path, terminal):
    course = copy_course(tmp_path / "course")
    log = tmp_path / "watch.log"
    env = f"PYTHONPATH={shlex.quote(str(ROOT))} TERM=xterm-256color"
    cmd = (f"cd {shlex.quote(str(course))} && env {env} {shlex.quote(sys.executable)} -m coursekit watch {EX} "
           f"2>{shlex.quote(str(log))}; echo watch-exited-$?; sleep 60")
    terminal("new-session", "-d", "-s", "watch", "-x", "130", "-y", "60", cmd)
    screen = terminal.wait_for("Not written yet")
    assert "[n] next" in screen and "[h] hint" in screen and "[q] quit" in screen
    assert "\u2717 runs" in screen  # box-drawing terminal: symbols, not words

    # Save a wrong version: the re-check shows its failure with the timeline lanes.
    shutil.copyfile(ROOT / "tests" / "catalogue" / EX / "wrong" / "no_join.py", course / "exercises" / f"{EX}.py")
    screen = terminal.wait_for("first difference")
    assert "your program" in screen and "thread print_numbers" in screen and "\u25cf" in screen

    # Save the solution: solved, on screen.
    shutil.copyfile(course / "solutions" / f"{EX}.py", course / "exercises" / f"{EX}.py")
    terminal.wait_for("Solved! Press n")

    terminal("send-keys", "-t", "watch", "h")
    terminal.wait_for("Hint 1/")
    terminal("send-keys", "-t", "watch", "l")
    screen = terminal.wait_for("Progress")
    assert "solved" in screen
    terminal("send-keys", "-t", "watch", "n")
    following = load_course(course).exercises[1]
    terminal.wait_for(f"#2/{len(load_course(course).exercises)} {following.id}")
    terminal("send-keys", "-t", "watch", "q")
    screen = terminal.wait_for("watch-exited-0")
    assert "Stopped watching" in screen
    assert "Traceback" not in log.read_text()


def test_polling_sees_a_saved_file_where_file_events_are_not_used(tmp_path):
    folder = tmp_path / "exercises"
    folder.mkdir()
    target = folder / "a.py"
    target.write_text("x = 1\n")
    events: queue.Queue = queue.Queue()
    watcher = FileWatcher(folder, events, poll=True).start()
    try:
        assert watcher.mode == "polling"
        time.sleep(0.1)
        target.write_text("x = 22\n")
        event = events.get(timeout=30)
        assert event == FileChanged(target)
    finally:
        watcher.close()


def test_the_solution_asks_first_in_a_terminal(tmp_path, terminal):
    course = copy_course(tmp_path / "course")
    env = f"PYTHONPATH={shlex.quote(str(ROOT))} TERM=xterm-256color"
    cmd = (f"cd {shlex.quote(str(course))} && env {env} {shlex.quote(sys.executable)} -m coursekit solution {EX} "
           "--diff; echo solution-exited-$?; sleep 60")
    terminal("new-session", "-d", "-s", "watch", "-x", "130", "-y", "60", cmd)
    terminal.wait_for("Show it anyway? [y/N]")
    terminal("send-keys", "-t", "watch", "y", "Enter")
    screen = terminal.wait_for("solution-exited-0")
    assert "(reference)" in screen and "threading.Thread(" in screen


def _visible(terminal: Terminal) -> list[str]:
    """The rows on screen now (no scrollback): what a learner sees without scrolling."""
    return terminal("capture-pane", "-p", "-t", "watch").rstrip("\n").splitlines()


def test_an_80x24_terminal_shows_the_score_the_first_failure_its_picture_and_the_keys(tmp_path, terminal):
    """run() instead of start() fails six checks with one mistake: one screen must still hold the score, the
    first failing check with its words and a picture, and the keys; the mistake is named once on it."""
    course = copy_course(tmp_path / "course")
    shutil.copyfile(ROOT / "tests" / "catalogue" / EX / "wrong" / "run_instead_of_start.py",
                    course / "exercises" / f"{EX}.py")
    log = tmp_path / "watch.log"
    env = f"PYTHONPATH={shlex.quote(str(ROOT))} TERM=xterm-256color"
    cmd = (f"cd {shlex.quote(str(course))} && env {env} {shlex.quote(sys.executable)} -m coursekit watch {EX} "
           f"2>{shlex.quote(str(log))}; echo watch-exited-$?; sleep 60")
    terminal("new-session", "-d", "-s", "watch", "-x", "80", "-y", "24", cmd)
    terminal.wait_for("[q] quit")
    terminal.wait_for("page 1/")
    rows = _visible(terminal)
    screen = "\n".join(rows)
    n = len(load_course(course).exercises)
    assert rows[0].startswith(f"course watch: #1/{n} {EX}"), screen  # the top did not scroll away
    assert re.match(r"^\d+/10 points ", rows[1]), screen
    failing = re.search(r"^\u2717 (\w+)", screen, re.MULTILINE)
    assert failing is not None and failing.group(1) in rows[1], screen
    assert "your program" in screen and "expected" in screen and "first difference" in screen, screen
    assert "[n] next" in rows[-2] and "[q] quit" in rows[-2] and "[d]" in rows[-2], screen
    for words in ("Everything was printed by main itself", "You called run() on a thread"):
        assert screen.count(words) <= 1, screen
    first = failing.group(1)
    terminal("send-keys", "-t", "watch", "f")
    terminal.wait_for("page 2/")
    second = "\n".join(_visible(terminal))
    assert not re.search(rf"^\u2717 {first}\b", second, re.MULTILINE), second
    terminal("send-keys", "-t", "watch", "h")
    screen = terminal.wait_for("press h again", after="Hint 1/")  # watch mode names its key, not a command
    assert "`course hint" not in screen[screen.rfind("Hint 1/"):]
    terminal("send-keys", "-t", "watch", "n")
    following = load_course(course).exercises[1]
    terminal.wait_for(f"Next: #2 {following.id}")  # the next exercise's lesson
    terminal("send-keys", "-t", "watch", "q")
    terminal.wait_for("watch-exited-0")
    assert "Traceback" not in log.read_text()
