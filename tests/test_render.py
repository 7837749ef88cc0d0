"""The timeline picture: exact scale, lanes from a real run, box characters and colour only for terminals,
NO_COLOR respected, and the same picture in `pytest exercises/` failures."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys

import pytest
from _course_copy import ROOT, copy_course

from coursekit._judge.messages import TIMELINE_HEADING, explanation
from coursekit._judge.picture import first_divergence, summarize
from coursekit._view import text as render
from coursekit.grading import grade_exercise
from coursekit.registry import load_course
from coursekit.results import Status

EX = "threads/numbers_letters_threads"
WRONG = ROOT / "tests" / "catalogue" / EX / "wrong"
COLOUR_CODE = re.compile(r"\x1b\[[0-9;]*3[0-7]m|\x1b\[[0-9;]*9[0-7]m")  # a foreground colour, plain or bright


@pytest.fixture(scope="module")
def failed():
    """The checks that no_join.py fails, graded once for the module."""
    course = load_course(ROOT)
    result = grade_exercise(course.get(EX), WRONG / "no_join.py")
    return [c for c in result.checks if c.status is Status.FAILED]


def test_the_scale_is_the_finest_exact_one_that_fits():
    assert render.choose_scale([0, 1, 1.5, 7.5], 80) == (0.1, True)
    assert render.choose_scale([0, 1, 1.5, 7.5], 40) == (0.25, True)  # 0.2 fits but 1.5 is not a multiple
    assert render.choose_scale([0, 1, 3, 12], 80) == (0.2, True)
    scale, exact = render.choose_scale([0, 1 / 3, 2], 60)
    assert not exact and 2 / scale + 1 <= 60


def test_results_carry_a_json_picture_and_keep_their_words(failed):
    by_name = {c.name: c for c in failed}
    assert {"timing", "order", "join"} <= set(by_name)
    for check in failed:
        assert json.loads(json.dumps(check.lanes)) == check.lanes
        assert check.message.startswith(explanation(check))
        assert check.timeline and check.timeline in check.message
    pic = by_name["join"].lanes
    labels = [ln["label"] for ln in pic["observed"]["lanes"]]
    assert labels == ["main", "thread print_numbers", "thread print_letters"]
    # 'Done!' at 0 s is the first difference: at 0 s the reference prints nothing; it prints 'Done!' at 7.5 s.
    assert pic["divergence"]["t"] == 0.0
    assert pic["divergence"]["observed"] == {"t": 0.0, "lane": "t0", "text": "Done!", "i": 0, "other_t": 7.5,
                                             "here_in_other": 0}
    assert pic["divergence"]["expected"] is None
    main_exp = pic["expected"]["lanes"][0]
    assert main_exp["waits"] and main_exp["waits"][-1]["t1"] == pytest.approx(7.5)
    assert "never waited for" in by_name["join"].message


def test_plain_text_is_ascii_and_a_terminal_gets_boxes_and_colour(failed, monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    pic = failed[0].lanes
    plain = render.picture_text(pic)
    assert plain.isascii() and "\x1b" not in plain
    fancy = render.picture_text(pic, unicode=True, color=True, width=120)
    assert "\u25cf" in fancy and "\u251c" in fancy and COLOUR_CODE.search(fancy)


def test_no_color_keeps_the_boxes_and_drops_the_colours(failed, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    fancy = render.picture_text(failed[0].lanes, unicode=True, color=True, width=120)
    assert "\u25cf" in fancy and not COLOUR_CODE.search(fancy)


def _pytest_exercises(course, **env) -> subprocess.Popen:
    # (without CI: under CI=true pytest repeats each failure's whole text in its short summary)
    full = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "PY_COLORS", "FORCE_COLOR", "CI")}
    full.update(PYTHONPATH=str(ROOT), **env)
    return subprocess.Popen([sys.executable, "-m", "pytest", f"exercises/{EX}.py", "-q", "-p", "no:cacheprovider"],
                            cwd=course, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=full)


def test_pytest_exercises_shows_the_lanes_plain_when_piped_in_colour_when_asked(tmp_path):
    course = copy_course(tmp_path / "course")
    shutil.copyfile(WRONG / "no_join.py", course / "exercises" / f"{EX}.py")
    runs = [_pytest_exercises(course), _pytest_exercises(course, PY_COLORS="1")]  # side by side: half the wait
    (piped, _), (coloured, _) = [proc.communicate(timeout=300) for proc in runs]
    assert runs[0].returncode == 1
    assert "first difference, at 0 s: your program printed 'Done!' (main), which is due at 7.5 s." in \
        " ".join(piped.split())  # the terminal is 80 columns wide: the sentence may wrap
    assert re.search(r"^  thread print_letters\s+\|-+o", piped, re.MULTILINE)
    assert "\x1b" not in piped and "Traceback" not in piped
    assert COLOUR_CODE.search(coloured) and "\u25cf" in coloured


def test_pytest_on_one_exercise_file_never_imports_the_students_code_itself(tmp_path):
    # pytest's own Python plugin collects (imports) any file named on the command line: the kit's plugin must
    # take that file over, so that the code runs only in the harness's child process.
    marker = tmp_path / "imported-by"
    course = copy_course(tmp_path / "course")
    source = (WRONG / "no_join.py").read_text(encoding="utf-8")
    (course / "exercises" / f"{EX}.py").write_text(
        f"import os\nwith open({str(marker)!r}, 'a') as f:\n    f.write(f'{{os.getpid()}}\\n')\n" + source,
        encoding="utf-8")
    broken = copy_course(tmp_path / "broken")
    (broken / "exercises" / f"{EX}.py").write_text("def main(:\n    pass\n", encoding="utf-8")
    runs = [_pytest_exercises(course), _pytest_exercises(broken)]
    (out, _), (broken_out, broken_err) = [proc.communicate(timeout=300) for proc in runs]
    pids = marker.read_text().split()
    assert pids and str(runs[0].pid) not in pids, out  # the harness imported it; pytest did not
    assert "ERROR collecting" not in out and runs[0].returncode == 1
    # three checks fail on one mistake: the picture is drawn once (a plain run leads with the exercise whole,
    # as `course check` shows it; `pytest -v` keeps one section per check, the picture under the first)
    assert out.count(TIMELINE_HEADING[:-1]) == 1, out
    assert "timing, order, join" in out, out
    assert "Python cannot read your file: invalid syntax at line 1" in broken_out
    assert "ERROR collecting" not in broken_out and "_pytest" not in broken_out + broken_err


def _timeline(*lines):
    """A finished run that printed ``lines`` ((t, context, text), ...): enough for the picture's model."""
    from coursekit._judge.timeline import Context, Line, Timeline

    contexts = {"t0": Context("t0", "main", "", "", 0.0, None)}
    for _, cid, _ in lines:
        if cid != "t0":
            contexts[cid] = Context(cid, "task", f"job_{cid}", "t0", 0.0, 9.0)
    return Timeline(model="coroutines", contexts=contexts, lines=[Line(t, c, x, "main") for t, c, x in lines],
                    err_lines=[], joins=[], kills=[], problems=[], crashes=[], errors=[], unstarted=[],
                    returned_at=9.0, alive_at_return=[], main_is_async=True, completed=True)


