"""Engine tests for the threads exercises: the yield point of a read / yield / write window, what the trace keeps
about workers (sleeps, start / end order, what live workers wait on), interpreter-exit hooks, and the worker
checks (workers, busy, once, leaks, deadline) judged on real runs of small programs."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from coursekit import checks
from coursekit._judge import runner
from coursekit._judge.timeline import build
from coursekit.checks._busy import busy_peak
from coursekit.checks._workers import peak_alive


def observe(tmp_path: Path, source: str, tie: str = "fifo", name: str = "prog"):
    path = tmp_path / f"{name}.py"
    path.write_text(textwrap.dedent(source), encoding="utf-8")
    return build(runner.run(runner.RunSpec("threads", path, tie=tie)))


COUNTER = """
    import threading, time
    value = 0
    lock = threading.Lock()
    def add():
        global value
        for _ in range(10):
            {guard}
                v = value
                time.sleep(0)
                value = v + 1
    def main():
        ts = [threading.Thread(target=add) for _ in range(3)]
        for t in ts: t.start()
        for t in ts: t.join()
        print(value)
"""


@pytest.mark.parametrize("tie", ["fifo", "lifo"])
def test_sleep_zero_hands_over_so_an_unguarded_window_always_loses_updates(tmp_path, tie):
    unguarded = COUNTER.format(guard="if True:")
    first = observe(tmp_path, unguarded, tie)
    again = observe(tmp_path, unguarded, tie)
    assert int(first.lines[0].text) < 30
    assert first.lines[0].text == again.lines[0].text  # the same interleaving every time
    guarded = observe(tmp_path, COUNTER.format(guard="with lock:"), tie)
    assert guarded.lines[0].text == "30"


def test_trace_order_tells_all_started_from_one_after_the_other_at_the_same_instant(tmp_path):
    template = """
        import threading, time
        def work():
            for _ in range(5):  # start() hands over until the new thread blocks: let it yield a few times
                time.sleep(0)
        def main():
            ts = [threading.Thread(target=work) for _ in range(3)]
            {loop}
            print("done")
    """
    together = observe(tmp_path, template.format(loop="for t in ts: t.start()\n            for t in ts: t.join()"))
    in_turn = observe(tmp_path, template.format(loop="for t in ts: t.start(); t.join()"))
    assert {c.start for c in together.workers()} == {0.0}  # the clock cannot tell them apart
    assert (peak_alive(together), peak_alive(in_turn)) == (3, 1)


def test_alive_waits_name_what_a_left_over_worker_is_blocked_on(tmp_path):
    tl = observe(tmp_path, """
        import queue, threading
        def worker(q):
            while True:
                q.get()
        def main():
            threading.Thread(target=worker, args=(queue.Queue(),), daemon=True).start()
            print("returning")
    """)
    (cid,) = tl.alive_at_return
    assert tl.alive_waits[cid]["on"] == "lock"
    assert tl.alive_waits[cid]["where"] == "prog.py:5 in worker"


def test_an_executor_nobody_shut_down_is_stopped_at_exit_like_the_interpreter_does(tmp_path):
    tl = observe(tmp_path, """
        from concurrent.futures import ThreadPoolExecutor
        def main():
            pool = ThreadPoolExecutor(max_workers=2)
            print(pool.submit(pow, 2, 5).result())
    """)
    assert tl.completed and not tl.problems and not tl.crashes
    assert tl.alive_at_return  # its worker was still there when main returned ...
    assert all(c.end is not None for c in tl.workers())  # ... and ended at exit


POOL = """
    import threading, time
    def job(n):
        time.sleep(1)
        print(f"did {{n}}")
    def worker(jobs):
        for n in jobs:
            job(n)
    def main():
        jobs = list(range(6))
        ts = [threading.Thread(target=worker, args=(jobs[i::{k}],), daemon={daemon}) for i in range({k})]
        for t in ts: t.start()
        {wait}
