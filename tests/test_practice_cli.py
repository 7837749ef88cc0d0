"""The student commands, driven through click's test runner in a copy of the course (list, next, check, hint,
reset, solution, progress).  Output here is not a terminal, so it must be plain ASCII without escape codes."""

from __future__ import annotations

import ast
import importlib
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest
from _course_copy import ROOT, copy_course
from click.testing import CliRunner

from coursekit.cli import AREAS, main
from coursekit.registry import load_course

EX = "threads/numbers_letters_threads"
WRONG = ROOT / "tests" / "catalogue" / EX / "wrong"
COURSE = load_course(ROOT)


@pytest.fixture(autouse=True)
def plain_environment(monkeypatch):
    for name in ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "NO_COLOR", "COLUMNS", "PY_COLORS"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def course(tmp_path, monkeypatch):
    root = copy_course(tmp_path / "course")
    monkeypatch.chdir(root)
    return root


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


def progress(root: Path) -> dict:
    return json.loads((root / ".course-progress.json").read_text())["exercises"]


def write_exercise(root: Path, source: Path) -> None:
    shutil.copyfile(source, root / "exercises" / f"{EX}.py")


def test_list_shows_every_exercise_in_course_order_not_started(course):
    res = run("list")
    assert res.exit_code == 0, res.output
    rows = [line for line in res.output.splitlines() if re.match(r"^\|\s*>?\d+ \|", line)]
    assert len(rows) >= len(COURSE.exercises)
    positions = [res.output.index(ex.id) for ex in COURSE.exercises]
    assert positions == sorted(positions)
    for ex in COURSE.exercises:
        line = next(x for x in rows if ex.id in x)
        assert ex.model in line and "not started" in line and f"0/{ex.max_points:g}" in line
    assert f"0/{len(COURSE.exercises)} solved" in res.output
    assert (course / ".course-progress.json").is_file()
    assert not list((course / "exercises").rglob("*.json"))
    assert res.output.isascii() and "\x1b" not in res.output


def test_check_of_a_stub_fails_with_one_line_per_check_and_says_what_to_write_once(course):
    res = run("check", EX)
    assert res.exit_code == 1
    ex = COURSE.get(EX)
    for name, points in ex.points.items():
        assert re.search(rf"^  FAIL {name}\s+0/{points:g}\s", res.output, re.MULTILINE), name
    assert res.output.count("Not written yet") == 1
    assert "Traceback" not in res.output


def test_a_solved_exercise_passes_is_recorded_and_next_moves_on(course):
    shutil.copyfile(course / "solutions" / f"{EX}.py", course / "exercises" / f"{EX}.py")
    res = run("check", f"exercises/{EX}.py")  # a file path works as well as an id
    assert res.exit_code == 0, res.output
    assert res.output.count("PASS") == len(COURSE.get(EX).points) and "FAIL" not in res.output
    rec = progress(course)[EX]
    assert rec["status"] == "solved" and rec["score"] == COURSE.get(EX).max_points and rec["solved_once"]
    listing = run("list").output
    assert re.search(rf"{re.escape(EX)}\s.*\bsolved\b.*\b{COURSE.get(EX).max_points:g}/", listing)
    following = next(ex for ex in COURSE.exercises if ex.id != EX)
    nxt = run("next")
    assert nxt.exit_code == 0
    assert following.id in nxt.output and following.title in nxt.output
    assert f"exercises/{following.id}.py" in nxt.output and f"course check {following.id}" in nxt.output
    lesson = ast.get_docstring(ast.parse((course / "exercises" / f"{following.id}.py").read_text()))
    assert lesson.splitlines()[0].replace("``", "`") in nxt.output  # the lesson of its stub


