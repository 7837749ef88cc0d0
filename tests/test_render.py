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

from coursekit import render
from coursekit.grading import grade_exercise
from coursekit.registry import load_course
from coursekit.render import TIMELINE_HEADING
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
        assert check.message.startswith(render.explanation(check))
        assert check.timeline and check.timeline in check.message
    pic = by_name["join"].lanes
    labels = [ln["label"] for ln in pic["observed"]["lanes"]]
    assert labels == ["main", "thread print_numbers", "thread print_letters"]
    assert pic["divergence"]["observed"] == {"t": 0.0, "lane": "t0", "text": "Done!"}
    assert pic["divergence"]["expected"]["text"] == "Number: 1"
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
    full = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "PY_COLORS", "FORCE_COLOR")}
    full.update(PYTHONPATH=str(ROOT), **env)
    return subprocess.Popen([sys.executable, "-m", "pytest", f"exercises/{EX}.py", "-q", "-p", "no:cacheprovider"],
                            cwd=course, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=full)


def test_pytest_exercises_shows_the_lanes_plain_when_piped_in_colour_when_asked(tmp_path):
    course = copy_course(tmp_path / "course")
    shutil.copyfile(WRONG / "no_join.py", course / "exercises" / f"{EX}.py")
    runs = [_pytest_exercises(course), _pytest_exercises(course, PY_COLORS="1")]  # side by side: half the wait
    (piped, _), (coloured, _) = [proc.communicate(timeout=300) for proc in runs]
    assert runs[0].returncode == 1
    assert "first difference: your program printed 'Done!' at 0 s (main)" in piped
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
    # three checks fail on one mistake: the picture is drawn under the first, and pointed to from the others
    assert out.count(TIMELINE_HEADING) == 1 and out.count("(the same timeline as [timing] above)") == 2
    assert "Python cannot read your file: invalid syntax at line 1" in broken_out
    assert "ERROR collecting" not in broken_out and "_pytest" not in broken_out + broken_err
