"""``course trace FILE``: any program run under the kit, its timeline drawn (terminal and HTML).

It must work on every exercise's reference solution (run as its grader runs it), and on programs outside any
course, whose model it takes from ``--model``, the folder, or the code."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from coursekit._cli.trace import model_from_code
from coursekit.cli import main
from coursekit.registry import load_course

ROOT = Path(__file__).resolve().parent.parent
COURSE = load_course(ROOT)


def trace(*args: str) -> str:
    result = CliRunner().invoke(main, ["trace", *args])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("exercise", COURSE.exercises, ids=[ex.id for ex in COURSE.exercises])
def test_every_reference_solution_is_traced_as_its_grader_runs_it(exercise):
    out = trace(str(exercise.solution_path), "--width", "100")
    assert f"({exercise.model} " in out.splitlines()[0] or f": {exercise.model} " in out.splitlines()[0]
    assert "your program" in out and "printed" in out
    assert "raised at" not in out and "could not run" not in out and "stopped at" not in out
    assert "main returned at" in out


def write(tmp_path: Path, folder: str, source: str) -> Path:
    path = tmp_path / folder / "prog.py"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(source), encoding="utf-8")
    return path


THREADS = """
    import threading, time
    def work(name, d):
        time.sleep(d)
        print(name, "done")
    def main():
        ts = [threading.Thread(target=work, args=(f"w{i}", i + 1)) for i in range(2)]
        for t in ts: t.start()
        for t in ts: t.join()
        print("all done")
"""


def test_a_program_outside_any_course_is_drawn_with_its_lines_and_times(tmp_path):
    out = trace(str(write(tmp_path, "experiments", THREADS)))
    assert "threads (from its code)" in out.splitlines()[0]
    assert "thread work" in out
    rows = [line.split() for line in out.splitlines() if line.strip().endswith("done")]
    assert [(r[0], r[-2] if r[-1] == "done" else r[-1]) for r in rows] == [
        ("1.000", "w0"), ("2.000", "w1"), ("2.000", "all")]


def test_the_model_comes_from_the_code_the_folder_or_the_option(tmp_path):
    assert model_from_code("import asyncio\nasync def main():\n    pass\n") == "coroutines"
    assert model_from_code("from multiprocessing import Pool\ndef main(): pass\n") == "processes"
    assert model_from_code("from multiprocessing.pool import ThreadPool\ndef main(): pass\n") == "threads"
    assert model_from_code("import threading\ndef main(): pass\n") == "threads"
    out = trace(str(write(tmp_path, "coroutines", "import asyncio\nasync def main():\n    print('hi')\n")))
    assert "coroutines (from folder coroutines/)" in out
    out = trace(str(write(tmp_path, "x", THREADS)), "--model", "threads", "--tie", "lifo")
    assert "(from --model)" in out


def test_a_stuck_program_says_where_each_one_waits(tmp_path):
    source = """
        import threading
        lock = threading.Lock()
        def main():
            lock.acquire()
            t = threading.Thread(target=lock.acquire)
            t.start()
            t.join()
    """
    out = trace(str(write(tmp_path, "x", source)))
    assert "stopped at 0 s: deadlock" in out
    assert "in join" in out and "in lock" in out


def test_html_writes_the_timeline_as_a_page(tmp_path):
    page = tmp_path / "trace.html"
    trace(str(write(tmp_path, "x", THREADS)), "--html", str(page))
    body = page.read_text(encoding="utf-8")
    assert "<svg" in body and "<td>thread work</td><td><code>w1 done</code>" in body
    assert "expected" not in body  # one run: no second side drawn or named
