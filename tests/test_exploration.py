"""Schedule exploration (issue 12): preemption points in the student's code, round robin and seeded PCT schedules,
verdicts over every schedule, and a failing schedule that can be replayed exactly."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from coursekit._engine.exploration import (
    FIFO,
    LIFO,
    PCT,
    RANDOM,
    ROUND_ROBIN,
    Schedule,
    odds,
    odds_over,
    schedules_for,
)
from coursekit._judge import runner
from coursekit._judge.exploring import telling_switch
from coursekit._judge.timeline import Timeline, build
from coursekit.grading import GraderError, grade_exercise, schedules_of
from coursekit.models import MODELS
from coursekit.registry import Limits, load_course
from coursekit.results import Status

ROOT = Path(__file__).resolve().parent.parent

LOST_UPDATES = """
import threading

class Box:
    def __init__(self):
        self.value = 0

def add(box, times):
    for _ in range(times):
        box.value += 1          # a read, an add and a write: not one step

def main():
    box = Box()
    threads = [threading.Thread(target=add, args=(box, 30)) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print("total", box.value)
"""

LOCKED = """
import threading

class Box:
    def __init__(self):
        self.value = 0
        self.lock = threading.Lock()

def add(box, times):
    for _ in range(times):
        with box.lock:
            box.value += 1

def main():
    box = Box()
    threads = [threading.Thread(target=add, args=(box, 30)) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print("total", box.value)
"""

EMPTY_THEN_GET = """
import queue
import threading

def worker(tasks, done):
    while not tasks.empty():
        item = tasks.get()
        done.append(item)

def main():
    tasks = queue.Queue()
    for i in range(4):
        tasks.put(i)
    done = []
    threads = [threading.Thread(target=worker, args=(tasks, done)) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print("done", sorted(done))
"""


def _run(tmp_path: Path, source: str, schedule: str) -> tuple[list[str], list[dict], object]:
    path = tmp_path / "prog.py"
    path.write_text(textwrap.dedent(source), encoding="utf-8")
    tl = build(runner.run(runner.RunSpec("threads", path, tie=schedule)))
    return [x.text for x in tl.lines], [ev for ev in tl.events if ev.get("e") == "preempt"], tl


# -- the schedules themselves ------------------------------------------------------------------------------------
def test_a_schedule_survives_its_text_form_and_bare_ties_are_schedules_0_and_1():
    for s in schedules_for(8, explores=True, steps=123):
        assert Schedule.parse(s.spec()) == s
    assert Schedule.parse("fifo") == Schedule(0, FIFO) and Schedule.parse("lifo") == Schedule(1, LIFO)
    with pytest.raises(ValueError, match="not a schedule"):
        Schedule.parse("pct:1:2")


def test_schedules_are_the_ties_then_round_robin_then_seeded_walks_and_pct():
    kinds = [s.kind for s in schedules_for(7, explores=True)]
    assert kinds == [FIFO, LIFO, ROUND_ROBIN, RANDOM, PCT, RANDOM, PCT]
    assert [s.kind for s in schedules_for(6, explores=False, ties=(FIFO,))] == [FIFO]
    seeds = [s.seed for s in schedules_for(8, explores=True) if s.kind in (PCT, RANDOM)]
    assert len(set(seeds)) == len(seeds)  # every PCT schedule its own seed


def test_processes_explore_round_robin_only():
    # (the arbiter decides the order at ties on logical time; nothing switches a process between two calls)
    assert [s.kind for s in schedules_for(6, explores=(ROUND_ROBIN,), ties=(FIFO,))] == [FIFO, ROUND_ROBIN]
    assert [s.kind for s in schedules_for(6, explores=(ROUND_ROBIN, RANDOM), ties=(FIFO,))] == [
        FIFO, ROUND_ROBIN, RANDOM, RANDOM, RANDOM, RANDOM]


def test_pct_change_points_are_fixed_by_the_seed_and_lie_within_the_steps():
    a, b = Schedule(3, PCT, seed=3, depth=3, steps=50), Schedule(3, PCT, seed=3, depth=3, steps=50)
    assert a.change_points() == b.change_points()
    assert all(1 <= c <= 50 for c in a.change_points()) and 1 <= len(a.change_points()) <= 2
    assert Schedule(4, PCT, seed=4, depth=1).change_points() == frozenset()


def test_the_odds_are_pcts_bound():
    assert odds(threads=2, steps=100, depth=2) == pytest.approx(1 / 200)
    assert odds(threads=3, steps=10, depth=1) == pytest.approx(1 / 3)
    assert odds_over(1, threads=2, steps=100, depth=2) == pytest.approx(1 / 200)
    assert 0.0 < odds_over(4, threads=2, steps=100, depth=2) < 4 / 200


def test_the_number_of_schedules_is_a_limit_with_a_course_default_and_bounds():
    assert Limits().schedules >= 3
    for bad in (0, 65, True, 2.5):
        with pytest.raises(ValueError, match="schedules"):
            Limits(schedules=bad)  # type: ignore[arg-type]
    course = load_course(ROOT)
    threads_ex = next(e for e in course.exercises if e.model == "threads")
    procs_ex = next(e for e in course.exercises if e.model == "processes")
    assert len(schedules_of(threads_ex)) == threads_ex.limits.schedules
    assert [s.kind for s in schedules_of(procs_ex)] == [FIFO, ROUND_ROBIN]  # (round robin at ties only)


# -- the engine ---------------------------------------------------------------------------------------------------
def test_round_robin_shows_a_read_modify_write_losing_updates_that_the_ties_never_show(tmp_path):
    for tie in ("fifo", "lifo"):
        lines, switches, _ = _run(tmp_path, LOST_UPDATES, tie)
        assert lines == ["total 90"] and switches == []
    lines, switches, _ = _run(tmp_path, LOST_UPDATES, Schedule(2, ROUND_ROBIN).spec())
    assert lines != ["total 90"] and lines[0].startswith("total ")
    assert switches and all("prog.py:" in s["where"] for s in switches)  # paused in the student's code only


def test_a_lock_holds_under_every_explored_schedule(tmp_path):
    for schedule in schedules_for(8, explores=True, steps=300):
        lines, _, tl = _run(tmp_path, LOCKED, schedule.spec())
        assert lines == ["total 90"], schedule
        assert tl.completed and not tl.problems


def test_empty_then_get_hangs_under_round_robin(tmp_path):
    lines, switches, tl = _run(tmp_path, EMPTY_THEN_GET, Schedule(2, ROUND_ROBIN).spec())
    assert any(p.get("kind") == "deadlock" for p in tl.problems)
    assert any("tasks.get()" in (ev.get("where") or "") or "worker" in ev["where"] for ev in switches)
    lines, _, tl = _run(tmp_path, EMPTY_THEN_GET, "fifo")
    assert lines == ["done [0, 1, 2, 3]"]


def test_one_schedule_gives_the_same_run_every_time(tmp_path):
    spec = Schedule(5, PCT, seed=5, depth=3, steps=120).spec()
    first = _run(tmp_path, LOST_UPDATES, spec)
    for _ in range(2):
        again = _run(tmp_path, LOST_UPDATES, spec)
        assert again[0] == first[0]
        assert [(s["id"], s["to"], s["step"]) for s in again[1]] == [(s["id"], s["to"], s["step"]) for s in first[1]]


def test_seeds_make_different_interleavings(tmp_path):
    totals = {tuple(_run(tmp_path, LOST_UPDATES, Schedule(n, PCT, seed=n, depth=2, steps=100).spec())[0])
              for n in range(3, 9)}
    assert len(totals) > 1  # not one fixed order under another name


def test_the_exit_event_counts_the_preemption_points(tmp_path):
    _, _, tl = _run(tmp_path, LOCKED, Schedule(2, ROUND_ROBIN).spec())
    exits = [ev for ev in tl.events if ev.get("e") == "exit"]
    assert exits and exits[-1]["steps"] > 90  # at least one point per increment
    _, _, tl = _run(tmp_path, LOCKED, "fifo")
    assert [ev["steps"] for ev in tl.events if ev.get("e") == "exit"] == [0]  # nothing instrumented


# -- grading over schedules, and replay ----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def race_counter():
    course = load_course(ROOT)
    return next(e for e in course.exercises if e.id == "threads/race_counter")


def _unguarded(tmp_path: Path, exercise) -> Path:
    """The reference with its lock taken away: `with counter.lock:` -> its body."""
    source = exercise.solution_path.read_text(encoding="utf-8")
    lines = source.splitlines()
    out, dedent_from = [], None
    for line in lines:
        stripped = line.strip()
        if stripped.startswith("with counter.lock") and dedent_from is None:
            dedent_from = len(line) - len(line.lstrip())
            continue
        if dedent_from is not None and line.strip() and len(line) - len(line.lstrip()) > dedent_from:
            out.append(line[4:])
            continue
        if dedent_from is not None and line.strip():
            dedent_from = None
        out.append(line)
    path = tmp_path / "race_counter.py"
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    assert "counter.lock" not in "\n".join(o for o in out if "with" in o)
    return path


def test_a_race_is_rejected_with_its_schedule_named_and_replayable(tmp_path, race_counter):
    path = _unguarded(tmp_path, race_counter)
    result = grade_exercise(race_counter, path)
    returns = next(c for c in result.checks if c.name == "returns")
    assert returns.status is Status.FAILED
    assert "This showed under schedule" in returns.message
    assert "Replay this schedule: course check threads/race_counter --schedule" in returns.message
    number = int(returns.message.split("--schedule ", 1)[1].split()[0])
    assert number >= 2  # the ties never show it: an explored schedule did
    again = grade_exercise(race_counter, path, schedule=number)
    assert next(c for c in again.checks if c.name == "returns").status is Status.FAILED
    assert again.run_info["schedules"] == 1
    assert grade_exercise(race_counter, race_counter.solution_path, schedule=number).passed


def test_a_schedule_that_does_not_exist_is_the_callers_mistake(race_counter):
    with pytest.raises(GraderError, match="there is no schedule 99"):
        grade_exercise(race_counter, race_counter.solution_path, schedule=99)


def test_course_check_and_pytest_replay_one_schedule(tmp_path, race_counter):
    from _course_copy import copy_course

    course = copy_course(tmp_path / "course")
    stub = course / "exercises" / f"{race_counter.id}.py"
    _unguarded(tmp_path, race_counter).replace(stub)  # the race itself, in the learner's file
    proc = subprocess.run([sys.executable, "-m", "coursekit", "check", race_counter.id, "--schedule", "2"],
                          cwd=course, capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 1 and "schedule 2" in proc.stdout, proc.stdout + proc.stderr
    proc = subprocess.run([sys.executable, "-m", "coursekit", "check", race_counter.id, "--schedule", "0"],
                          cwd=course, capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stdout  # first-come ties alone never show this race
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", "-p", "no:cacheprovider",
                           "--schedule", "2", str(stub)], cwd=course, capture_output=True, text=True, timeout=300,
                          check=False)
    assert proc.returncode == 1 and "failed" in proc.stdout and "schedule 2" in proc.stdout, proc.stdout
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--schedule", "-3",
                           str(stub)], cwd=course, capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode != 0 and "numbered from 0" in proc.stderr + proc.stdout


# -- one import, one fork per schedule -----------------------------------------------------------------------------
def _forked(tmp_path: Path, source: str, specs: tuple[str, ...]) -> runner.RawRun:
    path = tmp_path / "prog.py"
    path.write_text(textwrap.dedent(source), encoding="utf-8")
    return runner.run(runner.RunSpec("threads", path, tie=specs[0], schedules=specs))


def test_forked_schedules_give_the_runs_separate_interpreters_give(tmp_path):
    specs = tuple(s.spec() for s in schedules_for(6, explores=True, steps=150))
    raw = _forked(tmp_path, LOST_UPDATES, specs)
    assert len(raw.forks) == len(specs) and all(f is not None for f in raw.forks)
    for spec, fork in zip(specs, raw.forks, strict=True):
        assert fork is not None and fork.spec.tie == spec
        forked = build(fork)
        alone = _run(tmp_path, LOST_UPDATES, spec)[2]
        assert [x.text for x in forked.lines] == [x.text for x in alone.lines], spec
        assert forked.completed


def test_a_program_that_does_not_import_ends_before_any_schedule(tmp_path):
    raw = _forked(tmp_path, "def main(:\n    pass\n", ("fifo", "lifo", Schedule(2, ROUND_ROBIN).spec()))
    assert raw.forks == (None, None, None)
    assert build(raw).errors  # the syntax error, from the one import


@pytest.mark.parametrize(("model", "source"), [
    ("threads", "def main():\n    raise NotImplementedError('write me')\n"),
    ("threads", "import time\ndef main():\n    for n in range(3):\n        time.sleep(1)\n        print(n)\n"),
    ("coroutines", "import asyncio\nasync def main():\n    await asyncio.sleep(1)\n    print('one at a time')\n"),
])
def test_a_program_with_nothing_beside_main_runs_under_the_first_schedules_only(tmp_path, model, source):
    path = tmp_path / "prog.py"
    path.write_text(source, encoding="utf-8")
    specs = tuple(s.spec() for s in schedules_for(6, explores=True))
    raw = runner.run(runner.RunSpec(model, path, tie=specs[0], schedules=specs))
    ran = [f for f in raw.forks if f is not None]
    assert [f.spec.tie for f in ran] == [specs[0]]  # every schedule would run it the same way: the first counts
    assert build(ran[0]).completed


@pytest.mark.parametrize("model", ["threads", "coroutines"])
def test_a_program_with_a_worker_runs_under_every_schedule(tmp_path, model):
    source = {"threads": "import threading\ndef main():\n    t = threading.Thread(target=print, args=('hi',))\n"
                         "    t.start()\n    t.join()\n",
              "coroutines": "import asyncio\nasync def main():\n    await asyncio.gather(asyncio.sleep(1), "
                            "asyncio.sleep(2))\n"}[model]
    path = tmp_path / "prog.py"
    path.write_text(source, encoding="utf-8")
    specs = tuple(s.spec() for s in schedules_for(6, explores=True))
    raw = runner.run(runner.RunSpec(model, path, tie=specs[0], schedules=specs))
    kinds = {Schedule.parse(f.spec.tie).kind for f in raw.forks if f is not None}
    assert {"fifo", "lifo", ROUND_ROBIN, "pct"} <= kinds


def test_after_a_busy_loop_no_further_schedule_is_run(tmp_path):
    busy = """
import threading
def spin():
    while True:
        pass
def main():
    t = threading.Thread(target=spin)
    t.start()
    t.join()
"""
    path = tmp_path / "prog.py"
    path.write_text(busy, encoding="utf-8")
    specs = tuple(s.spec() for s in schedules_for(6, explores=True))
    raw = runner.run(runner.RunSpec("threads", path, tie=specs[0], schedules=specs,
                                    limits=Limits(stall_s=0.5, wall_s=60)))
    ran = [f for f in raw.forks if f is not None]
    # the first pair ran side by side; the other one was killed (or its trace dropped): only the first counts,
    # whichever of the two was stopped first in real time
    assert [f.spec.tie for f in ran] == [specs[0]]
    assert any(p.get("kind") == "stuck" for p in build(ran[0]).problems)


def test_the_html_page_marks_the_switch_and_names_the_replay(tmp_path, race_counter):
    from coursekit._view.html import page

    course = load_course(ROOT)
    result = grade_exercise(race_counter, _unguarded(tmp_path, race_counter))
    html = page(course, [(race_counter, result)])
    assert 'class="paused"' in html and "Replay this schedule" in html


def test_the_graders_driver_is_loaded_once_for_every_schedule_and_each_copy_starts_from_its_fresh_state(tmp_path):
    # A grader module is compiled from source in each run (runs write no bytecode): loaded before the copies are
    # forked, once, but each copy still gets it as just loaded (a copy's calls are not seen by the next copy).
    log = tmp_path / "loads.log"
    driver = tmp_path / "driver.py"
    driver.write_text(textwrap.dedent(f"""
        with open({str(log)!r}, "a") as f:
            f.write("loaded\\n")
        calls = []
        def drive(module):
            calls.append(1)
            module.main()
            print("calls", len(calls))
    """), encoding="utf-8")
    prog = tmp_path / "prog.py"
    prog.write_text(textwrap.dedent(LOST_UPDATES), encoding="utf-8")
    specs = tuple(s.spec() for s in schedules_for(4, explores=True, steps=150))
    raw = runner.run(runner.RunSpec("threads", prog, tie=specs[0], driver=(driver, "drive"), schedules=specs))
    assert log.read_text().splitlines() == ["loaded"]
    assert len(raw.forks) == len(specs) and all(f is not None for f in raw.forks)
    assert all([x.text for x in build(f).lines][-1:] == ["calls 1"] for f in raw.forks if f is not None)


def test_what_the_import_did_is_in_every_schedules_run(tmp_path):
    at_import = """
import threading, time
def work():
    time.sleep(1)
    print("from import")
t = threading.Thread(target=work)
t.start()
t.join()
def main():
    print("main")
"""
    raw = _forked(tmp_path, at_import, ("fifo", "lifo", Schedule(2, ROUND_ROBIN).spec()))
    for fork in raw.forks:
        assert fork is not None
        tl = build(fork)
        assert [(x.phase, x.text) for x in tl.lines] == [("import", "from import"), ("main", "main")]
    assert not any(events for events in raw.events.values() if not events)  # no stray file beside the import's


TWO_LISTS = """
import threading

def record(values, positions, i):
    values.append(i * 10)
    positions.append(i)

def main():
    values, positions = [], []
    threads = [threading.Thread(target=record, args=(values, positions, i)) for i in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print("pairs", sorted(zip(positions, values)) == sorted((i, i * 10) for i in range(3)))
"""


def test_a_random_walk_splits_two_steps_that_round_robin_keeps_in_lockstep(tmp_path):
    assert _run(tmp_path, TWO_LISTS, Schedule(2, ROUND_ROBIN).spec())[0] == ["pairs True"]
    walks = {_run(tmp_path, TWO_LISTS, Schedule(n, RANDOM, seed=n).spec())[0][0] for n in (3, 5, 7, 9)}
    assert "pairs False" in walks


def test_a_lost_updates_story_names_the_store_not_the_first_switch(tmp_path):
    from coursekit._judge.exploring import story

    _, switches, tl = _run(tmp_path, LOST_UPDATES, Schedule(2, ROUND_ROBIN).spec())
    assert switches[0]["point"] != "store" or True  # whatever came first
    told = story(tl, Schedule(2, ROUND_ROBIN), tmp_path / "prog.py")
    assert "`box.value += 1`" in told and "a read, an add" not in told  # the line, without its comment


# -- processes: round robin at ties on logical time ---------------------------------------------------------------
PROCESS_EMPTY_THEN_GET = """
import multiprocessing, time
def worker(tasks, done):
    while not tasks.empty():
        n = tasks.get()
        time.sleep(0.5)
        done.put(n)
def main():
    tasks, done = multiprocessing.Queue(), multiprocessing.Queue()
    for n in range(5):
        tasks.put(n)
    ps = [multiprocessing.Process(target=worker, args=(tasks, done)) for _ in range(2)]
    for p in ps: p.start()
    print(sorted(done.get() for _ in range(5)))
    for p in ps: p.join()
"""


def _processes(tmp_path: Path, source: str, specs: tuple[str, ...]) -> list[Timeline]:
    path = tmp_path / "prog.py"
    path.write_text(textwrap.dedent(source), encoding="utf-8")
    raw = runner.run(runner.RunSpec("processes", path, tie=specs[0], limits=Limits(), schedules=specs))
    return [build(f) for f in raw.forks if f is not None]


def test_round_robin_opens_the_empty_then_get_window_between_processes(tmp_path):
    # Two workers at 1.0 s see one task left; under first-come ties the first takes it before the second
    # looks, every time.  Round robin lets the second look in between: it then waits in get() forever.
    specs = tuple(s.spec() for s in schedules_for(2, explores=(ROUND_ROBIN,), ties=(FIFO,)))
    for _ in range(2):
        first, rr = _processes(tmp_path, PROCESS_EMPTY_THEN_GET, specs)
        assert [x.text for x in first.lines] == ["[0, 1, 2, 3, 4]"] and not first.problems
        assert [p.get("kind") for p in rr.problems] == ["deadlock"]
        switch = telling_switch(rr)
        assert switch is not None and switch["where"] == "prog.py:5 in worker"  # paused before tasks.get()
        assert switch["to"].startswith("p:") and switch["to"] != switch["id"]  # while the other worker took it


def test_a_correct_process_program_runs_the_same_under_round_robin(tmp_path):
    source = PROCESS_EMPTY_THEN_GET.replace("while not tasks.empty():\n        n = tasks.get()",
                                            "while (n := tasks.get()) is not None:")
    source = source.replace("    for p in ps: p.start()",
                            "    for p in ps: p.start()\n    for p in ps: tasks.put(None)")
    specs = tuple(s.spec() for s in schedules_for(2, explores=(ROUND_ROBIN,), ties=(FIFO,)))
    first, rr = _processes(tmp_path, source, specs)
    assert not first.problems and not rr.problems
    assert [(x.t, x.text) for x in first.lines] == [(x.t, x.text) for x in rr.lines] == [(1.5, "[0, 1, 2, 3, 4]")]


# -- each copy on one CPU (``harness.pin``) --------------------------------------------------------------------
WHERE_IT_RUNS = """
import multiprocessing, os, threading
def show():
    print("cpus", sorted(os.sched_getaffinity(0)))
def main():
    worker = {worker}(target=show)
    worker.start()
    worker.join()
"""


def _cpus_printed(tl: Timeline) -> list[int]:
    line = next(x.text for x in tl.lines if x.text.startswith("cpus"))
    return [int(c) for c in line.split("[", 1)[1].rstrip("]").split(",") if c.strip()]


@pytest.mark.skipif(not hasattr(os, "sched_getaffinity"), reason="no CPU affinity on this system")
def test_each_copy_of_a_threads_run_keeps_to_one_cpu_and_copies_side_by_side_to_different_ones(tmp_path):
    allowed = sorted(os.sched_getaffinity(0))
    specs = tuple(s.spec() for s in schedules_for(6, explores=True))
    raw = _forked(tmp_path, WHERE_IT_RUNS.format(worker="threading.Thread"), specs)
    ran = {Schedule.parse(f.spec.tie).number: _cpus_printed(build(f)) for f in raw.forks if f is not None}
    assert len(ran) == len(specs)
    assert all(len(cpus) == 1 and cpus[0] in allowed for cpus in ran.values()), ran  # its threads inherit it
    if len(allowed) > 1:  # the first-come copy and the round-robin one start together: one CPU each
        assert ran[0] != ran[2], ran
    alone = runner.run(runner.RunSpec("threads", tmp_path / "prog.py", tie="fifo"))
    assert len(_cpus_printed(build(alone))) == 1  # a single run (a replay) too


def test_copies_go_to_the_least_taken_cpu_and_harnesses_start_on_different_ones():
    from coursekit._engine.harness import least_taken

    assert least_taken([0, 1], [0], 0) == 1 and least_taken([0, 1], [1], 0) == 0  # side by side: one CPU each
    assert least_taken([0, 1], [0, 1, 1], 1) == 0
    # nothing running: a harness whose pid is even starts on the first CPU, an odd one on the second (bulk
    # grading's two workers, one copy at a time each, do not share one CPU while the other idles)
    assert [least_taken([0, 1], [], first) for first in (0, 1)] == [0, 1]
    assert [least_taken([2, 5, 7], [], first) for first in (0, 1, 2)] == [2, 5, 7]


@pytest.mark.skipif(not hasattr(os, "sched_getaffinity"), reason="no CPU affinity on this system")
def test_the_processes_of_a_processes_run_may_use_every_cpu(tmp_path):
    # The processes engine lets a process's threads, and its processes, run side by side: never pinned.
    facts = MODELS["processes"]
    specs = tuple(s.spec() for s in schedules_for(2, explores=facts.explores, ties=facts.ties))
    runs = _processes(tmp_path, WHERE_IT_RUNS.format(worker="multiprocessing.Process"), specs)
    assert runs and all(_cpus_printed(tl) == sorted(os.sched_getaffinity(0)) for tl in runs)


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="3.12 and later put the points in with sys.monitoring")
@pytest.mark.parametrize("audited", ["f_code", "builtins.id"])
def test_the_tracer_reads_the_code_of_the_students_frames_only(tmp_path, audited):
    # Reading frame.f_code raises an audit event, which bulk grading's guard examines: the 3.11 tracer sees every
    # call of every frame, and looks at the code of those that run with the student's globals only.  It tells
    # those by their globals, compared by identity: id() raises an audit event too.
    source = """
import json, sys, threading
seen = []
def count(event, args):
    if AUDITED == "builtins.id" and event == "builtins.id":
        seen.append(1)
    elif event == "object.__getattr__" and len(args) > 1 and args[1] == AUDITED:
        seen.append(1)
def work():
    for _ in range(200):
        json.dumps({"a": [1, 2, {"b": None}]})
def main():
    t = threading.Thread(target=work)
    sys.addaudithook(count)
    t.start()
    t.join()
    print("code reads", len(seen))
"""
    path = tmp_path / "prog.py"
    path.write_text(f"AUDITED = {audited!r}\n" + textwrap.dedent(source), encoding="utf-8")
    tl = build(runner.run(runner.RunSpec("threads", path, tie=Schedule(2, ROUND_ROBIN).spec())))
    reads = int(next(x.text for x in tl.lines if x.text.startswith("code reads")).split()[-1])
    assert reads < 100, reads  # 200 calls of json.dumps, each several frames deep, are not looked into
    racy = _run(tmp_path, LOST_UPDATES, Schedule(2, ROUND_ROBIN).spec())[0]
    assert racy != ["total 90"]  # and the student's own code still has its points