def test_a_failure_is_explained_with_the_timeline_drawn_as_lanes(course):
    write_exercise(course, WRONG / "no_join.py")
    res = run("check", "threads/numbers_l")  # a unique prefix
    assert res.exit_code == 1
    out = res.output
    assert "never waited for" in out  # the words of the checks' messages are kept
    assert re.search(r"^  PASS output\b", out, re.MULTILINE) and re.search(r"^  FAIL join\b", out, re.MULTILINE)
    # One picture for the checks that share it, lanes for main and both threads, in each run.
    assert out.count("Timeline (virtual seconds since main() started), for ") == 1
    assert re.search(r"^your program\s+v$", out, re.MULTILINE) and re.search(r"^expected\s+v$", out, re.MULTILINE)
    for lane in ("main", "thread print_numbers", "thread print_letters"):
        assert len(re.findall(rf"^  {lane}\s+[|o]", out, re.MULTILINE)) == 2, lane
    assert "first difference, at 0 s: your program printed 'Done!' (main), which is due at 7.5 s." in out
    assert out.isascii() and "\x1b" not in out


def test_lanes_put_every_printed_line_at_its_exact_time(course):
    write_exercise(course, WRONG / "sequential.py")
    out = run("check", EX).output
    scale = float(re.search(r"1 col = ([\d.]+) s", out).group(1))
    ruler = next(line for line in out.splitlines() if line.rstrip().endswith("  s") and line.lstrip().startswith("0"))
    origin = ruler.index("0")
    main_lane = re.search(r"^your program.*\n  main\s+(.*)$", out, re.MULTILINE)
    cells = main_lane.group(1)
    start = main_lane.start(1) - out.rfind("\n", 0, main_lane.start(1)) - 1
    assert start == origin
    # sequential.py prints Number 1..5 at 1..5 s, then the letters 1.5 s apart, all from main.
    table = re.findall(r"^v?\s+([\d.]+) s  main\s+(\S.*?)\s+\|", out, re.MULTILINE)
    assert len(table) == 11
    marks = [i for i, ch in enumerate(cells) if ch in "o23456789"]
    times = sorted({float(t) for t, _ in table})
    assert marks == [round(t / scale) for t in times]


def test_unknown_and_ambiguous_names_are_usage_errors_that_help(course):
    res = run("check", "threads/numbers_leters_thread")
    assert res.exit_code == 2
    assert f"Did you mean '{EX}'?" in res.output
    res = run("hint", "numbers")
    assert res.exit_code == 2 and "fits" in res.output and EX in res.output
    res = run("check", str(len(COURSE.exercises) + 1))
    assert res.exit_code == 2 and "no exercise number" in res.output


def test_a_folder_names_all_of_its_exercises_for_check(course):
    from coursekit._practice.select import resolve_many, select_exercises

    copy = load_course(course)
    threads = [e.id for e in COURSE.exercises if e.model == "threads"]
    for word in ("threads/", "threads", "exercises/threads", str(course / "exercises" / "threads")):
        assert [e.id for e in resolve_many(copy, [word], cwd=course)] == threads, word
    # a prefix is no folder
    assert [e.id for e in resolve_many(copy, ["threads/num"], cwd=course / "exercises")] == [EX]
    # the one selector of every command: all when no word, and an instructor's solution or grader paths too
    assert select_exercises(copy, []) == list(copy.exercises)
    assert [e.id for e in select_exercises(copy, [f"solutions/{EX}.py", f"graders/{EX}", "solutions/threads"],
                                           cwd=course)] == threads
    res = run("check", "processes/")
    assert res.exit_code == 1 and "type more of the name" not in res.output
    processes = [e.id for e in COURSE.exercises if e.model == "processes"]
    assert [ex for ex in processes if ex in res.output] == processes


def test_hints_come_one_more_each_time_and_are_remembered(course):
    hints = COURSE.get(EX).hints
    assert len(hints) >= 2
    for shown in range(1, len(hints) + 1):
        res = run("hint", EX)
        assert res.exit_code == 0
        assert f"Hint {shown}/{len(hints)}:" in res.output
        assert f"Hint {shown + 1}/" not in res.output
        assert progress(course)[EX]["hints_shown"] == shown
    again = run("hint", EX).output
    assert f"Hint {len(hints)}/{len(hints)}" in again and "last hint" in again
    assert progress(course)[EX]["hints_shown"] == len(hints)


