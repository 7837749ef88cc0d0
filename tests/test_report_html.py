"""``report.html`` laid out in headless Chromium at 1,280 px (a laptop) and 390 px (a phone).

The class is made up here (every exercise of the course, 40 students, long ids, notes and messages), so the page
is as wide as a real class's without grading anything.  A probe script added to a copy of the page measures the
layout and writes it into the DOM, which Chromium dumps (``--dump-dom``): whether the page scrolls sideways,
whether each table fits its box, where the first feedback link is, whether a number cell wraps, whether two
histogram labels overlap.  Screenshots go to ``tests/artifacts/`` (git-ignored) for people to look at.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from test_practice_html import ARTIFACTS, _chromium, _chromium_or_skip

from coursekit._bulk.grade_class import ClassResult, StudentResult
from coursekit._bulk.intake import Submission
from coursekit._bulk.report import histogram_svg, render, score_bins, shorten
from coursekit.registry import load_course
from coursekit.results import CheckResult, ExerciseResult, Status

ROOT = Path(__file__).resolve().parent.parent
LONG = ("main() returned before all of its workers had finished: thread print_letters was still printing afterwards "
        "('Letter: d' at 6 s), and the pool's workers were never joined, so the clean-up they were due to print "
        "never came; join() every worker (or await it) before going on, and let the clean-up run in a finally: "
        "block so that it runs when the work is cancelled as well as when it finishes")

PROBE = """
<script>
window.addEventListener("load", function () {
  const doc = document.getElementById("page").contentDocument, win = doc.defaultView, root = doc.documentElement;
  const boxes = Array.from(doc.querySelectorAll("div.scroll")).map(d => ({
    first: (d.querySelector("th") || {}).textContent, fits: d.scrollWidth <= d.clientWidth + 1,
    width: d.scrollWidth}));
  const link = doc.querySelector('a[href$="feedback.md"]').getBoundingClientRect();
  const wrapped = [];
  for (const td of doc.querySelectorAll("td.n")) {
    const range = doc.createRange();
    range.selectNodeContents(td);
    const tops = new Set(Array.from(range.getClientRects()).map(r => Math.round(r.top)));
    if (tops.size > 1) wrapped.push(td.textContent);
  }
  const bands = Array.from(doc.querySelectorAll("svg.histogram text.band")).map(t => {
    const b = t.getBoundingClientRect(); return [t.textContent, b.left, b.right]; });
  const overlaps = [];
  for (let i = 1; i < bands.length; i++) if (bands[i][1] < bands[i - 1][2]) overlaps.push(bands[i][0]);
  const svg = doc.querySelector("svg.histogram").getBoundingClientRect();
  const pre = document.createElement("pre");
  pre.id = "probe";
  pre.textContent = JSON.stringify({page: [root.scrollWidth, root.clientWidth], boxes, link: [link.left, link.right],
    window: win.innerWidth, wrapped, overlaps, labels: bands.map(b => b[0]), svg: [svg.left, svg.right]});
  document.body.appendChild(pre);
});
</script>
"""


def _class() -> ClassResult:
    """A made-up class over every exercise: scores spread out, some files missing, rejected or cut short."""
    course = load_course(ROOT)
    students = []
    for k in range(40):
        name = f"student-with-a-rather-long-id-{k:02d}@example.org" if k % 7 == 0 else f"s{k:02d}"
        sub = Submission(name, "folder", notes=[f"ignored {'extra_folder/' * 6}notes_{k}.txt: not an exercise file"]
                         if k % 5 == 0 else [])
        sr = StudentResult(name, sub)
        for i, ex in enumerate(course.exercises):
            how = "not submitted" if (k + i) % 11 == 0 else "rejected" if (k * i) % 29 == 3 else "graded"
            checks = []
            for j, (check, pts) in enumerate(ex.points.items()):
                ok = how == "graded" and (k + j * i) % 4 != 0
                checks.append(CheckResult(check, f"the {check} check", Status.PASSED if ok else Status.FAILED,
                                          pts if ok else 0.0, pts, "" if ok else f"{LONG} ({check})"))
            sr.exercises[ex.id] = ExerciseResult(ex.id, checks, {"timed_out": (k + i) % 13 == 0})
            sr.how[ex.id] = how
            if how == "graded":
                sr.keys[ex.id] = f"{ex.id}-{k % 9}"
        students.append(sr)
    return ClassResult(course, list(course.exercises), {}, students, [], graded=30, reused=4)


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("report")
    path = folder / "report.html"
    path.write_text(render(_class()), encoding="utf-8")
    return path


def _probe(chromium: str, page: Path, width: int) -> dict:
    """Lay the page out in a ``width``-px frame (headless Chromium's window is at least 500 px wide, a phone's
    is not) and measure it from the outer page, which the frame's ``srcdoc`` makes same-origin."""
    probed = page.with_name(f"probed-{width}.html")
    frame = html.escape(page.read_text(encoding="utf-8"), quote=True)
    probed.write_text(f'<!doctype html><html><body style="margin:0"><iframe id="page" width="{width}" height="900" '
                      f'style="border:0" srcdoc="{frame}"></iframe>{PROBE}</body></html>', encoding="utf-8")
    dom = _chromium(chromium, page.parent / f"profile-{width}", f"--window-size={max(width, 500) + 40},1000",
                    "--virtual-time-budget=5000", "--dump-dom", probed.as_uri())
    found = re.search(r'<pre id="probe">(.*?)</pre>', dom.stdout, re.DOTALL)
    assert found, f"no probe output; chromium said:\n{dom.stderr[-2000:]}"
    ARTIFACTS.mkdir(exist_ok=True)
    _chromium(chromium, page.parent / f"profile-{width}", f"--window-size={max(width, 500)},2400",
              f"--screenshot={ARTIFACTS / f'report-{width}.png'}", page.as_uri())
    return json.loads(found.group(1).replace("&quot;", '"').replace("&amp;", "&"))


