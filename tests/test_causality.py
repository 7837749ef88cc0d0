"""Happens-before from the trace: program order plus synchronization edges, on real runs of the engine.

Each test runs a small program under the harness (virtual time: the result does not depend on the machine) and
asks ``coursekit._judge.causality`` whether one printed line is ordered before another by cause.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from coursekit._engine import events
from coursekit._engine.trace import TraceWriter, read_events
from coursekit._judge.causality import happens_before, of
from coursekit._judge.runner import RunSpec, run
from coursekit._judge.timeline import Line, Timeline, build

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "tests" / "catalogue"


def _timeline(model: str, path: Path, tie: str = "fifo") -> Timeline:
    return build(run(RunSpec(model=model, module=path, tie=tie)))


def _line(tl: Timeline, text: str) -> Line:
    return next(x for x in tl.lines if x.text == text)


@pytest.mark.parametrize("tie", ["fifo", "lifo"])
def test_join_orders_every_worker_line_before_done(tie: str) -> None:
    tl = _timeline("threads", ROOT / "solutions" / "threads" / "numbers_letters_threads.py", tie)
    done = _line(tl, "Done!")
    assert of(tl).complete
    assert all(happens_before(tl, x, done) for x in tl.lines if x is not done)
    assert not happens_before(tl, done, _line(tl, "Letter: e"))


@pytest.mark.parametrize("tie", ["fifo", "lifo"])
def test_a_sleep_orders_nothing(tie: str) -> None:
    tl = _timeline("threads", CATALOGUE / "threads/numbers_letters_threads/wrong/sleep_instead_of_join.py", tie)
    done = _line(tl, "Done!")
    assert not happens_before(tl, _line(tl, "Letter: e"), done)
    assert not happens_before(tl, _line(tl, "Number: 5"), done)


def test_lines_of_one_worker_are_in_program_order_and_two_workers_are_unordered() -> None:
    tl = _timeline("threads", ROOT / "solutions" / "threads" / "numbers_letters_threads.py")
    assert happens_before(tl, _line(tl, "Letter: a"), _line(tl, "Letter: b"))
    assert not happens_before(tl, _line(tl, "Number: 1"), _line(tl, "Letter: a"))
    assert not happens_before(tl, _line(tl, "Letter: a"), _line(tl, "Number: 2"))


def test_processes_join_and_identity_by_place_not_name() -> None:
    tl = _timeline("processes", CATALOGUE / "processes/numbers_letters_processes/correct/same_name_workers.py")
    done = _line(tl, "Done!")
    printers = {x.ctx for x in tl.lines if x is not done}
    assert len(printers) == 2  # two workers named "worker" stay two
    assert all(happens_before(tl, x, done) for x in tl.lines if x is not done)


def test_processes_sleep_instead_of_join_is_not_a_cause() -> None:
    tl = _timeline("processes", CATALOGUE / "processes/numbers_letters_processes/wrong/sleep_instead_of_join.py")
    assert not happens_before(tl, _line(tl, "Letter: e"), _line(tl, "Done!"))


def test_asyncio_awaiting_a_cancelled_task_orders_its_clean_up_first() -> None:
    tl = _timeline("coroutines", ROOT / "solutions" / "coroutines" / "timeout_cancel.py")
    assert happens_before(tl, _line(tl, "slow: cleaned up"), _line(tl, "slow: timed out after 2 s"))
    assert happens_before(tl, _line(tl, "quick: finished"), _line(tl, "quick result"))


def test_asyncio_cancel_without_await_is_not_a_cause() -> None:
    tl = _timeline("coroutines", CATALOGUE / "coroutines/timeout_cancel/wrong/cancel_then_yield.py")
    assert not happens_before(tl, _line(tl, "slow: cleaned up"), _line(tl, "slow: timed out after 2 s"))


def test_sync_events_do_not_count_toward_the_event_limit(tmp_path: Path) -> None:
    writer = TraceWriter(str(tmp_path), max_events=3)
    flooded: list[bool] = []
    writer.on_flood = lambda: flooded.append(True)
    for _ in range(10):
        writer.emit(events.SYNC, id="t1", src="t0", at=0, obj="lock1", what="lock", op="acquire", counted=False)
    writer.emit(events.LINE, id="t1", text="x", stream="out", t=0.0)
    assert not flooded
    assert writer.position() == 11
    assert len(read_events(writer.path_of(__import__("os").getpid()))) == 11


_QUEUE_JOIN = '''
import asyncio


async def consumer(name, queue, delay):
    while True:
        item = await queue.get()
        await asyncio.sleep(delay)
        print(f"{name} handled {item}")
        queue.task_done()
        print(f"{name} marked {item} done")


async def main():
    queue = asyncio.Queue()
    for item in range(2):
        queue.put_nowait(item)
    workers = [asyncio.create_task(consumer("fast", queue, 1)), asyncio.create_task(consumer("slow", queue, 2))]
    await asyncio.sleep(WAIT)
    await queue.join()
    print("all handled")
    for worker in workers:
        worker.cancel()
    await asyncio.gather(*workers, return_exceptions=True)
'''


@pytest.mark.parametrize("wait", [0, 5], ids=["join-waits", "join-after-the-work"])
def test_asyncio_queue_task_done_happens_before_join_returns(tmp_path: Path, wait: int) -> None:
    # Two consumers: fast's task_done() at 1 s is not the one that wakes join() (slow's, at 2 s, is), and with
    # WAIT = 5 join() does not wait at all; either way every task_done() before join() returns is its cause.
    path = tmp_path / "queue_join.py"
    path.write_text(_QUEUE_JOIN.replace("WAIT", str(wait)))
    tl = _timeline("coroutines", path)
    done = _line(tl, "all handled")
    assert of(tl).complete
    assert happens_before(tl, _line(tl, "fast handled 0"), done)
    assert happens_before(tl, _line(tl, "slow handled 1"), done)
    # the edge starts at task_done(): what a consumer does after it is not ordered before join() returns
    assert not happens_before(tl, _line(tl, "fast marked 0 done"), done)
    assert not happens_before(tl, done, _line(tl, "fast handled 0"))