def test_reset_restores_the_stub_from_the_pristine_copy_and_keeps_a_backup(course):
    stub = (course / "exercises" / f"{EX}.py").read_text()
    run("list")  # the first command keeps a pristine copy of every stub
    write_exercise(course, WRONG / "no_join.py")
    res = run("reset", EX)
    assert res.exit_code == 0, res.output
    assert (course / "exercises" / f"{EX}.py").read_text() == stub
    backup = re.search(r"Your version is kept in (\S+)", res.output).group(1)
    assert (course / backup).read_text() == (WRONG / "no_join.py").read_text()
    assert not backup.startswith("exercises")
    assert "already the stub" in run("reset", EX).output


def test_reset_in_a_git_clone_restores_the_published_stub(course, tmp_path, monkeypatch):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    stub = (course / "exercises" / f"{EX}.py").read_text()
    subprocess.run(["git", "init", "-q"], cwd=course, check=True)
    subprocess.run([*git, "add", "-A"], cwd=course, check=True)
    subprocess.run([*git, "commit", "-qm", "course"], cwd=course, check=True)
    learner = tmp_path / "learner"
    subprocess.run(["git", "clone", "-q", str(course), str(learner)], check=True)
    monkeypatch.chdir(learner)
    write_exercise(learner, WRONG / "no_join.py")  # edited, even committed, before any course command
    subprocess.run([*git, "commit", "-qam", "my work"], cwd=learner, check=True)
    res = run("reset", EX)
    assert res.exit_code == 0, res.output
    assert "from git (origin/" in " ".join(res.output.split())
    assert (learner / "exercises" / f"{EX}.py").read_text() == stub


def test_the_solution_needs_a_solve_or_an_explicit_yes(course):
    res = run("solution", EX)
    assert res.exit_code == 1 and "--yes" in res.output
    solution = (course / "solutions" / f"{EX}.py").read_text()
    res = run("solution", EX, "--yes", "--diff")
    assert res.exit_code == 0
    body = [line for line in solution.splitlines() if "threading.Thread(" in line]
    assert body and all("+" + line in res.output for line in body)
    assert progress(course)[EX]["solution_shown"]
    res = run("solution", EX, "--side-by-side")  # asked once, remembered
    assert res.exit_code == 0 and "(reference)" in res.output and "(yours)" in res.output


def test_progress_is_rebuilt_when_deleted_or_corrupt(course):
    shutil.copyfile(course / "solutions" / f"{EX}.py", course / "exercises" / f"{EX}.py")
    assert run("check", EX).exit_code == 0
    path = course / ".course-progress.json"
    path.unlink()
    res = run("list")
    assert "Checking 1 exercise(s)" in res.output
    assert progress(course)[EX]["status"] == "solved"
    path.write_text("{ not json")
    res = run("list")
    assert res.exit_code == 0 and "unreadable" in res.output
    assert (course / ".course-progress.json.corrupt").read_text() == "{ not json"
    assert progress(course)[EX]["status"] == "solved"


def test_every_command_works_for_every_exercise_of_the_course(course):
    """Whatever course.toml lists: each exercise can be named, hinted, reset and compared without grading."""
    for ex in COURSE.exercises:
        assert run("hint", ex.id).exit_code == 0
        assert run("reset", ex.id).exit_code == 0
        res = run("solution", ex.id, "--yes", "--diff")
        assert res.exit_code == 0 and "(reference)" in res.output
    out = run("next").output
    assert COURSE.exercises[0].id in out and "Edit:" in out


def test_check_writes_an_html_page_with_svg_timelines(course, tmp_path):
    write_exercise(course, WRONG / "no_join.py")
    page = tmp_path / "report" / "check.html"
    res = run("check", EX, "--html", str(page))
    assert res.exit_code == 1
    text = page.read_text()
    assert text.startswith("<!DOCTYPE html>") and text.count('<svg class="lanes"') == 1
    assert "first difference" in text and "never waited for" in text