def test_a_moment_is_compared_as_a_multiset_and_the_missing_line_is_named():
    expected = _timeline((1, "a", "a: started"), (3, "a", "a: done"), (3, "t0", "timed out"), (3, "b", "b: started"),
                         (4, "b", "b: done"))
    swapped = _timeline((1, "a", "a: started"), (3, "b", "b: started"), (3, "a", "a: done"), (3, "t0", "timed out"),
                        (4, "b", "b: done"))
    assert first_divergence(swapped, expected) is None  # lines due at one moment may come in any order
    missing = _timeline((1, "a", "a: started"), (3, "a", "a: done"), (3, "b", "b: started"), (4, "b", "b: done"))
    pic = summarize(missing, expected)
    div = pic["divergence"]
    assert (div["t"], div["observed"], div["expected"]["text"]) == (3, None, "timed out")
    # The marked row is the missing line beside an empty cell, and every other row pairs equal lines.
    rows = pic["rows"]
    assert rows[div["row"]] == [None, 2]
    assert all(missing.lines[j].text == expected.lines[k].text for j, k in rows if j is not None and k is not None)
    text = render.picture_text(pic)
    assert ("first difference, at 3 s: your program did not print 'timed out' (main), which is expected then; "
            "it never printed it.") in " ".join(text.split())
    marked = [line for line in text.splitlines() if line.startswith("v ") and "first difference" not in line]
    assert len(marked) == 1 and "timed out" in marked[0] and "b: started" not in marked[0]


