"""Student commands of ``course``: list, next, check, hint, watch, reset, solution (the self-paced workflow).

The commands only wire things together: the model is in ``coursekit._practice`` (progress, selection, stubs,
watch inputs), the look in ``coursekit._view.terminal`` and ``coursekit._view.text``.  Progress is saved after each
command in ``.course-progress.json``; grading never reads it.
"""

from __future__ import annotations

import os
import queue
import sys
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import click
from rich.console import Console
from rich.rule import Rule
from rich.text import Text

from coursekit._cli.common import current_course
from coursekit._practice import stubs
from coursekit._practice.progress import NOT_STARTED, SOLVED, STALE, Progress, file_digest
from coursekit._practice.select import SelectionError, first_unsolved, resolve, resolve_many
from coursekit._practice.watching import Event, FileWatcher, key_reader
from coursekit._view import terminal
from coursekit.grading import GraderError, grade_exercise
from coursekit.registry import Course, Exercise
from coursekit.results import CheckResult, ExerciseResult, Status


class SelectionFailed(click.ClickException):
    """A word on the command line names no exercise (or several): a usage error, exit code 2."""

    exit_code = 2


def _resolve(course: Course, word: str) -> Exercise:
    try:
        return resolve(course, word)
    except SelectionError as exc:
        raise SelectionFailed(str(exc)) from None


def _grade(exercise: Exercise) -> ExerciseResult:
    """Grade; a broken grader becomes a result of ERROR checks (the instructor's problem, said as such)."""
    try:
        return grade_exercise(exercise)  # the module's reference cache: shared by every check of this process
    except GraderError as exc:
        message = f"The grader itself is broken (not your fault; tell your instructor): {exc}"
        return ExerciseResult(exercise.id, [CheckResult(name, "could not be judged", Status.ERROR, 0.0, points, message)
                                            for name, points in exercise.points.items()])


def _check_and_record(exercise: Exercise, progress: Progress) -> ExerciseResult:
    digest = file_digest(exercise.exercise_path)  # of the file as graded, even if it is saved again meanwhile
    result = _grade(exercise)
    progress.update(exercise, result, digest)
    return result


def _digest_and_grade(exercise: Exercise) -> tuple[str, ExerciseResult]:
    digest = file_digest(exercise.exercise_path)
    return digest, _grade(exercise)


def _graded(exercises: list[Exercise]) -> Iterator[tuple[Exercise, Future[tuple[str, ExerciseResult]]]]:
    """Grade side by side (each grading is a few child processes); yield in course order, as futures."""
    with ThreadPoolExecutor(max_workers=max(1, min(len(exercises), os.cpu_count() or 2))) as pool:
        futures = [pool.submit(_digest_and_grade, ex) for ex in exercises]
        yield from zip(exercises, futures, strict=True)


def _load(course: Course, console: Console) -> Progress:
    progress = Progress.load(course)
    stubs.snapshot(course)
    if progress.recovered and progress.recovered != "missing":
        console.print(Text(f"The progress file was {progress.recovered}; rebuilding it from a re-check.",
                           style="yellow"))
    return progress


def _statuses(course: Course, progress: Progress, console: Console) -> dict[str, str]:
    """Every exercise's status; files changed since their last check (or never recorded) are checked again."""
    statuses = {ex.id: progress.status(ex, pristine=stubs.stub_text(ex)) for ex in course.exercises}
    stale = [ex for ex in course.exercises if statuses[ex.id] == STALE]
    if stale:
        console.print(Text(f"Checking {len(stale)} exercise(s) changed since their last check...", style="dim"))
        for ex, future in _graded(stale):
            digest, result = future.result()
            progress.update(ex, result, digest)
            statuses[ex.id] = progress.status(ex, pristine=stubs.stub_text(ex))
        progress.save()
    return statuses


def _current(course: Course, statuses: dict[str, str]) -> Exercise | None:
    return first_unsolved(course, lambda ex: statuses[ex.id] == SOLVED)


@click.command(name="list")
def list_() -> None:
    """Every exercise in course order, with its status and points, and your overall progress."""
    course = current_course()
    console = terminal.make_console()
    progress = _load(course, console)
    statuses = _statuses(course, progress, console)
    current = _current(course, statuses)
    console.print(terminal.exercise_table(course, statuses, progress, current, console))
    console.print(terminal.progress_line(course, statuses, progress, console))
    if current is not None:
        console.print(f"Next: #{current.order} {current.id} (`course next` shows what to do)")
    else:
        console.print(Text("Every exercise is solved. Well done!", style="bold green"))
    progress.save()


@click.command(name="next")
def next_() -> None:
    """The first unsolved exercise: its lesson, the file to edit, and how to check it."""
    course = current_course()
    console = terminal.make_console()
    progress = _load(course, console)
    statuses = _statuses(course, progress, console)
    current = _current(course, statuses)
    progress.save()
    if current is None:
        console.print(Text(f"All {len(course.exercises)} exercises are solved. Well done!", style="bold green"))
        return
    rec = progress.records.get(current.id)
    score = rec.score if rec is not None and statuses[current.id] != NOT_STARTED else 0.0
    console.print(terminal.lesson_view(current, stubs.lesson(current), console, hints=len(current.hints),
                                    status=statuses[current.id], score=score))


