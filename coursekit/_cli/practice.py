"""Student commands of ``course``: list, next, check, hint, watch, reset, solution (the self-paced workflow).

The commands only wire things together: grading and progress are in ``coursekit._practice`` (``checking``,
``progress``, ``select``, ``stubs``), watch mode in ``coursekit._cli.watch``, the look in
``coursekit._view.terminal``.  Progress is saved after each command in ``.course-progress.json``; grading never
reads it.
"""

from __future__ import annotations

import queue
import sys
from dataclasses import dataclass
from pathlib import Path

import click
from rich.console import Console
from rich.text import Text

from coursekit._cli.common import current_course
from coursekit._practice import checking, hints, stubs
from coursekit._practice.progress import ExerciseStatus, Progress
from coursekit._practice.select import SelectionError, resolve, select_exercises
from coursekit._view import terminal
from coursekit.registry import Course, Exercise


class SelectionFailed(click.ClickException):
    """A word on the command line names no exercise (or several): a usage error, exit code 2."""

    exit_code = 2


def _resolve(course: Course, word: str) -> Exercise:
    try:
        return resolve(course, word)
    except SelectionError as exc:
        raise SelectionFailed(str(exc)) from None


@dataclass(frozen=True)
class Desk:
    """What every student command starts from: the course, the console, and the learner's progress."""

    course: Course
    console: Console
    progress: Progress


def _open(course: Course | None = None) -> Desk:
    """The course the learner is in (unless given), a console, and the progress (stubs snapshotted first).

    A progress file that could not be read is said so, once, before anything else.
    """
    course = course if course is not None else current_course()
    console = terminal.make_console()
    progress = Progress.load(course)
    stubs.snapshot(course)
    if progress.recovered and progress.recovered != "missing":
        console.print(Text(f"The progress file was {progress.recovered}; rebuilding it from a re-check.",
                           style="yellow"))
    return Desk(course, console, progress)


def _statuses(desk: Desk) -> dict[str, ExerciseStatus]:
    """Every exercise's status, the files changed since their last check checked again (and said so)."""
    def announce(stale: list[Exercise]) -> None:
        desk.console.print(Text(f"Checking {len(stale)} exercise(s) changed since their last check...", style="dim"))

    return checking.refreshed_statuses(desk.course, desk.progress, announce)


@click.command(name="list")
def list_() -> None:
    """Every exercise in course order, with its status and points, and your overall progress."""
    desk = _open()
    course, console, progress = desk.course, desk.console, desk.progress
    statuses = _statuses(desk)
    current = checking.current(course, progress)
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
    desk = _open()
    course, console, progress = desk.course, desk.console, desk.progress
    statuses = _statuses(desk)
    current = checking.current(course, progress)
    progress.save()
    if current is None:
        console.print(Text(f"All {len(course.exercises)} exercises are solved. Well done!", style="bold green"))
        return
    rec = progress.records.get(current.id)
    score = rec.score if rec is not None and statuses[current.id] is not ExerciseStatus.NOT_STARTED else 0.0
    console.print(terminal.lesson_view(current, stubs.lesson(current), console, hints=len(current.hints),
                                       status=statuses[current.id], score=score))


@click.command()
@click.argument("exercises", nargs=-1, metavar="[EXERCISE]...")
@click.option("--html", "html_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the results, with the timelines drawn as SVG, to this HTML page.")
@click.option("--schedule", type=click.IntRange(min=0), default=None, metavar="N",
              help="Replay one schedule only (the number a failure names: 'Replay this schedule: ...').")
def check(exercises: tuple[str, ...], html_path: Path | None, schedule: int | None) -> None:
    """Grade exercises: all of them, or those named (ids, file paths, numbers, unique prefixes or folders).

    Exits with status 1 when a check fails, 2 when a name matches no exercise.
    """
    course = current_course()
    try:  # before anything is loaded: a mistyped name costs nothing
        chosen = select_exercises(course, exercises)
    except SelectionError as exc:
        raise SelectionFailed(str(exc)) from None
    desk = _open(course)
    console, progress = desk.console, desk.progress
    graded = []
    # Exercises are graded side by side (each grading is a few child processes), shown in course order.
    for i, (ex, future) in enumerate(checking.graded_side_by_side(chosen, schedule)):
        if i:
            console.print(terminal.separator(console))
        if console.is_terminal and not future.done():
            with console.status(f"Checking {ex.id}..."):
                outcome = future.result()
        else:
            outcome = future.result()
        result = outcome.result
        progress.update(ex, result, outcome.digest)
        progress.save()
        graded.append((ex, result))
        console.print(terminal.result_view(ex, result, console))
        if len(chosen) == 1:
            rec = progress.record(ex)
            choice = hints.choose_for(ex, result)
            left = len(ex.hints) - rec.hints_shown + (
                len(choice.hints) - rec.hints_for_shown.get(choice.key, 0) if choice.targeted else 0)
            console.print(terminal.next_steps(ex, result, left))
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
    desk = _open()
    course, console, progress = desk.course, desk.console, desk.progress
    if exercise is not None:
        ex = _resolve(course, exercise)
    else:
        ex = checking.current(course, progress) or course.exercises[0]
    outcome = checking.reveal_next_hint(ex, progress)
    if not outcome.shown:
        console.print(f"{ex.id} has no hints. Read the lesson at the top of {ex.exercise_path.relative_to(ex.root)}.")
        return
    console.print(Text(f"{ex.id}: {ex.title}", style="bold"))
    console.print(terminal.hints_view(ex, outcome.choice.hints, outcome.shown, console, mistake=outcome.choice.key))


@click.command()
@click.argument("exercise")
def reset(exercise: str) -> None:
    """Put an exercise's stub back; your version is kept as a backup first."""
    desk = _open()
    console, progress = desk.console, desk.progress
    ex = _resolve(desk.course, exercise)
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
    desk = _open()
    console, progress = desk.console, desk.progress
    ex = _resolve(desk.course, exercise)
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
    from coursekit._cli.watch import Session
    from coursekit._practice.watching import Event, FileWatcher

    desk = _open()
    course = desk.course
    _statuses(desk)
    current = _resolve(course, exercise) if exercise else (checking.current(course, desk.progress)
                                                          or course.exercises[0])
    events: queue.Queue[Event] = queue.Queue()
    watcher = FileWatcher(course.root / "exercises", events, poll=poll).start()
    Session(course, desk.progress, desk.console, watcher, events).run(current)


COMMANDS = (list_, next_, check, hint, watch, reset, solution)


def register(group: click.Group) -> None:
    """Add the student commands to the ``course`` group."""
    for command in COMMANDS:
        group.add_command(command)


__all__ = ["COMMANDS", "register"]
