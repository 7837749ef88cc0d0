"""How the student commands look: rich renderables for results, the exercise table, hints and solutions.

Everything here is presentation only (the model is in ``coursekit._practice``; the timeline picture in
``coursekit._view.text``; the words of a failure in ``coursekit._judge.messages``).  "Fancy" output (box
characters, check marks, colour) is for a terminal; anything else (a pipe, a file, a test) gets plain ASCII with
words instead of symbols.  Colour also follows ``NO_COLOR``
(rich drops colours then, keeping bold and reverse, which is what that convention asks).
"""

from __future__ import annotations

import difflib
import json
import os
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TextIO

from rich import box
from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from coursekit._judge.messages import TIMELINE_HEADING, explanation
from coursekit._practice.progress import ExerciseStatus, Progress
from coursekit._view.text import lanes_renderable
from coursekit.registry import Course, Exercise
from coursekit.results import CheckResult, ExerciseResult, Status

KEYS = (("n", "next"), ("h", "hint"), ("l", "list"), ("c", "check all"), ("r", "re-check"), ("q", "quit"))
SHORT_LABELS = {"check all": "all", "re-check": "again", "whole result": "whole", "short view": "short"}
"""Key labels for a narrow terminal, where the whole key bar must stay on one line."""


_SCORED = (ExerciseStatus.SOLVED, ExerciseStatus.ATTEMPTED)  # statuses whose recorded score is shown
PIPE_WIDTH = 120  # a pipe or file has no width; wide enough for the tables and pictures, short enough to read