@click.command()
@click.argument("exercises", nargs=-1, metavar="[EXERCISE]...")
@click.option("--html", "html_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the results, with the timelines drawn as SVG, to this HTML page.")
def check(exercises: tuple[str, ...], html_path: Path | None) -> None:
    """Grade exercises: all of them, or those named (ids, file paths, numbers, unique prefixes or folders).

    Exits with status 1 when a check fails, 2 when a name matches no exercise.
    """
    course = current_course()
    chosen = list(course.exercises)
    if exercises:
        try:
            chosen = resolve_many(course, exercises)
        except SelectionError as exc:
            raise SelectionFailed(str(exc)) from None
    console = terminal.make_console()
    progress = _load(course, console)
    graded = []
    # Exercises are graded side by side (each grading is a few child processes), shown in course order.
    for i, (ex, future) in enumerate(_graded(chosen)):
        if i:
            console.print(Rule(style="dim") if terminal.fancy(console) else Text("-" * min(console.width, 80)))
        if console.is_terminal and not future.done():
            with console.status(f"Checking {ex.id}..."):
                digest, result = future.result()
        else:
            digest, result = future.result()
        progress.update(ex, result, digest)
        progress.save()
        graded.append((ex, result))
        console.print(terminal.result_view(ex, result, console))
        if len(chosen) == 1:
            rec = progress.record(ex)
            console.print(terminal.next_steps(ex, result, len(ex.hints) - rec.hints_shown))
    if len(graded) > 1:
        solved = sum(1 for _, r in graded if r.passed)
        score = sum(r.score for _, r in graded)
        total = sum(r.max_score for _, r in graded)
        console.print(Text(f"\n{solved}/{len(graded)} exercises solved, {score:g}/{total:g} points.", style="bold"))
    if html_path is not None:
        from coursekit._view.html import page

        html_path.parent.mkdir(parents=True, exist_ok=True)
        html_path.write_text(page(course, graded), encoding="utf-8")
        console.print(f"Wrote the results with their timelines to {html_path} (open it in a browser).")
    sys.exit(0 if all(r.passed for _, r in graded) else 1)


@click.command()
@click.argument("exercise", required=False)
def hint(exercise: str | None) -> None:
    """The next hint for an exercise (default: the first unsolved one); each call shows one more."""
    course = current_course()
    console = terminal.make_console()
    progress = _load(course, console)
    if exercise is not None:
        ex = _resolve(course, exercise)
    else:
        found = first_unsolved(course, lambda e: progress.records.get(e.id) is not None and
                               progress.records[e.id].status == SOLVED)
        ex = found or course.exercises[0]
    if not ex.hints:
        console.print(f"{ex.id} has no hints. Read the lesson at the top of {ex.exercise_path.relative_to(ex.root)}.")
        return
    rec = progress.record(ex)
    rec.hints_shown = min(len(ex.hints), rec.hints_shown + 1)
    progress.save()
    console.print(Text(f"{ex.id}: {ex.title}", style="bold"))
    console.print(terminal.hints_view(ex, rec.hints_shown, console))


@click.command()
@click.argument("exercise")
def reset(exercise: str) -> None:
    """Put an exercise's stub back; your version is kept as a backup first."""
    course = current_course()
    console = terminal.make_console()
    progress = _load(course, console)
    ex = _resolve(course, exercise)
    try:
        outcome = stubs.reset(ex)
    except LookupError as exc:
        raise click.ClickException(str(exc)) from None
    rel = ex.exercise_path.relative_to(ex.root)
    if outcome.backup is None:
        console.print(f"{rel} is already the stub (from {outcome.source}); nothing to do.")
    else:
        progress.forget_check(ex)
        progress.save()
        backup = outcome.backup.relative_to(ex.root)
        console.print(f"Restored the stub of {ex.id} in {rel} (from {outcome.source}).", soft_wrap=True)
        console.print(Text(f"Your version is kept in {backup}", style="bold") +
                      Text(f"  (to bring it back: cp {backup} {rel})"), soft_wrap=True)


