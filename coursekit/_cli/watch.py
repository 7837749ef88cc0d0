"""Watch mode (``course watch``): one exercise on screen, re-checked on every save, driven by single keys.

A small state machine: the exercise on screen, its last result, and what is shown under it (a hint, the list,
a note), changed by one input at a time (``coursekit._practice.watching``: a saved file, a key, a note from the
watcher) and redrawn whole after each.  Grading and progress are ``coursekit._practice.checking``'s; the look is
``coursekit._view.terminal``'s.
"""

from __future__ import annotations

import queue
from enum import StrEnum
from typing import Any

from rich.console import Console, Group, RenderableType
from rich.text import Text

from coursekit._practice import stubs
from coursekit._practice.checking import check_and_record, current, graded_side_by_side, reveal_next_hint, statuses
from coursekit._practice.progress import Progress, file_digest
from coursekit._practice.watching import Event, FileChanged, FileWatcher, KeyPressed, WatcherNote, key_reader
from coursekit._view import terminal
from coursekit._view.text import MAX_LANES, lanes_renderable
from coursekit.registry import Course, Exercise
from coursekit.results import ExerciseResult

SAFETY_NET_S = 1.0
"""How often, with no event, the file on screen is compared with what was last checked (events can be lost)."""


class Command(StrEnum):
    """What a key asks for (the key bar, ``coursekit._view.terminal.KEYS``, shows the same keys)."""

    NEXT = "n"
    HINT = "h"
    LIST = "l"
    CHECK_ALL = "c"
    RECHECK = "r"
    QUIT = "q"
    FORWARD = "f"
    BACK = "b"
    DETAILS = "d"

    @classmethod
    def of(cls, key: str) -> Command | None:
        """The command of a key press (either case), or None for a key that means nothing here."""
        try:
            return cls(key.lower())
        except ValueError:
            return None