def test_a_line_printed_at_the_wrong_moment_is_named_with_both_times():
    expected = _timeline((1, "a", "x"), (2, "a", "y"))
    early = _timeline((1, "a", "x"), (1, "a", "y"))
    div = summarize(early, expected)["divergence"]
    assert render.divergence_text(summarize(early, expected)) == (
        "first difference, at 1 s: your program printed 'y' (task job_a), which is due at 2 s.")
    assert div["expected"] is None and div["observed"]["i"] == 1
    late = _timeline((1, "a", "x"), (3, "a", "y"))
    assert render.divergence_text(summarize(late, expected)) == (
        "first difference, at 2 s: your program did not print 'y' (task job_a), which is expected then; "
        "it printed it at 3 s.")
    wrong = _timeline((1, "a", "x"), (2, "a", "z"))
    assert render.divergence_text(summarize(wrong, expected)) == (
        "first difference, at 2 s: your program printed 'z' (task job_a) where 'y' (task job_a) was expected.")


def test_the_catalogue_case_names_the_missing_timeout_line():
    """swallows_cancelled_error.py prints the same lines as the reference, except the timeout messages: the first
    of them (scenario 'late', at 6.75 s) is the first difference, in the sentence and on the marked row (it used
    to name 'b: finished' at 4 s)."""
    ex = "coroutines/timeout_cancel"
    result = grade_exercise(load_course(ROOT).get(ex),
                            ROOT / "tests" / "catalogue" / ex / "wrong" / "swallows_cancelled_error.py")
    pic = next(c.lanes for c in result.checks if c.lanes)
    text = render.picture_text(pic)
    assert "first difference, at 6.75 s: your program did not print 'late: timed out after 1.25 s' (main)" in text
    marked = [line for line in text.splitlines() if line.startswith("v ") and "first difference" not in line]
    assert len(marked) == 1 and re.search(r"^v\s+\|\s+6.75 s\s+main\s+late: timed out", marked[0]), marked


def test_a_wait_is_named_by_the_line_the_student_wrote_and_counts_of_a_stuck_run_say_so():
    """one_sentinel.py deadlocks in its first call: its workers block in `tasks.get()` (a queue, whose get()
    waits in a lock inside the queue module), and it never gets to start the later calls' threads."""
    ex = "threads/worker_pool_queue"
    result = grade_exercise(load_course(ROOT).get(ex), ROOT / "tests" / "catalogue" / ex / "wrong" / "one_sentinel.py")
    by_name = {c.name: explanation(c) for c in result.checks}
    assert "thread worker waits at `task = tasks.get()` (one_sentinel.py:16 in worker)" in by_name["runs"]
    assert "main waits at `thread.join()`" in by_name["runs"]
    assert "waits in lock" not in by_name["runs"]
    workers = by_name["workers"]
    assert not re.search(r"Your program started \d+ threads; expected \d+\.", workers)  # no count as if complete
    started = re.search(r"it had started (\d+) threads by then", workers)
    assert "stopped before it finished" in workers and started, workers
    assert 1 <= int(started.group(1)) < 7  # it stuck in an early scenario, before all the threads could start
    assert "Deadlock" in workers and "\n- ." not in workers


def test_a_finding_with_only_advice_reads_as_the_advice():
    from coursekit._judge.diagnose import Finding

    assert Finding("leak", "", "Join every thread.").text() == "Join every thread."
    assert Finding("leak", "It leaked", "Join every thread.").text() == "It leaked. Join every thread."