def test_a_terminal_gets_symbols_and_colour_and_no_color_turns_colour_off(course, monkeypatch):
    colour = re.compile(r"\x1b\[[0-9;]*(3[0-7]|9[0-7])m")
    write_exercise(course, WRONG / "no_join.py")
    ansi = re.compile(r"\x1b\[[0-9;?]*[a-zA-Z]")
    monkeypatch.setenv("FORCE_COLOR", "1")  # what rich takes for a terminal
    out = run("check", EX).output
    assert colour.search(out)
    out = ansi.sub("", out)
    assert "\u2717 join" in out and "\u25cf" in out and "\u251c" in out
    monkeypatch.setenv("NO_COLOR", "1")
    out = run("check", EX).output
    assert not colour.search(out)
    out = ansi.sub("", out)
    assert "\u2717 join" in out and "\u25cf" in out


def test_a_narrow_terminal_wraps_each_column_under_itself(course, monkeypatch):
    write_exercise(course, WRONG / "no_join.py")
    monkeypatch.setenv("COLUMNS", "64")
    lines = run("check", EX).output.splitlines()
    assert lines[0].startswith(EX) and lines[0].endswith("points")  # the score is never cut from its word
    checks = lines[1:lines.index("") if "" in lines else None]
    assert all(line.startswith("  ") for line in checks)  # a wrapped title stays in its column
    assert any(line.startswith(" " * 10) for line in checks)  # ... and some title did wrap, at this width
    assert all(line == line.rstrip() for line in lines), "no line is padded with trailing spaces"


def test_every_command_the_students_readme_names_exists():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## For students"):readme.index("\n## ", readme.index("## For students") + 5)]
    named = set(re.findall(r"`course (\w+)", section))
    assert {"list", "next", "watch", "check", "hint", "solution", "reset"} <= named
    commands = set(main.list_commands(click.Context(main)))
    assert named <= commands, named - commands
    for command in named:
        assert run(command, "--help").exit_code == 0


def test_each_area_registers_exactly_the_commands_the_cli_lists_for_it():
    """``coursekit.cli`` knows each area's command names without importing it; they must agree."""
    for area, names in AREAS.items():
        group = click.Group()
        importlib.import_module(area).register(group)
        assert tuple(group.commands) == names, area


def test_importing_the_cli_loads_no_command_area_and_help_lists_them_all():
    code = "import sys, coursekit.cli; print(sorted(m for m in sys.modules if m.startswith('coursekit')))"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "['coursekit', 'coursekit.cli']"
    listed = run("--help").output
    assert all(f"\n  {name} " in listed for names in AREAS.values() for name in names), listed


def test_course_help_gives_each_students_command_its_whole_first_sentence(monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    listed = " ".join(CliRunner().invoke(main, ["--help"], terminal_width=80).output.split())
    from coursekit._cli.practice import COMMANDS

    for command in COMMANDS:
        sentence = " ".join((command.help or "").split(".")[0].split()) + "."
        assert sentence in listed, (command.name, listed)


def test_course_next_says_how_to_check_and_run_once(course):
    out = run("next").output
    ex = COURSE.exercises[0]
    assert out.count(f"course check {ex.id}") == 1, out
    assert out.count(f"python exercises/{ex.id}.py") == 1, out
    assert re.search(r"sleeping 1 second before each line", " ".join(out.replace("|", " ").split())), out


def test_outputs_written_in_the_course_folder_are_git_ignored(tmp_path):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    names = ["out.html", "check.html", "autograder.zip", "report.html"]
    res = subprocess.run(["git", "check-ignore", *names], cwd=ROOT, capture_output=True, text=True, check=False)
    assert res.stdout.split() == names
    kept = subprocess.run(["git", "check-ignore", "README.md", "exercises/threads/numbers_letters_threads.py"],
                          cwd=ROOT, capture_output=True, text=True, check=False)
    assert kept.stdout == ""