class Session:
    """Watch mode: one exercise on screen, re-checked on save, with a key bar (presentation + key handling)."""

    def __init__(self, course: Course, progress: Progress, console: Console, watcher: FileWatcher,
                 events: queue.Queue[Event]) -> None:
        self.course, self.progress, self.console = course, progress, console
        self.watcher, self.events = watcher, events
        self.checked: dict[str, str] = {}  # exercise id -> digest of the file last checked
        self.result: ExerciseResult | None = None
        self.extra: list[RenderableType] = []
        self.current = course.exercises[0]
        self.single_keys = False
        self.page = 0  # which page of failures is on screen (``terminal.failure_pages``)
        self.details = False  # the whole result instead of one screen

    def run(self, current: Exercise) -> None:
        self.current = current
        try:
            with key_reader(self.events) as single_keys:
                self.single_keys = single_keys
                self.recheck()
                while True:
                    try:
                        event = self.events.get(timeout=SAFETY_NET_S)
                    except queue.Empty:
                        # A cheap safety net: events can be lost (some editors, some file systems).
                        if file_digest(self.current.exercise_path) != self.checked.get(self.current.id):
                            self.recheck()
                        continue
                    if not self.handle(event):
                        break
        except KeyboardInterrupt:
            pass
        finally:
            self.watcher.close()
            self.progress.save()
        self.console.print("Stopped watching. Your progress is saved; `course list` shows it.")

    def handle(self, event: Event) -> bool:
        """Act on one input; False when the learner asked to quit."""
        match event:
            case FileChanged(path=path):
                ex = self.course.by_path(path)
                if ex is not None and file_digest(ex.exercise_path) != self.checked.get(ex.id):
                    self.current = ex
                    self.extra = []
                    self.recheck()
            case WatcherNote(text=text):
                self.extra = [Text(text, style="yellow")]
                self.draw()
            case KeyPressed(key=key):
                return self.command(Command.of(key))
        return True

    def command(self, command: Command | None) -> bool:
        """Carry out what a key asked for; False for quit."""
        match command:
            case Command.QUIT:
                return False
            case Command.NEXT:
                exercises = self.course.exercises
                self.current = current(self.course, self.progress, after=self.current) or \
                    exercises[(exercises.index(self.current) + 1) % len(exercises)]
                self.extra = []
                self.recheck()
                rec = self.progress.record(self.current)
                status = statuses(self.course, self.progress)[self.current.id]
                self.extra = [terminal.lesson_view(self.current, stubs.lesson(self.current), self.console,
                                                   hints=len(self.current.hints), status=status, score=rec.score)]
                self.draw()  # the lesson of the exercise moved to, above its first result
            case Command.HINT:
                self.show_hint()
            case Command.LIST:
                now = statuses(self.course, self.progress)
                self.extra = [terminal.exercise_table(self.course, now, self.progress, self.current, self.console,
                                                      compact=True),
                              terminal.progress_line(self.course, now, self.progress, self.console)]
                self.draw()
            case Command.CHECK_ALL:
                self.check_all()
            case Command.RECHECK:
                self.extra = []
                self.recheck()
            case Command.FORWARD | Command.BACK:
                pages = len(terminal.failure_pages(self.result)) if self.result is not None else 0
                step = 1 if command is Command.FORWARD else -1
                self.page = (self.page + step) % pages if pages else 0  # f after the last page: the first again
                self.details = False
                self.draw()
            case Command.DETAILS:
                self.details = not self.details
                self.draw()
        return True

    def recheck(self) -> None:
        self.page = 0
        self.console.print(Text(f"Checking {self.current.id}...", style="dim"))
        self.checked[self.current.id] = file_digest(self.current.exercise_path)
        self.result = check_and_record(self.current, self.progress).result
        self.progress.save()
        self.draw()

    def show_hint(self) -> None:
        ex = self.current
        outcome = reveal_next_hint(ex, self.progress)
        self.extra = [terminal.hints_view(ex, outcome.choice.hints, outcome.shown, self.console,
                                          mistake=outcome.choice.key, again="press h again")
                      if outcome.shown else Text(f"{ex.id} has no hints.")]
        self.draw()

    def check_all(self) -> None:
        self.console.print(Text(f"Checking all {len(self.course.exercises)} exercises...", style="dim"))
        for ex, future in graded_side_by_side(list(self.course.exercises)):
            graded = future.result()
            self.progress.update(ex, graded.result, graded.digest)
            self.checked[ex.id] = graded.digest
            if ex.id == self.current.id:
                self.result = graded.result
        self.progress.save()
        now = statuses(self.course, self.progress)
        self.extra = [Text("Checked every exercise:", style="bold"),
                      terminal.exercise_table(self.course, now, self.progress, self.current, self.console,
                                              compact=True),
                      terminal.progress_line(self.course, now, self.progress, self.console)]
        self.draw()

    def draw(self) -> None:
        """One screen: the score and every check on a line, one page of failures (the first, until ``f``/``b``
        turn pages) with its picture shrunk to the rows left, whatever was asked for (a hint, the list), and
        the key bar, always at the bottom.  ``d`` shows the whole result instead, for the terminal to scroll."""
        console = self.console
        console.clear()
        ex = self.current
        rel = ex.exercise_path.relative_to(ex.root)
        title = Text(f"course watch: #{ex.order}/{len(self.course.exercises)} ", style="bold") + Text(ex.id)
        if len(title) + len(str(rel)) + 3 <= console.width:
            title += Text(f"  ({rel})", style="dim")
        footer = self._footer()
        result = self.result if self.result is not None and self.result.exercise == ex.id else None
        if self.details:
            console.print(title)
            if result is not None:
                console.print(terminal.result_view(ex, result, console))
            for item in self.extra:
                console.print(item)
            console.print(footer)
            return
        body: list[RenderableType] = [title]
        pages = terminal.failure_pages(result) if result is not None else []
        self.page = min(self.page, max(0, len(pages) - 1))
        if result is not None:
            body.append(terminal.check_strip(result, console))
            if result.passed and not self.extra:
                body.append(Text("Solved! Press n for the next exercise.", style="bold green"))
        body += self.extra
        if pages:
            body.append(terminal.failure_page_view(pages[self.page], console))
        rows = max(6, console.size.height - self._height(footer) - 1)  # (the last row holds the cursor)
        lines = self._lines(Group(*body))
        if len(lines) > rows:  # the words are longer than the screen: cut, and say where the rest is
            lines = [*lines[: rows - 1], *self._lines(Text("... (more: press d for the whole result)", style="dim"))]
        elif pages and pages[self.page].lanes:
            picture = self._picture(pages[self.page].lanes, rows - len(lines))
            lines += picture
        for line in lines:
            console.print(line)
        console.print(footer)

    def _footer(self) -> RenderableType:
        """The separator, the key bar (with the pages of failures when there are several) and what is watched."""
        console = self.console
        rel = self.current.exercise_path.relative_to(self.current.root)
        result = self.result if self.result is not None and self.result.exercise == self.current.id else None
        pages = len(terminal.failure_pages(result)) if result is not None else 0
        where = f"watching {rel} ({self.watcher.mode}); save the file to re-check"
        if len(where) > console.width:
            where = f"watching {rel.name}: save it to re-check"
        if not self.single_keys:
            where += "; type a key then Enter"
        paging = [("f/b", f"page {self.page + 1}/{pages}")] if pages > 1 else []
        paging.append(("d", "short view" if self.details else "whole result"))
        keys = terminal.key_bar(console, extra=paging, short=console.width < 110)
        return Group(terminal.separator(console), keys, Text(where, style="dim"))

    def _lines(self, renderable: RenderableType) -> list[Text]:
        """``renderable`` as the lines it takes at the console's width (each a Text that keeps its styles)."""
        console = self.console
        with console.capture() as capture:
            console.print(renderable)
        return [Text.from_ansi(line) for line in capture.get().splitlines()]

    def _height(self, renderable: RenderableType) -> int:
        return len(self._lines(renderable))

    def _picture(self, lanes: dict[str, Any], rows: int) -> list[Text]:
        """The picture of a page in at most ``rows`` lines: the printed lines beside it when they fit, else the
        lanes alone, with fewer lanes per run if need be; nothing when not even one lane per run fits."""
        width = max(40, self.console.width - 2)
        unicode = terminal.fancy(self.console)
        most = min(MAX_LANES, max(len(lanes[side]["lanes"]) for side in ("observed", "expected")))
        for with_lines in (True, False):
            for max_lanes in range(most, 0, -1):
                for compact in (False, True):
                    drawn = self._lines(lanes_renderable(lanes, width=width, unicode=unicode, lines=with_lines,
                                                         max_lanes=max_lanes, compact=compact))
                    heading = [] if compact else self._lines(Text(""))
                    if len(drawn) + len(heading) <= rows:
                        return heading + drawn
        return self._lines(Text("(the timeline needs a taller terminal: press d for the whole result)", style="dim"))


__all__ = ["Command", "Session"]