class _NoTrailingBlanks:
    """A text stream wrapper that drops the blanks rich pads lines with (they only clutter pipes and files)."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        self.stream.write(re.sub(r"[ \t]+(?=\n)", "", text))
        return len(text)

    def flush(self) -> None:
        self.stream.flush()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)


def make_console() -> Console:
    console = Console(highlight=False, emoji=False, soft_wrap=False)
    if not console.is_terminal:
        if "COLUMNS" not in os.environ:
            console.width = PIPE_WIDTH
        console.file = _NoTrailingBlanks(sys.stdout)  # type: ignore[assignment]
    return console


def fancy(console: Console) -> bool:
    """Box characters and symbols: only on a terminal whose encoding can show them."""
    return console.is_terminal and (console.encoding or "").lower().replace("-", "").startswith("utf")


def separator(console: Console) -> RenderableType:
    """A line between two results (or above the key bar): a rule on a terminal, dashes anywhere else."""
    from rich.rule import Rule

    return Rule(style="dim") if fancy(console) else Text("-" * min(console.width, 80))


def _box(console: Console) -> box.Box:
    return box.ROUNDED if fancy(console) else box.ASCII


def status_text(status: ExerciseStatus, console: Console) -> Text:
    if not fancy(console):
        return Text(status)
    look = {ExerciseStatus.SOLVED: ("✓ solved", "bold green"), ExerciseStatus.ATTEMPTED: ("◐ attempted", "yellow"),
            ExerciseStatus.NOT_STARTED: ("· not started", "dim"), ExerciseStatus.STALE: ("? not checked", "dim")}
    label, style = look.get(status, (status, ""))
    return Text(label, style=style)


def mark(passed: bool, console: Console) -> Text:
    if fancy(console):
        return Text("✓", style="bold green") if passed else Text("✗", style="bold red")
    return Text("PASS" if passed else "FAIL")


def exercise_table(course: Course, statuses: dict[str, ExerciseStatus], progress: Progress,
                   current: Exercise | None, console: Console, *, compact: bool = False) -> RenderableType:
    """Every exercise with its status and points; ``compact``: no title and no box (one row per exercise and
    one header row: watch mode's list fits a 24-row terminal)."""
    table = Table(box=None if compact else _box(console), title=None if compact else course.title or course.id,
                  title_style="bold", show_lines=False, safe_box=not fancy(console), pad_edge=not compact)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("exercise", no_wrap=True)
    table.add_column("model", no_wrap=True)
    titled = not compact or console.width >= 110  # the title gives way: where you stand must stay whole
    if titled:
        table.add_column("title", no_wrap=compact, overflow="ellipsis" if compact else "fold")
    table.add_column("status", no_wrap=True)
    table.add_column("points", justify="right", no_wrap=True)
    for ex in course.exercises:
        status = statuses[ex.id]
        rec = progress.records.get(ex.id)
        score = rec.score if rec is not None and status in _SCORED else 0.0
        pointer = (">" if not fancy(console) else "→") if current is not None and ex.id == current.id else ""
        table.add_row(f"{pointer}{ex.order}", Text(ex.id, style="bold" if pointer else ""), ex.model,
                      *([ex.title] if titled else []), status_text(status, console), f"{score:g}/{ex.max_points:g}")
    return table


def progress_line(course: Course, statuses: dict[str, ExerciseStatus], progress: Progress,
                  console: Console) -> RenderableType:
    solved = sum(1 for ex in course.exercises if statuses[ex.id] is ExerciseStatus.SOLVED)
    points = sum(progress.records[ex.id].score for ex in course.exercises
                 if ex.id in progress.records and statuses[ex.id] in _SCORED)
    total = sum(ex.max_points for ex in course.exercises)
    n = len(course.exercises)
    width = 30
    filled = round(width * solved / n) if n else 0
    bar = Text("█" * filled, style="green") + Text("░" * (width - filled), style="dim") if fancy(console) else \
        Text("[" + "#" * filled + "." * (width - filled) + "]")
    return Text("Progress ") + bar + Text(f"  {solved}/{n} solved, {points:g}/{total:g} points")


def _indent(text: str, by: int = 6) -> Padding:
    return Padding(Text(text), (0, 0, 0, by), expand=False)  # (expand would pad every line to the full width)


def _row(*cells: tuple[Text, int | None]) -> Table:
    """One line of cells of fixed widths (``None``: the rest of the line, wrapping within its own column), so
    that a narrow terminal wraps a title under itself, never back to the left edge."""
    grid = Table.grid(padding=(0, 1, 0, 0))
    for _, width in cells:
        if width is None:
            grid.add_column(ratio=1, overflow="fold")
        else:
            grid.add_column(width=width, no_wrap=True)
    grid.add_row(*(text for text, _ in cells))
    return grid


def result_view(exercise: Exercise, result: ExerciseResult, console: Console, *, pictures: bool = True) -> Group:
    """One line per check (mark, name, points, title), the failures explained, then their timeline pictures."""
    rows: list[RenderableType] = []
    score = Text(f"{result.score:g}/{result.max_score:g} points",
                 style="bold green" if result.passed else "bold yellow")
    rows.append(_row((Text(exercise.id, style="bold"), len(exercise.id) + 1), (Text(exercise.title), None),
                     (Text(" ") + score, len(score) + 1)))
    failed = [c for c in result.checks if c.status is not Status.PASSED]
    words = {c.name: explanation(c) for c in failed}
    shared = len(failed) > 1 and len(set(words.values())) == 1
    width = max(len(c.name) for c in result.checks) if result.checks else 4
    said: dict[str, str] = {}  # a block of words (the check's own sentence, or one finding) -> where it was said
    marks = 2 + max(mark(passed, console).cell_len for passed in (True, False))
    for c in result.checks:
        title = Text(c.title, style="dim")
        if c.status is Status.ERROR:
            title += Text("  (the grader could not judge this: tell your instructor)", style="red")
        rows.append(_row((Text("  ") + mark(c.status is Status.PASSED, console), marks), (Text(c.name), width + 1),
                         (Text(f"{c.points:g}/{c.max_points:g}".rjust(5)), 6), (title, None)))
        if c.status is Status.PASSED or shared:
            continue
        fresh: list[str] = []
        repeated: list[str] = []
        for block in blocks(words[c.name]):
            (repeated if block in said else fresh).append(block)
        for block in fresh:
            said[block] = c.name
        if fresh:
            rows.append(_indent("\n".join(fresh)))
        if repeated:  # one mistake fails several checks: its finding is said once, under the first
            where = ", ".join(dict.fromkeys(said[b] for b in repeated))
            rows.append(_indent(f"(and the same likely mistake as under {where})" if fresh
                                else f"(the same as under {where})"))
    if shared:
        rows.append(Text(""))
        rows.append(_indent(next(iter(words.values())), by=2))
    if pictures:
        groups: dict[str, tuple[list[str], dict[str, Any]]] = {}
        for c in failed:
            if c.lanes:
                key = json.dumps(c.lanes, sort_keys=True)
                groups.setdefault(key, ([], c.lanes))[0].append(c.name)
        for names, lanes in groups.values():
            rows.append(Text(""))
            rows.append(Text(f"  {TIMELINE_HEADING[:-1]}, for {', '.join(names)}:", style="bold"))
            rows.append(lanes_renderable(lanes, width=max(60, console.width - 2), unicode=fancy(console)))
    return Group(*rows)


def blocks(words: str) -> list[str]:
    """A failure's words in blocks: the check's own sentences, then each finding (a line starting ``- ``)."""
    out: list[str] = []
    for line in words.splitlines():
        if line.startswith("- ") or not out:
            out.append(line)
        else:
            out[-1] += "\n" + line
    return [b for b in out if b.strip()]


@dataclass(frozen=True)
class FailurePage:
    """One screen of watch mode's failures: the checks that failed with the same words, those words, and the
    picture of their run (empty: none to draw)."""

    checks: tuple[CheckResult, ...]
    words: str
    lanes: dict[str, Any]


def failure_pages(result: ExerciseResult) -> list[FailurePage]:
    """The failed checks, those that failed with the same words together, in check order; a finding already
    named on an earlier page is left out of the later ones (one mistake often fails several checks)."""
    grouped: dict[str, list[CheckResult]] = {}
    for c in result.checks:
        if c.status is not Status.PASSED:
            grouped.setdefault(explanation(c), []).append(c)
    pages, said = [], set()
    for words, checks in grouped.items():
        fresh = [b for b in blocks(words) if b not in said]
        said.update(fresh)
        lanes = next((c.lanes for c in checks if c.lanes), {})
        pages.append(FailurePage(tuple(checks), "\n".join(fresh), lanes))
    return pages


def check_strip(result: ExerciseResult, console: Console) -> Text:
    """The score and every check on one line (wrapping if it must): ``4/10 points  x timing x order  v runs``."""
    text = Text(f"{result.score:g}/{result.max_score:g} points ", style="bold green" if result.passed
                else "bold yellow")
    for passed in (False, True):
        for c in result.checks:
            if (c.status is Status.PASSED) == passed:
                text += Text(" ") + mark(passed, console) + Text(f" {c.name}")
    return text


def failure_page_view(page: FailurePage, console: Console) -> RenderableType:
    """A page's heading (the checks, their points and title) and its words."""
    names = ", ".join(c.name for c in page.checks)
    lost = sum(c.max_points - c.points for c in page.checks)
    head = mark(False, console) + Text(f" {names}", style="bold") + Text(f"  -{lost:g}  ") + Text(
        page.checks[0].title if len(page.checks) == 1 else f"{len(page.checks)} checks", style="dim")
    words = page.words or "(the same likely mistake as on the previous page)"
    return Group(head, _indent(words, by=2))


def next_steps(exercise: Exercise, result: ExerciseResult, hints_left: int) -> Text:
    if result.passed:
        return Text("Solved! ", style="bold green") + Text("`course next` shows the next exercise.")
    text = Text(f"Edit {exercise.exercise_path.relative_to(exercise.root)} and check again "
                f"(`course watch` re-checks on every save).")
    if hints_left:
        text += Text(f" Stuck? `course hint {exercise.id}`.")
    return text


_STARTS_A_LINE = re.compile(r"^\s*(?:[-*|]\s|\d+[.)]\s|[A-Z][\w ,/'()-]{0,30}:\s)")
"""A line that starts a line of its own in a docstring: a bullet, a number, a table row, a label (``Run it:``)."""


def reflow(text: str) -> list[tuple[int, str]]:
    """A docstring's lines as (indent, text), the lines of a run of prose joined (same indent, none starting a
    line of its own: ``_STARTS_A_LINE``), so that a terminal narrower or wider than the source wraps them once,
    at its own width, not twice.  A blank line comes out as (0, "")."""
    out: list[tuple[int, str]] = []
    prev_blank = True
    for line in text.strip("\n").splitlines():
        if not line.strip():
            out.append((0, ""))
            prev_blank = True
            continue
        indent = len(line) - len(line.lstrip())
        if not prev_blank and out and out[-1][0] == indent and not _STARTS_A_LINE.match(line):
            out[-1] = (indent, f"{out[-1][1]} {line.strip()}")
        else:
            out.append((indent, line.strip()))
        prev_blank = False
    return out


def lesson_view(exercise: Exercise, lesson: str, console: Console, *, hints: int,
                status: ExerciseStatus = ExerciseStatus.NOT_STARTED,
                score: float = 0.0) -> RenderableType:
    """The lesson (the stub's docstring, reflowed to the terminal), then where things are; a command the lesson
    already gives (how to check, how to run) is not said a second time."""
    rel = exercise.exercise_path.relative_to(exercise.root)
    text = lesson.replace("``", "`") if lesson else "(this stub has no lesson docstring)"  # reST quotes, read as text
    rows: list[RenderableType] = []
    for indent, para in reflow(text):
        rows.append(Padding(Text(para), (0, 0, 0, indent), expand=False) if indent else Text(para))
    rows += [Text(""), Text("Status: ", style="bold") + status_text(status, console) +
             Text(f", {score:g}/{exercise.max_points:g} points"),
             Text("Edit:   ", style="bold") + Text(str(rel))]
    if f"course check {exercise.id}" not in text:
        rows.append(Text("Check:  ", style="bold") + Text(f"course check {exercise.id}") +
                    Text("   (or `course watch`: re-checks on every save)", style="dim"))
    if f"python {rel}" not in text:
        rows.append(Text("Run it: ", style="bold") + Text(f"python {rel}"))
    rows.append(Text("Hints:  ", style="bold") + Text(f"course hint {exercise.id}   ({hints} available)"))
    return Panel(Group(*rows), title=f"Next: #{exercise.order} {exercise.id}: {exercise.title}", title_align="left",
                 box=_box(console), safe_box=not fancy(console))


def hints_view(exercise: Exercise, hints: Sequence[str], shown: int, console: Console, *, mistake: str = "",
               again: str = "") -> RenderableType:
    """The first ``shown`` of ``hints``, the latest in full; ``mistake``: the finding kind or check they were
    chosen for ("" for the exercise's own hints); ``again`` says how to ask for the next one (default: the
    ``course hint`` command; watch mode says "press h")."""
    rows: list[RenderableType] = []
    total = len(hints)
    about = f" for this mistake ({mistake})" if mistake else ""
    for i, hint in enumerate(hints[:shown], start=1):
        latest = i == shown
        rows.append(Text(f"Hint {i}/{total}{about}: ", style="bold" if latest else "dim") +
                    Text(hint, style="" if latest else "dim"))
    again = again or f"`course hint {exercise.id}` again"
    if shown < total:
        rows.append(Text(f"{again[0].upper()}{again[1:]} for hint {shown + 1}/{total}.", style="dim"))
    elif mistake and exercise.hints:
        rows.append(Text(f"That was the last hint for this mistake; {again} for the exercise's other hints.",
                         style="dim"))
    else:
        rows.append(Text("That was the last hint. The reference solution: `course solution "
                         f"{exercise.id}` (once solved, or to give up).", style="italic"))
    return Group(*rows)


def key_bar(console: Console, *, extra: Iterable[tuple[str, str]] = (), short: bool = False) -> Text:
    """The keys of watch mode, then ``extra`` (key, label) pairs (the pages of a result); ``short``: the labels
    of ``SHORT_LABELS`` and one space between keys, for a narrow terminal."""
    text = Text()
    gap = " " if short else "  "
    for key, label in (*KEYS, *extra):
        said = SHORT_LABELS.get(label, label) if short else label
        text += Text(f"[{key}]", style="bold reverse" if fancy(console) else "") + Text(f" {said}{gap}")
    return text


def _side_rows(mine: list[str], theirs: list[str]) -> Iterable[tuple[str, int | None, str, int | None, str]]:
    """Aligned rows (tag, left number, left, right number, right) as in ``diff --side-by-side``."""
    matcher = difflib.SequenceMatcher(a=mine, b=theirs, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        for k in range(max(i2 - i1, j2 - j1)):
            i, j = i1 + k, j1 + k
            yield (tag, i + 1 if i < i2 else None, mine[i] if i < i2 else "",
                   j + 1 if j < j2 else None, theirs[j] if j < j2 else "")


def solution_view(exercise: Exercise, mine: str, theirs: str, console: Console, *,
                  side_by_side: bool) -> RenderableType:
    rel_mine = str(exercise.exercise_path.relative_to(exercise.root))
    rel_theirs = str(exercise.solution_path.relative_to(exercise.root))
    if not side_by_side:
        diff = "".join(difflib.unified_diff(mine.splitlines(keepends=True), theirs.splitlines(keepends=True),
                                            fromfile=f"{rel_mine} (yours)", tofile=f"{rel_theirs} (reference)"))
        if not diff:
            return Text("Your file and the reference solution are identical.")
        if fancy(console):
            from rich.syntax import Syntax

            return Syntax(diff, "diff", theme="ansi_dark", background_color="default")
        return Text(diff.rstrip("\n"))
    table = Table(box=_box(console), safe_box=not fancy(console), expand=True, show_lines=False, padding=(0, 1))
    table.add_column("", justify="right", style="dim", no_wrap=True)
    table.add_column(f"{rel_mine} (yours)", ratio=1, overflow="fold")
    table.add_column("", justify="right", style="dim", no_wrap=True)
    table.add_column(f"{rel_theirs} (reference)", ratio=1, overflow="fold")
    styles = {"replace": ("yellow", "yellow"), "delete": ("red", ""), "insert": ("", "green"), "equal": ("", "")}
    marks = {"replace": "|", "delete": "<", "insert": ">", "equal": ""}
    for tag, i, left, j, right in _side_rows(mine.splitlines(), theirs.splitlines()):
        ls, rs = styles[tag]
        flag = marks[tag] if not fancy(console) else ""
        table.add_row(f"{flag}{i or ''}", Text(left, style=ls), str(j or ""), Text(right, style=rs))
    return table