"""


def pool(tmp_path, name, k=3, daemon=False, wait="for t in ts: t.join()"):
    return observe(tmp_path, POOL.format(k=k, daemon=daemon, wait=wait), name=name)


def test_busy_counts_workers_inside_their_work_at_once(tmp_path):
    three, two = pool(tmp_path, "three"), pool(tmp_path, "two", k=2)
    assert busy_peak(three)[0] == 3 and busy_peak(two)[0] == 2
    assert checks.Busy().evaluate(three, three).passed
    under = checks.Busy().evaluate(two, three)
    assert not under.passed and "At most 2 jobs were running at once" in under.message
    over = checks.Busy().evaluate(three, two)
    assert not over.passed and "3 jobs were running at once" in over.message and "at most 2" in over.message


def test_busy_with_given_work_ignores_the_students_own_sleeps(tmp_path):
    # every sleep here is the student's own: with work="given" nothing counts as the grader's work
    tl = pool(tmp_path, "own")
    assert busy_peak(tl, "given")[0] == 0
    with pytest.raises(ValueError, match="work must be one of"):
        checks.Busy(work="mine")


def test_workers_finds_work_done_in_main_and_workers_run_in_turn(tmp_path):
    reference = pool(tmp_path, "ref")
    in_main = observe(tmp_path, POOL.format(k=3, daemon=False, wait="").replace(
        "for t in ts: t.start()", "for t in ts: t.run()"), name="in_main")
    in_turn = observe(tmp_path, POOL.format(k=3, daemon=False, wait="").replace(
        "for t in ts: t.start()", "for t in ts: t.start(); t.join()"), name="in_turn")
    assert checks.Workers().evaluate(reference, reference).passed
    verdict = checks.Workers().evaluate(in_main, reference)
    assert not verdict.passed and "ran in main itself" in verdict.message
    assert any(f.kind == "run-not-start" for f in verdict.findings)
    verdict = checks.Workers().evaluate(in_turn, reference)
    assert not verdict.passed and "At most 1 of your threads was running" in verdict.message
    assert checks.Workers(together=False).evaluate(in_turn, reference).passed


def test_exactly_once_names_duplicates_and_missing_items(tmp_path):
    reference = pool(tmp_path, "ref")
    twice = observe(tmp_path, POOL.format(k=3, daemon=False, wait="for t in ts: t.join()").replace(
        "jobs[i::3]", "jobs[i::3] + [0]").replace("jobs = list(range(6))", "jobs = list(range(5))"), name="twice")
    once = checks.ExactlyOnce("did ")
    assert once.evaluate(reference, reference).passed
    verdict = once.evaluate(twice, reference)
    assert not verdict.passed
    assert "Item 0 was processed 4 times" in verdict.message and "item 5 was never processed" in verdict.message


def test_leaks_compares_what_is_left_running_with_the_reference(tmp_path):
    joined = pool(tmp_path, "joined")
    left_daemon = pool(tmp_path, "daemon", daemon=True, wait='print("bye")')
    left_plain = pool(tmp_path, "plain", wait='print("bye")')
    leaks = checks.Leaks()
    assert leaks.evaluate(joined, joined).passed
    verdict = leaks.evaluate(left_daemon, joined)
    assert not verdict.passed and "3 workers were still running when main() returned" in verdict.message
    assert "3 x thread worker (a daemon), sleeping at prog" not in verdict.message  # the file is daemon.py
    assert "3 x thread worker (a daemon), sleeping at daemon.py:4 in job" in verdict.message
    assert leaks.evaluate(left_daemon, left_daemon).passed  # the reference leaves daemons too: fine
    verdict = leaks.evaluate(left_plain, left_daemon)
    assert not verdict.passed and "not a daemon keeps the program from exiting" in verdict.message


def test_deadline_fails_only_lines_that_come_late(tmp_path):
    source = """
        import threading, time
        def main():
            t = threading.Thread(target=time.sleep, args=(5,), daemon=True)
            t.start()
            t.join({timeout})
            print("back")
    """
    on_time = observe(tmp_path, source.format(timeout=1), name="on_time")
    late = observe(tmp_path, source.format(timeout=""), name="late")
    early = observe(tmp_path, source.format(timeout=0.5), name="early")
    deadline = checks.Deadline()
    assert deadline.evaluate(on_time, on_time).passed
    assert deadline.evaluate(early, on_time).passed  # early lines are other checks' business
    verdict = deadline.evaluate(late, on_time)
    assert not verdict.passed
    assert "'back' came at 5 s, 4 s later than it should (1 s)" in verdict.message


GARBAGE_CYCLES = """
    import threading, time
    collected = []
    class Node:
        def __init__(self, i):
            self.i, self.me = i, self  # a cycle: only the garbage collector frees it
        def __del__(self):
            collected.append((self.i, now[0]))
    now = [0]
    def work():
        for i in range(400):
            now[0] = i
            Node(i)
            time.sleep(0.001)  # the turn goes to the other thread
    def main():
        ts = [threading.Thread(target=work) for _ in range(2)]
        for t in ts: t.start()
        for t in ts: t.join()
        print(sorted(collected)[:40])
"""


def test_garbage_is_collected_at_the_same_moments_on_every_run(tmp_path):
    # Which moment a cycle is freed at decided what its finalizer saw (an executor freed so wakes its idle
    # workers): the collector runs at moments of the program, never at moments of the machine.
    seen = {tuple(line.text for line in observe(tmp_path, GARBAGE_CYCLES).lines) for _ in range(4)}
    assert len(seen) == 1, seen


def test_a_thread_the_os_refuses_raises_in_the_program_and_the_others_go_on(tmp_path):
    tl = observe(tmp_path, """
        import threading, time
        def work():
            time.sleep(1)
        def main():
            threading.stack_size(600 * 1024 * 1024)  # two of these pass the run's 1 GiB address space
            started = []
            try:
                for _ in range(4):
                    t = threading.Thread(target=work)
                    t.start()
                    started.append(t)
            except RuntimeError as exc:
                print(f"refused after {len(started)}: {exc}")
            for t in started:
                t.join()
            print("joined")
    """)
    assert tl.completed and not tl.problems
    assert [line.text for line in tl.lines][-1] == "joined"
    assert tl.lines[0].text.startswith("refused after 1")