def test_a_lane_blocked_when_the_run_stopped_is_drawn_waiting():
    """deadlock.py: main blocks in t1.join() at 0 s and each thread in a lock; the message says so, and the
    lanes draw it (they used to be drawn running to the end)."""
    result = grade_exercise(load_course(ROOT).get(EX), WRONG / "deadlock.py")
    runs = next(c for c in result.checks if c.name == "runs")
    assert "main waits at `t1.join()`" in runs.message
    main = runs.lanes["observed"]["lanes"][0]
    assert main["label"] == "main" and main["waits"] and main["waits"][-1]["t0"] == 0.0
    assert main["waits"][-1]["t1"] == runs.lanes["observed"]["end"]
    text = render.picture_text(runs.lanes)
    observed = text.split("\nexpected")[0]
    assert re.search(r"^  main\s+\|\.+>$", observed, re.MULTILINE), observed
    assert re.search(r"^  thread print_numbers\s+\|-+\.+>$", observed, re.MULTILINE), observed


def _lane_glyphs(text: str) -> set[str]:
    """The glyphs drawn on the lanes of a picture (the rows under 'your program' and 'expected')."""
    glyphs: set[str] = set()
    lanes = re.findall(r"^  (?:main|thread|process|task) .*?  (\S.*)$|^  main\s+(\S.*)$", text, re.MULTILINE)
    for a, b in lanes:
        glyphs |= set(a or b) - {" "}
    return glyphs


@pytest.mark.parametrize("case", ["target_called.py", "infinite_sleep_loop.py", "deadlock.py"])
def test_every_glyph_drawn_is_in_the_legend_and_every_lane_has_a_name(case):
    result = grade_exercise(load_course(ROOT).get(EX), WRONG / case)
    pic = next(c.lanes for c in result.checks if c.lanes)
    for unicode in (False, True):
        text = render.picture_text(pic, unicode=unicode)
        legend = " ".join(line for line in text.splitlines()
                          if "1 col =" in line or re.match(r"^\S+ (printed|running|waiting|blocked|started|\d)", line))
        legend += " " + " ".join(text.split("1 col =")[0].splitlines()[-3:])  # a legend may wrap onto 2-3 lines
        drawn = _lane_glyphs(text)
        assert drawn, text
        for glyph in drawn:
            assert re.search(rf"(^|\s|/){re.escape(glyph)}(\s|/)", legend), (glyph, legend)
        assert "thread ?" not in text
    if case == "target_called.py":  # several lines in one column, and threads started with no function
        assert "2" in _lane_glyphs(render.picture_text(pic))
        assert "thread Thread-1 (no target)" in render.picture_text(pic)


def test_a_drivers_summary_is_said_call_by_call_not_as_its_dict():
    """The race_counter grader's driver returns {call: value}; the student's function returned an int."""
    ex = "threads/race_counter"
    result = grade_exercise(load_course(ROOT).get(ex), ROOT / "tests" / "catalogue" / ex / "wrong" / "no_lock.py")
    words = explanation(next(c for c in result.checks if c.name == "returns"))
    lines = words.splitlines()
    assert "{" not in words, words
    assert re.fullmatch(r"count_in_threads\(4, 25\) returned \d+; expected 100\.", lines[0]), lines
    assert re.search(r"^count_in_threads\(2, 10\) returned \d+; expected 20\.$", words, re.MULTILINE), words
    assert re.search(r"^counter\.value after count_in_threads\(4, 25\) was \[\d+\]; expected \[100\]\.$", words,
                     re.MULTILINE)


def test_a_dict_returned_by_main_itself_is_shown_whole():
    from coursekit import checks

    observed, expected = _timeline((1, "t0", "x")), _timeline((1, "t0", "x"))
    observed.result, expected.result = "{'a': 1}", "{'a': 2}"
    verdict = checks.Returns("main()").evaluate(observed, expected)
    assert verdict.message == "main() returned {'a': 1}; expected {'a': 2}."
    observed.events = [{"e": "phase", "name": "main", "driver": True}]  # the same values from a grader's driver
    verdict = checks.Returns("f()").evaluate(observed, expected)
    assert verdict.message == "For 'a', f() returned 1; expected 2."