@pytest.mark.parametrize("width", [1280, 390])
def test_report_fits_the_window(page, width):
    found = _probe(_chromium_or_skip(), page, width)
    assert found["window"] == width
    scroll, client = found["page"]
    assert scroll <= client, f"the page scrolls sideways at {width} px: {scroll} px wide"
    assert found["link"][1] <= width, f"the first feedback link ends at x = {found['link'][1]:.0f}"
    assert found["wrapped"] == [], f"number cells wrap: {found['wrapped'][:5]}"
    assert found["overlaps"] == [], f"histogram labels overlap: {found['overlaps']}"
    assert found["svg"][1] <= width
    if width >= 1280:  # a laptop shows every table whole; a phone scrolls inside a table's own box
        assert [(b["first"], b["width"]) for b in found["boxes"] if not b["fits"]] == []


def test_histogram_bands_are_whole_numbers():
    assert score_bins(157) == [(lo, lo + 14) for lo in range(0, 150, 15)] + [(150, 157)]
    assert score_bins(10) == [(k, k) for k in range(11)]
    assert score_bins(0) == [(0, 0)]
    assert score_bins(9.5) == [(k, k) for k in range(10)]
    svg = histogram_svg([0, 3.5, 9.9, 10, 157], 157)
    labels = re.findall(r'class="band"[^>]*>([^<]*)<', svg)
    assert labels and all(re.fullmatch(r"\d+(\u2013\d+)?", x) for x in labels), labels
    assert "4 student(s) with 0 to 14 points" in svg and "1 student(s) with 150 to 157 points" in svg


def test_report_lists_only_failed_checks_and_cuts_messages_at_words():
    html = render(_class())
    assert "> 0 / " not in html.replace("<td class=n>0 / ", "> 0 / ")  # no "0 / n" failure row
    assert re.search(r"<td class=n>0 / \d+</td>", html) is None
    cut = shorten(LONG)
    assert len(cut) <= 300 and cut.endswith("\u2026") and LONG.startswith(cut[:-1])
    assert LONG[len(cut) - 1] == " "  # the cut is at a space: no word is cut in two
    assert shorten("short") == "short"
