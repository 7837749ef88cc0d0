"""Watch mode (``course watch``): one exercise on screen, re-checked on every save, driven by single keys.

A small state machine: the exercise on screen, its last result, and what is shown under it (a hint, the list,
a note), changed by one input at a time (``coursekit._practice.watching``: a saved file, a key, a note from the
watcher) and redrawn whole after each.  Grading and progress are ``coursekit._practice.checking``'s; the look is
``coursekit._view.terminal``'s.
"""

from __future__ import annotations

import queue
from enum import StrEnum

from rich.console import Console
from rich.text import Text

from coursekit._practice.checking import check_and_record, current, graded_side_by_side, reveal_next_hint, statuses
from coursekit._practice.progress import Progress, file_digest
from coursekit._practice.watching import Event, FileChanged, FileWatcher, KeyPressed, WatcherNote, key_reader
from coursekit._view import terminal
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
        self.extra: list[object] = []
        self.current = course.exercises[0]
        self.single_keys = False

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
            case Command.HINT:
                self.show_hint()
            case Command.LIST:
                now = statuses(self.course, self.progress)
                self.extra = [terminal.exercise_table(self.course, now, self.progress, self.current, self.console),
                              terminal.progress_line(self.course, now, self.progress, self.console)]
                self.draw()
            case Command.CHECK_ALL:
                self.check_all()
            case Command.RECHECK:
                self.extra = []
                self.recheck()
        return True

    def recheck(self) -> None:
        self.console.print(Text(f"Checking {self.current.id}...", style="dim"))
        self.checked[self.current.id] = file_digest(self.current.exercise_path)
        self.result = check_and_record(self.current, self.progress).result
        self.progress.save()
        self.draw()

    def show_hint(self) -> None:
        ex = self.current
        shown = reveal_next_hint(ex, self.progress)
        self.extra = [terminal.hints_view(ex, shown, self.console) if shown else Text(f"{ex.id} has no hints.")]
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
                      terminal.exercise_table(self.course, now, self.progress, self.current, self.console),
                      terminal.progress_line(self.course, now, self.progress, self.console)]
        self.draw()

    def draw(self) -> None:
        console = self.console
        console.clear()
        ex = self.current
        rel = ex.exercise_path.relative_to(ex.root)
        console.print(Text(f"course watch: #{ex.order}/{len(self.course.exercises)} ", style="bold") +
                      Text(f"{ex.id}  ({rel})"))
        if self.result is not None and self.result.exercise == ex.id:
            console.print(terminal.result_view(ex, self.result, console))
            if self.result.passed:
                console.print(Text("Solved! Press n for the next exercise.", style="bold green"))
        for item in self.extra:
            console.print(item)
        console.print(terminal.separator(console))
        where = f"watching {rel} ({self.watcher.mode}); save the file to re-check"
        if not self.single_keys:
            where += "; type a key then Enter"
        console.print(terminal.key_bar(console))
        console.print(Text(where, style="dim"))


__all__ = ["Command", "Session"]