def test_pytest_exercises_runs_the_exercises_in_course_order(tmp_path):
    course = copy_course(tmp_path / "course")
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env["PYTHONPATH"] = str(ROOT)
    listed = subprocess.run([sys.executable, "-m", "pytest", "exercises/", "--collect-only", "-q", "-p",
                             "no:cacheprovider"], cwd=course, capture_output=True, text=True, env=env, check=False,
                            timeout=300).stdout
    files = [line.split("::")[0] for line in listed.splitlines() if "::" in line]
    in_order = list(dict.fromkeys(files))
    assert in_order == [f"exercises/{ex.id}.py" for ex in load_course(ROOT).exercises]


def test_extra_lines_are_placed_as_one_by_one_insertion_would_place_them():
    """``_place_extras`` is the fast form (a flood prints thousands of lines at one moment) of: insert each extra
    line, in the order printed, just after the last row that holds an observed line printed before it."""
    import random

    from coursekit._judge.picture import _place_extras

    def one_by_one(here, extras):
        here = list(here)
        for j in extras:
            before = [r for r, (o, _) in enumerate(here) if o is not None and o < j]
            here.insert(before[-1] + 1 if before else 0, (j, None))
        return here

    rng = random.Random(7)  # noqa: S311 (test data, seeded)
    for _ in range(2000):
        observed = rng.sample(range(12), rng.randint(0, 12))
        paired = observed[:rng.randint(0, len(observed))]
        here = [(o, k) for k, o in enumerate(paired)] + [(None, k) for k in range(len(paired), rng.randint(0, 4) +
                                                                                    len(paired))]
        rng.shuffle(here)
        extras = sorted(set(observed) - set(paired))
        assert _place_extras(here, extras) == one_by_one(here, extras)


def test_the_graders_driver_is_labelled_as_the_graders_and_so_are_its_lines():
    from coursekit._judge.picture import DRIVER_LABEL

    ex = "threads/worker_pool_queue"
    wrong = ROOT / "tests" / "catalogue" / ex / "wrong"
    result = grade_exercise(load_course(ROOT).get(ex), wrong / "one_sentinel.py")
    pic = next(c.lanes for c in result.checks if c.lanes)
    for side in ("observed", "expected"):
        assert pic[side]["lanes"][0]["label"] == DRIVER_LABEL
        assert any(x.get("grader") for x in pic[side]["lines"])  # the driver's own "scenario ..." lines
        assert not any(x.get("grader") for x in pic[side]["lines"] if x["lane"] != pic[side]["main"])
    text = render.picture_text(pic)
    assert re.search(rf"^  {DRIVER_LABEL}\s", text, re.MULTILINE) and not re.search(r"^  main\s", text, re.MULTILINE)
    assert re.search(r"^\s+\d+(\.\d+)? s\s+grader\s+scenario", text, re.MULTILINE), text
    assert "the grader's code, which calls yours" in text


def test_no_picture_where_it_explains_nothing():
    """A run where everything happens at 0 s is one column: no picture.  (race_counter's workers now do other
    work between increments, so its runs take time, and its failure is drawn.)"""
    from coursekit._judge.picture import worth_drawing

    ex = "threads/race_counter"
    result = grade_exercise(load_course(ROOT).get(ex), ROOT / "tests" / "catalogue" / ex / "wrong" / "no_lock.py")
    failed = [c for c in result.checks if c.status is Status.FAILED]
    assert failed and all(c.lanes and c.timeline for c in failed)
    assert all(TIMELINE_HEADING in c.message for c in failed)
    moving = summarize(_timeline((1, "t0", "x")), _timeline((2, "t0", "x")))
    assert worth_drawing(moving)
    instant = [_timeline((0, "t0", "x")), _timeline((0, "t0", "y"))]
    for tl in instant:
        tl.returned_at = 0.0
    assert not worth_drawing(summarize(*instant))
    assert not worth_drawing(summarize(_timeline((1, "t0", "x")), _timeline((1, "t0", "x"))))
