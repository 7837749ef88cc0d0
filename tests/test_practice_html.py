"""`course check --html`: the page opened in headless Chromium, its SVG timelines measured in the browser.

A probe script, added to a copy of the page, reads the laid-out SVG (lanes, marks, the divergence line, text
that would spill out of the picture) and writes what it found into the DOM, which Chromium dumps.  A screenshot
is kept in ``tests/artifacts/`` (git-ignored) for people to look at.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from _course_copy import ROOT, copy_course
from click.testing import CliRunner

from coursekit.cli import main

EX = "threads/numbers_letters_threads"
ARTIFACTS = ROOT / "tests" / "artifacts"

PROBE = """
<script>
(function () {
  const out = [];
  for (const fig of document.querySelectorAll("figure.timeline")) {
    const svg = fig.querySelector("svg.lanes");
    const box = svg.getBoundingClientRect();
    const vb = svg.viewBox.baseVal;
    const spill = [];
    for (const t of svg.querySelectorAll("text")) {
      const b = t.getBBox();
      if (b.x < -0.5 || b.x + b.width > vb.width + 0.5 || b.y < -0.5 || b.y + b.height > vb.height + 0.5) {
        spill.push(t.textContent);
      }
    }
    const lanes = {};
    for (const g of svg.querySelectorAll("g.lane")) {
      lanes[g.dataset.side + ":" + g.dataset.lane] = Array.from(g.querySelectorAll("circle.print")).map(
        c => Number(c.getAttribute("cx")));
    }
    const ticks = Array.from(svg.querySelectorAll("text.tick")).map(
      t => [t.textContent, Number(t.getAttribute("x"))]);
    const div = Array.from(svg.querySelectorAll("line.divergence")).map(
      l => [l.dataset.side, Number(l.getAttribute("x1"))]);
    out.push({svg: svg instanceof SVGSVGElement, width: box.width, height: box.height, checks: fig.dataset.checks,
              lanes, ticks, div, spill, rings: svg.querySelectorAll("circle.divergence-ring").length});
  }
  const pre = document.createElement("pre");
  pre.id = "probe";
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
})();
</script>
"""


def _chromium_or_skip() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    if os.environ.get("CI"):
        pytest.fail("Chromium is missing on CI: .ci/run installs it")
    pytest.skip("Chromium is not installed (apt-get install chromium)")


def _chromium(binary: str, profile: Path, *args: str) -> subprocess.CompletedProcess:
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--hide-scrollbars",
             f"--user-data-dir={profile}"]
    return subprocess.run([binary, *flags, *args], capture_output=True, text=True, timeout=120, check=False)


def test_the_html_page_draws_exact_timelines_in_a_browser(tmp_path, monkeypatch):
    chromium = _chromium_or_skip()
    course = copy_course(tmp_path / "course")
    shutil.copyfile(ROOT / "tests" / "catalogue" / EX / "wrong" / "join_one_only.py",
                    course / "exercises" / f"{EX}.py")
    monkeypatch.chdir(course)
    page = tmp_path / "check.html"
    res = CliRunner().invoke(main, ["check", EX, "--html", str(page)], catch_exceptions=False)
    assert res.exit_code == 1 and page.is_file()

    probed = tmp_path / "probed.html"
    probed.write_text(page.read_text().replace("</body>", PROBE + "</body>"))
    dom = _chromium(chromium, tmp_path / "profile", "--dump-dom", probed.as_uri())
    found = re.search(r'<pre id="probe">(.*?)</pre>', dom.stdout, re.DOTALL)
    assert found, f"no probe output; chromium said:\n{dom.stderr[-2000:]}"
    figures = json.loads(found.group(1).replace("&quot;", '"').replace("&amp;", "&"))

    assert len(figures) == 1  # the failing checks share one picture
    fig = figures[0]
    assert fig["svg"] and fig["width"] > 600 and fig["height"] > 150
    assert set(fig["checks"].split(",")) >= {"join"}
    assert fig["spill"] == []
    # Lanes of both runs: main and the two threads, each with its dots.
    for side in ("observed", "expected"):
        assert len(fig["lanes"][f"{side}:thread print_numbers"]) == 5
        assert len(fig["lanes"][f"{side}:thread print_letters"]) == 5
        assert len(fig["lanes"][f"{side}:main"]) == 1
    # Exact: a dot sits where the axis says its time is (Number: k at k seconds).
    ticks = {label: x for label, x in fig["ticks"]}
    per_second = ticks["1 s"] - ticks["0 s"]
    numbers = fig["lanes"]["expected:thread print_numbers"]
    assert numbers == pytest.approx([ticks["0 s"] + k * per_second for k in range(1, 6)], abs=0.05)
    # The first difference is one moment, marked on both runs: 'Done!' at 5 s in this run (it is due at 7.5 s);
    # the one line ringed is that extra 'Done!' (nothing is missing at 5 s).
    div = dict(fig["div"])
    assert div["observed"] == pytest.approx(ticks["5 s"], abs=0.05)
    assert div["expected"] == pytest.approx(ticks["5 s"], abs=0.05)
    assert fig["rings"] == 1

    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "check-timeline.png"
    shot.unlink(missing_ok=True)
    _chromium(chromium, tmp_path / "profile", "--window-size=1100,1500", f"--screenshot={shot}", page.as_uri())
    assert shot.is_file() and shot.stat().st_size > 20_000
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


LAYOUT_PROBE = """
<script>
(function () {
  const overlap = (a, b) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
  const out = {figures: [], headers: Array.from(document.querySelectorAll("table.summary th")).map(
    th => th.textContent.trim()), pageWidth: document.documentElement.scrollWidth,
    viewport: window.innerWidth};
  for (const svg of document.querySelectorAll("svg.lanes")) {
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    const struck = [], onHeading = [];
    const labels = Array.from(svg.querySelectorAll("text.label, text.print-label"));
    for (const line of svg.querySelectorAll("line.divergence")) {
      const x = Number(line.getAttribute("x1")), y1 = Number(line.getAttribute("y1")),
            y2 = Number(line.getAttribute("y2"));
      for (const t of labels) {
        const b = t.getBBox();
        if (b.x < x && x < b.x + b.width && b.y < y2 && y1 < b.y + b.height) struck.push(t.textContent);
      }
    }
    for (const d of svg.querySelectorAll("text.divergence-label")) {
      for (const h of svg.querySelectorAll("text.section")) {
        if (overlap(d.getBBox(), h.getBBox())) onHeading.push(d.textContent + " / " + h.textContent);
      }
    }
    out.figures.push({scale, struck, onHeading});
  }
  const pre = document.createElement("pre");
  pre.id = "probe";
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
})();
</script>
"""


@pytest.mark.parametrize("case", ["no_join.py", "join_one_only.py", "sequential.py"])
def test_the_timeline_stays_readable_at_760_px_and_its_first_difference_strikes_no_label(tmp_path, monkeypatch,
                                                                                         case):
    """no_join.py differs at 0 s (the label of the line once sat on the "expected" heading); at 760 px the SVG
    was scaled down until its labels could not be read; the summary's status column had no header."""
    chromium = _chromium_or_skip()
    course = copy_course(tmp_path / "course")
    shutil.copyfile(ROOT / "tests" / "catalogue" / EX / "wrong" / case, course / "exercises" / f"{EX}.py")
    monkeypatch.chdir(course)
    page = tmp_path / "check.html"
    CliRunner().invoke(main, ["check", EX, "--html", str(page)], catch_exceptions=False)
    probed = tmp_path / "probed.html"
    probed.write_text(page.read_text().replace("</body>", LAYOUT_PROBE + "</body>"))
    dom = _chromium(chromium, tmp_path / "profile", "--window-size=760,1400", "--dump-dom", probed.as_uri())
    found = re.search(r'<pre id="probe">(.*?)</pre>', dom.stdout, re.DOTALL)
    assert found, f"no probe output; chromium said:\n{dom.stderr[-2000:]}"
    probe = json.loads(found.group(1).replace("&quot;", '"').replace("&amp;", "&"))
    assert probe["headers"] == ["exercise", "points", "status"]
    assert probe["figures"], probe
    for fig in probe["figures"]:
        assert fig["scale"] >= 0.9, fig  # 12 px labels drawn at 11 px or more
        assert fig["struck"] == [] and fig["onHeading"] == [], fig