@click.command()
@click.argument("exercise")
@click.option("--yes", is_flag=True, help="Show it even if the exercise is not solved yet (no question asked).")
@click.option("--diff", "layout", flag_value="diff", help="A unified diff of your file against the solution.")
@click.option("--side-by-side", "layout", flag_value="side", help="Your file and the solution, side by side.")
def solution(exercise: str, yes: bool, layout: str | None) -> None:
    """The reference solution, beside your version (once solved, or after you confirm)."""
    course = current_course()
    console = terminal.make_console()
    progress = _load(course, console)
    ex = _resolve(course, exercise)
    rec = progress.record(ex)
    if not rec.solved_once and not (yes or rec.solution_shown):
        if not sys.stdin.isatty():
            raise click.ClickException(f"{ex.id} is not solved yet. To see the solution anyway, add --yes "
                                       f"(`course hint {ex.id}` may be enough).")
        if not click.confirm(f"{ex.id} is not solved yet: seeing the solution now takes the practice away. "
                             "Show it anyway?", default=False):
            console.print(f"Not shown. `course hint {ex.id}` gives a smaller push.")
            return
    rec.solution_shown = True
    progress.save()
    mine = ex.exercise_path.read_text(encoding="utf-8") if ex.exercise_path.is_file() else ""
    theirs = ex.solution_path.read_text(encoding="utf-8")
    side = layout == "side" or (layout is None and console.width >= 140)
    console.print(terminal.solution_view(ex, mine, theirs, console, side_by_side=side))


@click.command()
@click.argument("exercise", required=False)
@click.option("--poll", is_flag=True, help="Poll file times instead of using file events (network folders, WSL).")
def watch(exercise: str | None, poll: bool) -> None:
    """Re-check the current exercise every time you save it (keys: next, hint, list, check all, quit)."""
    course = current_course()
    console = terminal.make_console()
    progress = _load(course, console)
    statuses = _statuses(course, progress, console)
    current = _resolve(course, exercise) if exercise else (_current(course, statuses) or course.exercises[0])
    events: queue.Queue[Event] = queue.Queue()
    watcher = FileWatcher(course.root / "exercises", events, poll=poll).start()
    Session(course, progress, console, watcher, events).run(current)


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
                        event = self.events.get(timeout=1.0)
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
        if event.kind == "changed":
            ex = self.course.by_path(Path(event.value))
            if ex is not None and file_digest(ex.exercise_path) != self.checked.get(ex.id):
                self.current = ex
                self.extra = []
                self.recheck()
        elif event.kind == "note":
            self.extra = [Text(event.value, style="yellow")]
            self.draw()
        elif event.kind == "key":
            key = event.value.lower()
            if key == "q":
                return False
            if key == "n":
                self.current = first_unsolved(self.course, self._solved, after=self.current) or \
                    self.course.exercises[(self.course.exercises.index(self.current) + 1) % len(self.course.exercises)]
                self.extra = []
                self.recheck()
            elif key == "h":
                self.show_hint()
            elif key == "l":
                statuses = self._statuses()
                self.extra = [terminal.exercise_table(self.course, statuses, self.progress, self.current, self.console),
                              terminal.progress_line(self.course, statuses, self.progress, self.console)]
                self.draw()
            elif key == "c":
                self.check_all()
            elif key == "r":
                self.extra = []
                self.recheck()
        return True

    def _statuses(self) -> dict[str, str]:
        return {ex.id: self.progress.status(ex, pristine=stubs.stub_text(ex)) for ex in self.course.exercises}

    def _solved(self, ex: Exercise) -> bool:
        rec = self.progress.records.get(ex.id)
        return rec is not None and rec.status == SOLVED and rec.digest == file_digest(ex.exercise_path)

    def recheck(self) -> None:
        self.console.print(Text(f"Checking {self.current.id}...", style="dim"))
        self.checked[self.current.id] = file_digest(self.current.exercise_path)
        self.result = _check_and_record(self.current, self.progress)
        self.progress.save()
        self.draw()

    def show_hint(self) -> None:
        ex = self.current
        if not ex.hints:
            self.extra = [Text(f"{ex.id} has no hints.")]
        else:
            rec = self.progress.record(ex)
            rec.hints_shown = min(len(ex.hints), rec.hints_shown + 1)
            self.progress.save()
            self.extra = [terminal.hints_view(ex, rec.hints_shown, self.console)]
        self.draw()

    def check_all(self) -> None:
        self.console.print(Text(f"Checking all {len(self.course.exercises)} exercises...", style="dim"))
        for ex, future in _graded(list(self.course.exercises)):
            digest, result = future.result()
            self.progress.update(ex, result, digest)
            self.checked[ex.id] = digest
            if ex.id == self.current.id:
                self.result = result
        self.progress.save()
        statuses = self._statuses()
        self.extra = [Text("Checked every exercise:", style="bold"),
                      terminal.exercise_table(self.course, statuses, self.progress, self.current, self.console),
                      terminal.progress_line(self.course, statuses, self.progress, self.console)]
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
        console.print(Rule(style="dim") if terminal.fancy(console) else Text("-" * min(console.width, 80)))
        where = f"watching {rel} ({self.watcher.mode}); save the file to re-check"
        if not self.single_keys:
            where += "; type a key then Enter"
        console.print(terminal.key_bar(console))
        console.print(Text(where, style="dim"))


def register(group: click.Group) -> None:
    """Add the student commands to the ``course`` group."""
    for command in (list_, next_, check, hint, watch, reset, solution):
        group.add_command(command)


__all__ = ["register"]
