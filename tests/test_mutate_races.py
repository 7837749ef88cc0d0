"""The race operators (``coursekit._dev.mutate_races``): each rewrite, where it applies and where it does not."""

from __future__ import annotations

import ast

from coursekit._dev.mutate import INPUT_DEPENDENT, OPERATOR_NAMES, mutants

RACES = ("empty-then-get", "check-outside-lock", "drop-yield")

QUEUE_SOURCE = '''
import queue
import threading
import time

STOP = None


def worker(tasks, results, work):
    while True:
        task = tasks.get()
        if task is STOP:
            break
        index, item = task
        results[index] = work(item)


def lookup(table, key):
    while True:
        value = table.get(key)
        return value


async def consumer(q):
    while True:
        item = await q.get()
        q.task_done()


def run(items, n):
    tasks = queue.Queue()
    for pair in enumerate(items):
        tasks.put(pair)
    for _ in range(n):
        tasks.put(STOP)
    tasks.put(("not", "a sentinel"))
'''


def _made(source: str, op: str) -> dict[str, str]:
    return {m.key: m.source for m in mutants(source) if m.op == op}


def _function(source: str, name: str) -> str:
    tree = ast.parse(source)
    return ast.unparse(next(n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))
                            and n.name == name))


def test_the_race_operators_are_registered_and_not_input_dependent():
    assert set(RACES) <= OPERATOR_NAMES
    assert not set(RACES) & INPUT_DEPENDENT  # wrong on every input: only the schedule decides whether it shows


def test_empty_then_get_guards_the_get_or_tests_the_loop_and_drops_the_sentinels():
    made = _made(QUEUE_SOURCE, "empty-then-get")
    assert sorted(made) == ["empty-then-get@10", "empty-then-get@11"]  # d.get(key) and `await q.get()`: no site
    guard = _function(made["empty-then-get@11"], "worker")
    assert "while True:\n        if tasks.empty():\n            break\n        task = tasks.get()" in guard
    loop = _function(made["empty-then-get@10"], "worker")
    assert loop.startswith("def worker(tasks, results, work):\n"
                           "    while not tasks.empty():\n        task = tasks.get()")
    for source in made.values():
        run = _function(source, "run")
        assert "tasks.put(STOP)" not in run and "for _ in range(n):\n        pass" in run
        assert "tasks.put(pair)" in run and "tasks.put(('not', 'a sentinel'))" in run  # items stay
        assert _function(source, "consumer") == _function(QUEUE_SOURCE, "consumer")


def test_empty_then_get_says_when_no_sentinel_was_there_to_drop():
    source = "def worker(q, out):\n    while True:\n        out.append(q.get())\n        x = q.get()\n"
    made = {m.key: m for m in mutants(source) if m.op == "empty-then-get"}
    assert sorted(made) == ["empty-then-get@2", "empty-then-get@4"]
    assert "sentinels" not in made["empty-then-get@4"].what
    assert "if q.empty():\n            break\n        x = q.get()" in made["empty-then-get@4"].source


CONDITION_SOURCE = '''
import threading


class Box:
    def __init__(self):
        self.cond = threading.Condition()
        self.ready = threading.Event()
        self.items = []

    def take(self):
        with self.cond:
            self.waiting = True
            while not self.items:
                self.cond.wait()
            item = self.items.pop()
            return item

    def take_with_timeout(self):
        with self.cond:
            while not self.items:
                if not self.cond.wait(1):
                    return None
            return self.items.pop()

    def take_for(self):
        with self.cond:
            self.cond.wait_for(lambda: self.items)
            return self.items.pop()

    def other_lock(self, lock):
        with lock:
            while not self.items:
                self.ready.wait()

    def event_wait(self):
        while not self.ready.is_set():
            self.ready.wait()
'''


def test_check_outside_lock_moves_the_test_out_and_keeps_the_rest_locked():
    made = _made(CONDITION_SOURCE, "check-outside-lock")
    assert sorted(made) == ["check-outside-lock@14"]  # wait(1) is a statement's test, wait_for has its own loop,
    take = _function(made["check-outside-lock@14"], "take")  # another lock's or an Event's wait is no condition's
    assert take == ("def take(self):\n"
                    "    with self.cond:\n        self.waiting = True\n"
                    "    while not self.items:\n        with self.cond:\n            self.cond.wait()\n"
                    "    with self.cond:\n        item = self.items.pop()\n        return item")
    for name in ("take_with_timeout", "take_for", "other_lock", "event_wait"):
        assert _function(made["check-outside-lock@14"], name) == _function(CONDITION_SOURCE, name)


def test_check_outside_lock_needs_no_with_before_or_after_an_alone_loop():
    source = ("def recv(c, box):\n    with c:\n        while not box:\n            c.wait()\n")
    (made,) = _made(source, "check-outside-lock").values()
    assert _function(made, "recv") == "def recv(c, box):\n    while not box:\n        with c:\n            c.wait()"


YIELD_SOURCE = '''
import asyncio
import time


def increment(counter):
    value = counter.value
    time.sleep(0)
    counter.value = value + 1
    time.sleep(0.01)
    time.sleep(seconds)


async def step(state):
    value = state["n"]
    await asyncio.sleep(0)
    state["n"] = value + 1
    await asyncio.sleep(0.5)
'''


def test_drop_yield_removes_only_zero_sleeps_thread_or_task():
    made = _made(YIELD_SOURCE, "drop-yield")
    assert sorted(made) == ["drop-yield@16", "drop-yield@8"]
    inc = _function(made["drop-yield@8"], "increment")
    assert "sleep(0)" not in inc and "time.sleep(0.01)" in inc and "time.sleep(seconds)" in inc
    step = _function(made["drop-yield@16"], "step")
    assert "asyncio.sleep(0)\n" not in step + "\n" and "await asyncio.sleep(0.5)" in step
    assert _function(made["drop-yield@16"], "increment") == _function(YIELD_SOURCE, "increment")
