"""``course dev check`` and ``course new``: the instructor's tools find what is wrong, and say how to fix it.

The course's own registry and files are checked here whole (cheap); solutions, stubs and the catalogue are
graded by ``tests/test_catalogue.py`` through the same logic (``coursekit._dev.catalogue``); the mutant check
runs on the seed trio (the full course is ``course dev check``).  The other tests work on throw-away courses
made by ``course new`` in a temporary folder, so they can break things on purpose.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from coursekit._dev import catalogue
from coursekit._dev.behaviour import behaviour
from coursekit._dev.layout import layout_problems
from coursekit._dev.mutants import MutantVerdict, check_mutants
from coursekit._dev.mutate import OPERATOR_NAMES, mutants, tripwire
from coursekit._dev.scaffold import ScaffoldError, scaffold
from coursekit.cli import main as course_cli
from coursekit.grading import ReferenceCache
from coursekit.registry import RegistryError, load_course

ACCEPTED, EQUIVALENT, KILLED, SURVIVED = (MutantVerdict.ACCEPTED, MutantVerdict.EQUIVALENT, MutantVerdict.KILLED,
                                          MutantVerdict.SURVIVED)
ROOT = Path(__file__).resolve().parent.parent
COURSE = load_course(ROOT)
SEED = ("threads/numbers_letters_threads", "processes/numbers_letters_processes",
        "coroutines/numbers_letters_asyncio")


def _new_course(tmp_path: Path, *ids: str) -> Path:
    (tmp_path / "course.toml").write_text('[course]\nid = "tmp"\ntitle = "A throw-away course"\n', encoding="utf-8")
    for ex_id in ids:
        scaffold(tmp_path, ex_id)
    return tmp_path


def _line_of(path: Path, text: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), start=1) if text in line)


# --- the course itself ---------------------------------------------------------------------------------------


def test_the_course_registry_and_files_agree():
    problems = layout_problems(COURSE)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("ex_id", SEED)
def test_every_mutant_of_the_seed_solutions_is_rejected_or_equivalent(ex_id):
    exercise = COURSE.get(ex_id)
    report = check_mutants(exercise, jobs=2)
    assert not report.problems(), "\n".join(report.problems())
    ops = {o.mutant.op for o in report.outcomes}
    assert {"print-before-sleep", "one-after-another"} <= ops
    assert ops & {"start-to-run", "no-task"} and ops & {"drop-join", "drop-await"}
    assert all(o.verdict in (KILLED, EQUIVALENT) for o in report.outcomes)
    assert sum(o.verdict == KILLED for o in report.outcomes) >= len(report.outcomes) - 2
    causal = {o.mutant.key: o.verdict for o in report.outcomes
              if o.mutant.op in ("sleep-for-join", "worker-prints-last")}
    assert len(causal) == 3 and set(causal.values()) == {KILLED}, causal  # right time, wrong cause or role


@pytest.mark.parametrize("ex_id", SEED)
def test_the_seed_reference_solutions_behave_the_same_in_every_run(ex_id):
    from coursekit._dev.determinism import exact_repeats

    problems = exact_repeats(COURSE.get(ex_id))
    assert not problems, "\n".join(problems)


# --- mutation operators (syntax only, no grading) --------------------------------------------------------------

SOURCE = '''
import asyncio, threading

lock = threading.Lock()
cond = threading.Condition()

def worker(q, results):
    with lock:
        results.append(1)
    lock.acquire()
    results.append(2)
    lock.release()
    with cond:
        cond.notify_all()
    q.task_done()
    print(", ".join(["a", "b"]))

async def job(sem, coros):
    async with sem:
        await asyncio.sleep(1)
        print("done")
    await asyncio.gather(*coros)
    sem2 = asyncio.Semaphore(3)

def pool():
    from concurrent.futures import ThreadPoolExecutor
    with ThreadPoolExecutor(max_workers=4) as ex:
        pass

def shared(value, q, t):
    with value.get_lock():
        x = value.value
        value.value = x + 1
    q.put(None)
    t.join(2.5)

async def deadline(c):
    await asyncio.wait_for(c, 2)
    async with asyncio.timeout(1):
        await asyncio.to_thread(print, "blocking")
'''


def test_each_operator_makes_its_mistake_where_it_applies_and_nowhere_else():
    made = {m.key: m for m in mutants(SOURCE)}
    by_op = {m.op for m in made.values()}
    assert {"drop-lock", "drop-acquire-release", "drop-notify", "notify-one", "drop-task-done", "drop-await",
            "gather-one-by-one", "blocking-sleep", "pool-of-one", "semaphore-plus-one",
            "print-before-sleep", "narrow-lock", "drop-sentinel", "drop-timeout", "no-to-thread"} <= by_op
    assert by_op <= OPERATOR_NAMES
    assert "drop-join@16" not in made  # ", ".join(...) is not a thread's join
    assert not [k for k in made if k.startswith(("start-to-run", "target-called", "join-timeout"))]
    assert [k for k in made if k.startswith("drop-join")] == ["drop-join@35"]
    lock = made["drop-lock@8"].source
    assert "with lock" not in lock and "results.append(1)" in lock and "with cond" in lock
    acq = made["drop-acquire-release@10"].source
    assert "acquire" not in acq and "release" not in acq
    assert "[await _coursekit_aw for _coursekit_aw in coros]" in made["gather-one-by-one@22"].source
    assert "Semaphore(4)" in made["semaphore-plus-one@23"].source
    assert "max_workers=1" in made["pool-of-one@27"].source
    narrow = made["narrow-lock@31"].source
    assert "with value.get_lock():\n        x = value.value\n    value.value = x + 1" in narrow
    assert "value.value += 1" not in made["drop-lock@31"].source and "get_lock" not in made["drop-lock@31"].source
    assert "q.put(None)" not in made["drop-sentinel@34"].source
    assert "t.join()" in made["drop-timeout@35"].source
    assert "await c\n" in made["drop-timeout@38"].source
    assert "asyncio.timeout" not in made["drop-timeout@39"].source
    assert "await _coursekit_on_loop(print, 'blocking')" in made["no-to-thread@40"].source
    swapped = made["print-before-sleep@21"].source
    assert swapped.index("print('done')") < swapped.index("asyncio.sleep(1)")
    for m in made.values():
        ast.parse(m.source)
        assert m.source.strip() != ast.unparse(ast.parse(SOURCE)).strip()


POOL_SOURCE = '''
import asyncio
from concurrent.futures import ThreadPoolExecutor

async def in_group(a, b):
    async with asyncio.TaskGroup() as tg:
        tg.create_task(a())
        tg.create_task(b())

def in_pool(f, xs):
    with ThreadPoolExecutor(max_workers=2) as ex:
        first = ex.submit(f, 1)
        ex.submit(f, 2)
        return list(ex.map(f, xs))
'''


def test_one_after_another_waits_right_after_each_launch_whatever_launches_it():
    made = {m.key: m.source for m in mutants(POOL_SOURCE)}
    assert "await tg.create_task(a())\n        await tg.create_task(b())" in made["one-after-another@7"]
    assert "first = ex.submit(f, 1)\n        first.result()\n        ex.submit(f, 2).result()" in \
        made["one-after-another@12"]
    assert "return list(list(map(f, xs)))" in made["map-in-caller@14"]


ROLES_SOURCE = '''
import threading, time

def short():
    time.sleep(1)

def long():
    for _ in range(3):
        time.sleep(1)
    return 3

def main():
    a = threading.Thread(target=short)
    b = threading.Thread(target=long)
    a.start(); b.start()
    a.join(); b.join()
    print("Done!")

def many(n):
    threads = [threading.Thread(target=short) for _ in range(n)]
    print("many")
'''


def test_worker_prints_last_moves_mains_last_print_into_the_worker_that_ends_last():
    made = {m.key: m for m in mutants(ROLES_SOURCE) if m.op == "worker-prints-last"}
    assert list(made) == ["worker-prints-last@17"]  # many(): its workers start in a loop, none is "the last"
    tree = ast.parse(made["worker-prints-last@17"].source)
    funcs = {f.name: f for f in tree.body if isinstance(f, ast.FunctionDef)}
    assert ast.unparse(funcs["long"].body[-2]) == "print('Done!')"  # before its return
    assert isinstance(funcs["long"].body[-1], ast.Return)
    assert "print" not in ast.unparse(funcs["main"]) and "print" not in ast.unparse(funcs["short"])


INPUTS_SOURCE = '''
import asyncio, threading
from concurrent.futures import ThreadPoolExecutor

class Box:
    def __init__(self):
        self.cond = threading.Condition()
        self.full = False

    def take(self):
        with self.cond:
            while not self.full:
                self.cond.wait()
            self.full = False
            self.cond.notify_all()

    def wait_for_it(self):
        with self.cond:
            self.cond.wait_for(lambda: self.full)

def run(items, n_workers=3, *, limit=5):
    sem = asyncio.Semaphore(limit)
    with ThreadPoolExecutor(max_workers=n_workers) as ex:
        for i in range(1, n_workers + 1):
            ex.submit(print, i)

def other(k):
    return [0] * k

if __name__ == "__main__":
    run([1, 2], 4)
'''


def test_if_for_while_wait_tests_the_condition_once():
    made = {m.key: m.source for m in mutants(INPUTS_SOURCE) if m.op == "if-for-while-wait"}
    assert list(made) == ["if-for-while-wait@12"]  # wait_for() has its own loop: no site
    assert "if not self.full:\n                self.cond.wait()" in made["if-for-while-wait@12"]


def test_notify_some_wakes_a_constant_number_of_waiters():
    from coursekit._dev.mutate import INPUT_DEPENDENT
    from coursekit._dev.mutate_inputs import SOME_WAITERS

    assert {"if-for-while-wait", "notify-some", "notify-one", "constant-size"} == INPUT_DEPENDENT

    made = {m.key: m.source for m in mutants(INPUTS_SOURCE) if m.op == "notify-some"}
    assert list(made) == ["notify-some@15"]
    assert f"self.cond.notify({SOME_WAITERS})" in made["notify-some@15"] and "notify_all" not in made["notify-some@15"]


def test_constant_size_hard_codes_what_the_demo_passes_first_else_the_default():
    made = {m.key: m for m in mutants(INPUTS_SOURCE) if m.op == "constant-size"}
    assert sorted(made) == ["constant-size@22", "constant-size@23"]  # other(k): k is no size, [0] * k no call
    workers = made["constant-size@23"].source  # the demo passes n_workers=4 (its default is 3)
    assert "max_workers=4" in workers and "range(1, 4 + 1)" in workers and "def run(items, n_workers=3" in workers
    assert "asyncio.Semaphore(5)" in made["constant-size@22"].source  # keyword-only, not in the demo: its default


def test_cancel_no_await_also_finds_tasks_cancelled_in_a_loop():
    source = ("import asyncio\n\nasync def stop(tasks):\n    for t in tasks:\n        t.cancel()\n"
              "    await asyncio.gather(*tasks, return_exceptions=True)\n    return 1\n")
    made = {m.key: m.source for m in mutants(source) if m.op == "cancel-no-await"}
    assert list(made) == ["cancel-no-await@6"]
    assert "gather" not in made["cancel-no-await@6"] and "t.cancel()" in made["cancel-no-await@6"]


def test_the_same_source_always_gives_the_same_mutants():
    first = [(m.key, m.source) for m in mutants(SOURCE)]
    assert first == [(m.key, m.source) for m in mutants(SOURCE)]
    assert len({source for _, source in first}) == len(first)


# --- course new ---------------------------------------------------------------------------------------------


def test_course_new_makes_a_working_exercise_for_each_model(tmp_path):
    ids = ("threads/ping_pong", "processes/ping_pong", "coroutines/ping_pong")
    course = load_course(_new_course(tmp_path, *ids))
    assert [e.id for e in course.exercises] == list(ids)
    assert not layout_problems(course)
    cache = ReferenceCache()
    for exercise in course.exercises:
        assert exercise.exercise_path.read_text() != exercise.solution_path.read_text()
        assert not catalogue.judge_solution(exercise, cache), exercise.id
        assert not catalogue.judge_stub(exercise, cache), exercise.id


def test_course_new_never_overwrites_and_writes_nothing_when_it_refuses(tmp_path):
    root = _new_course(tmp_path, "threads/taken")
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    with pytest.raises(ScaffoldError, match=r"already in course\.toml"):
        scaffold(root, "threads/taken")
    (root / "graders" / "threads" / "orphan.py").write_text("# mine\n")
    with pytest.raises(ScaffoldError, match=r"graders/threads/orphan.py already exist.*Nothing was written"):
        scaffold(root, "threads/orphan")
    with pytest.raises(ScaffoldError, match="folder/name"):
        scaffold(root, "Threads/Bad-Name")
    assert not (root / "exercises" / "threads" / "orphan.py").exists()
    assert {p: p.read_bytes() for p in before} == before
    assert sorted(p for p in root.rglob("*") if p.is_file()) == sorted([*before, root / "graders/threads/orphan.py"])


# --- what dev check finds ---------------------------------------------------------------------------------------


def test_layout_names_missing_files_hints_and_strays_and_says_what_to_do(tmp_path):
    root = _new_course(tmp_path, "threads/one", "threads/two")
    (root / "graders" / "threads" / "two.py").unlink()
    (root / "exercises" / "threads" / "stray.py").write_text("print('hi')\n")
    (root / "graders" / "threads" / "_helpers.py").write_text("# a grader's helper module\n")
    (root / "exercises" / "threads" / "README.md").write_text("# a lesson\n")
    (root / "tests" / "catalogue" / "threads" / "gone" / "wrong").mkdir(parents=True)
    toml = root / "course.toml"
    toml.write_text(re.sub(r"hints = \[.*?\n\]", "hints = []", toml.read_text(), count=1, flags=re.DOTALL))
    problems = layout_problems(load_course(root))
    text = "\n".join(problems)
    assert "threads/two: the grader graders/threads/two.py is missing. Create it" in text
    assert "exercises/threads/stray.py belongs to no exercise in course.toml. Register 'threads/stray'" in text
    assert "threads/one: course.toml gives 0 hint(s)" in text
    assert "tests/catalogue/threads/gone/wrong is the catalogue of 'threads/gone'" in text
    assert "_helpers" not in text and "README" not in text
    assert len(problems) == 4


def test_a_stub_needs_a_todo_and_its_given_code_must_be_the_solutions(tmp_path):
    root = _new_course(tmp_path, "threads/ping")
    stub = root / "exercises" / "threads" / "ping.py"
    original = stub.read_text()
    # the given tick() drifts from the solution's copy (a comment alone would not count)
    stub.write_text(original.replace("        time.sleep(delay)\n", "        time.sleep(delay)  # a comment\n"))
    assert not layout_problems(load_course(root))
    stub.write_text(original.replace("time.sleep(delay)", "time.sleep(delay * 2)"))
    (problem,) = layout_problems(load_course(root))
    line = _line_of(stub, "def tick(")
    assert problem.startswith(f"threads/ping: exercises/threads/ping.py:{line} gives tick() (no TODO in it, no raise "
                              "NotImplementedError), but it differs from tick() in solutions/threads/ping.py")
    assert problem.endswith("then run `course dev check threads/ping` again.")
    # a given function the solution lacks
    stub.write_text(original + "\n\ndef helper():\n    return 1\n")
    (problem,) = layout_problems(load_course(root))
    assert "gives helper() (no TODO in it, no raise NotImplementedError), but solutions/threads/ping.py has no " \
           "helper()" in problem
    # no TODO marker at all: main() raises NotImplementedError, so it is still the student's to write
    stub.write_text(original.replace("TODO", "Note"))
    (problem,) = layout_problems(load_course(root))
    assert problem == ("threads/ping: the stub exercises/threads/ping.py has no TODO marker. Put a `# TODO` comment "
                       "where students write (in each function they complete), then run `course dev check "
                       "threads/ping` again.")


def test_the_tripwire_raises_just_before_the_line_and_only_there():
    source = "def f():\n    x = 1\n    if x:\n        print(x)\n"
    wired = tripwire(source, 4)
    assert wired is not None
    assert wired.splitlines()[3:5] == ["        raise RuntimeError('coursekit tripwire: line 4 reached')",
                                       "        print(x)"]
    assert tripwire(source, 99) is None


def test_catalogue_judges_report_entries_whose_label_is_wrong(tmp_path):
    root = _new_course(tmp_path, "threads/ping")
    course = load_course(root)
    ex = course.get("threads/ping")
    cat = root / "tests" / "catalogue" / "threads" / "ping"
    (cat / "wrong").mkdir(parents=True)
    (cat / "correct").mkdir(parents=True)
    solution = ex.solution_path.read_text()
    (cat / "wrong" / "not_wrong.py").write_text("# expect-fail: overlap\n" + solution)
    (cat / "wrong" / "no_header.py").write_text(solution)
    (cat / "correct" / "not_correct.py").write_text(ex.exercise_path.read_text())
    cache = ReferenceCache()
    found = {e.path.stem: catalogue.judge_entry(e, cache)
             for k in catalogue.KINDS for e in catalogue.entries(course, k)}
    assert "['overlap'] should have rejected it but passed" in found["not_wrong"][0]
    assert "no '# expect-fail: <checks>' header" in found["no_header"][0]
    assert "a correct alternative is rejected by" in found["not_correct"][0]


def test_a_weak_grader_lets_mutants_survive_and_the_report_names_mutation_and_line(tmp_path):
    root = _new_course(tmp_path, "threads/weak")
    grader = root / "graders" / "threads" / "weak.py"
    grader.write_text(grader.read_text().replace("checks=checks.STANDARD", "checks=(checks.Runs(), checks.Output())"))
    toml = root / "course.toml"
    toml.write_text(toml.read_text().replace("runs = 1, output = 1, timing = 1, order = 2, model = 1, overlap = 2, "
                                             "join = 2", "runs = 1, output = 1"))
    exercise = load_course(root).get("threads/weak")
    ops = ("print-before-sleep", "one-after-another")
    report = check_mutants(exercise, jobs=2, operators=ops)
    survivors = {o.mutant.op: o.mutant for o in report.outcomes if o.verdict == SURVIVED}
    assert set(survivors) == set(ops)
    assert survivors["print-before-sleep"].line == _line_of(exercise.solution_path, "print(f\"{name} {i}\")")
    assert survivors["one-after-another"].line == _line_of(exercise.solution_path, "ping.start()")
    problems = "\n".join(report.problems())
    assert f"mutant print-before-sleep at weak.py:{survivors['print-before-sleep'].line} survived" in problems
    assert "accept_mutants" in problems

    toml.write_text(toml.read_text() + 'accept_mutants = [\n'
                    '  { op = "print-before-sleep", code = \'print(f"{name} {i}")\', reason = "only output counts" },\n'
                    '  { op = "one-after-another", code = "no_such_line()", reason = "stale" },\n]\n')
    report = check_mutants(load_course(root).get("threads/weak"), jobs=2, operators=ops)
    verdicts = {o.mutant.op: o.verdict for o in report.outcomes}
    assert verdicts == {"print-before-sleep": ACCEPTED, "one-after-another": SURVIVED}
    problems = "\n".join(report.problems())
    assert "code = 'no_such_line()' } matches no mutant" in problems and "Remove it" in problems


def test_behaviour_ignores_context_names_but_not_times(tmp_path):
    root = _new_course(tmp_path, "threads/ping")
    ex = load_course(root).get("threads/ping")
    from coursekit.grading import _observe, load_grader

    grader = load_grader(ex)
    a = _observe(ex, grader, ex.solution_path, "fifo")
    renamed = tmp_path / "renamed" / "ping.py"
    renamed.parent.mkdir()
    renamed.write_text(ex.solution_path.read_text().replace("ping = ", "first = ").replace("ping.", "first."))
    assert behaviour(_observe(ex, grader, renamed, "fifo")) == behaviour(a)
    slower = tmp_path / "slower" / "ping.py"
    slower.parent.mkdir()
    slower.write_text(ex.solution_path.read_text().replace('"ping", 1, 3', '"ping", 1.5, 3'))
    assert behaviour(_observe(ex, grader, slower, "fifo")) != behaviour(a)


# --- the commands -----------------------------------------------------------------------------------------------


def test_dev_check_command_passes_a_fresh_exercise_and_fails_with_a_fix(tmp_path, monkeypatch):
    root = _new_course(tmp_path, "threads/ping")
    monkeypatch.chdir(root)
    runner = CliRunner()
    ok = runner.invoke(course_cli, ["dev", "check", "--jobs", "2"], catch_exceptions=False)
    assert ok.exit_code == 0, ok.output
    assert "mutants rejected" in ok.output and "threads/ping:" in ok.output and "all good" in ok.output
    (root / "solutions" / "threads" / "extra.py").write_text("x = 1\n")
    bad = runner.invoke(course_cli, ["dev", "check", "--no-mutants", "--no-verdicts"], catch_exceptions=False)
    assert bad.exit_code == 1
    assert "solutions/threads/extra.py belongs to no exercise in course.toml" in bad.output
    refused = runner.invoke(course_cli, ["new", "threads/ping"])
    assert refused.exit_code != 0 and "already in course.toml" in refused.output


def test_python_dash_m_coursekit_dev_check_lists_the_operators():
    out = subprocess.run([sys.executable, "-m", "coursekit", "dev", "check", "--list-operators"], cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout
    assert {line.split()[0] for line in out.splitlines()} == OPERATOR_NAMES


def test_a_malformed_accept_mutants_entry_is_named_before_anything_is_graded(tmp_path):
    root = _new_course(tmp_path, "threads/ping")
    toml = root / "course.toml"
    toml.write_text(toml.read_text() + 'accept_mutants = [ { op = "drop-joins", reason = "typo" } ]\n')
    with pytest.raises(RegistryError, match=r"exercise 'threads/ping', accept_mutants #1: 'op' must be one of"):
        check_mutants(load_course(root).get("threads/ping"))


def test_pytest_collects_only_the_registered_exercises_not_the_folder_lessons():
    lessons = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "exercises").glob("*/README.md"))
    assert lessons == ["exercises/coroutines/README.md", "exercises/processes/README.md",
                       "exercises/threads/README.md"]
    run = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "exercises/",
                          *lessons], cwd=ROOT, capture_output=True, text=True, check=False)
    assert run.returncode in (0, 4), run.stdout + run.stderr  # 4: pytest says a README has no tests (not an error)
    items = [line for line in run.stdout.splitlines() if "::" in line]
    assert items and all(line.split("::")[0].endswith(".py") for line in items)
    assert {line.split("::")[0] for line in items} == {f"exercises/{e.id}.py" for e in COURSE.exercises}


def test_equivalent_mutants_say_whether_the_grader_runs_the_line_at_all(tmp_path):
    root = _new_course(tmp_path, "threads/ping")
    solution = root / "solutions" / "threads" / "ping.py"
    solution.write_text(solution.read_text().replace('\n\nif __name__ == "__main__":', '''

def unused_demo():
    helper = threading.Thread(target=print)
    helper.start()
    helper.join()


if __name__ == "__main__":'''))
    exercise = load_course(root).get("threads/ping")
    report = check_mutants(exercise, jobs=2, operators=("drop-join",))
    notes = {o.mutant.code: (o.verdict, o.note) for o in report.outcomes}
    assert notes["ping.join()"][0] == KILLED  # ping (3 s) outlives pong (2.5 s): main must wait for it
    # pong (2.5 s) ends before ping (3 s), which main joins: 'Done!' still comes after pong's lines, but only by
    # time, no longer by a synchronization chain (the order check compares happens-before), so it is rejected
    assert notes["pong.join()"][0] == KILLED
    line = _line_of(solution, "helper.join()")
    assert notes["helper.join()"] == (EQUIVALENT, f"the grader never runs line {line} (only the file's own demo "
                                                  "does, if anything)")
    assert not report.problems()


def test_a_reference_that_behaves_differently_from_run_to_run_is_reported(tmp_path):
    from coursekit._dev.determinism import judge_determinism

    root = _new_course(tmp_path, "threads/ping")
    exercise = load_course(root).get("threads/ping")
    assert judge_determinism(exercise) == []
    solution = exercise.solution_path
    solution.write_text(solution.read_text().replace("import time\n", "import random\nimport time\n")
                        .replace('args=("pong", 1.25, 2)', 'args=("pong", 1 + random.random(), 2)'))
    problems = judge_determinism(exercise)
    assert len(problems) == 1
    assert problems[0].startswith("threads/ping: the reference solution does not behave the same from run to run "
                                  "(under schedule 0 (threads due at the same moment ran first-come); printed line 2: "
                                  "'pong 1' at ")
    assert "unseeded randomness" in problems[0] and "timing" in problems[0].split("tell the runs apart")[0]
