"""The end of a plain ``pytest exercises/`` run: what to do next, then one line for every other exercise.

Why: a fresh clone fails every check of every exercise, and a failure section per check (about a hundred, most
of them "the same as above") buries the one message that matters: what to write first.  So the first unsolved
exercise, in course order, is shown as ``course check`` shows it (each explanation once, each picture once),
and every other exercise takes one line: its score and the first words of its first failure.  ``pytest -v``
still reports every check on its own (``coursekit.pytest_plugin`` decides when a run is focused).
"""

from __future__ import annotations

import io
import re

from rich.console import Console

from coursekit._judge.messages import explanation
from coursekit._view.terminal import result_view
from coursekit.registry import Exercise
from coursekit.results import ExerciseResult, Status

LOCATION = re.compile(r" ?\([\w./\\-]+\.py:\d+(?: in [^)]*)?\)")
"""Where a message points in the student's file, ``(race_counter.py:55 in count_in_threads)``."""
MORE = "`pytest -v exercises/` reports every check on its own; `course check <exercise>` checks one exercise."


def first_words(result: ExerciseResult, width: int) -> str:
    """The first line of an exercise's first failure, cut to ``width`` characters at a word."""
    failed = next((c for c in result.checks if c.status is not Status.PASSED), None)
    if failed is None:
        return "solved"
    words = (explanation(failed).strip().splitlines() or [failed.title])[0]
    words = LOCATION.sub("", words)  # the file and line say little here; the words after them say what to do
    same = {explanation(c) for c in result.checks if c.status is not Status.PASSED} == {explanation(failed)}
    words = words if same else f"{failed.name}: {words}"
    if len(words) <= width:
        return words
    cut = words[: max(0, width - 4)]
    at_word = cut.rsplit(" ", 1)[0]
    return (at_word if len(cut) - len(at_word) <= 12 else cut) + " ..."  # a long name is cut, not dropped


def focused_summary(results: list[tuple[Exercise, ExerciseResult]], *, errors: list[str], width: int,
                    colour: bool, unicode: bool) -> str:
    """The first unsolved exercise whole, then one line per other exercise; empty when every one passed."""
    unsolved = [(ex, r) for ex, r in results if not r.passed]
    if not unsolved and not errors:
        return ""
    buf = io.StringIO()
    console = Console(file=buf, width=width, force_terminal=colour or unicode, color_system="standard" if colour
                      else None, no_color=None if colour else True, highlight=False, emoji=False, soft_wrap=False,
                      legacy_windows=False)
    for error in errors:
        console.print(error, markup=False)
    if unsolved:
        first, result = unsolved[0]
        rel = first.exercise_path.relative_to(first.root)
        console.print(f"Next: #{first.order} {first.id} (edit {rel})", style="bold", markup=False)
        console.print(result_view(first, result, console))
    if len(results) > 1:
        console.print("")
        console.print(f"Every exercise ({sum(r.passed for _, r in results)}/{len(results)} solved):",
                      style="bold", markup=False)
        short = [ex.id.rsplit("/", 1)[-1] for ex, _ in results]  # `course check <name>` takes the name alone
        names = short if len(set(short)) == len(short) else [ex.id for ex, _ in results]
        name_width = max(len(name) for name in names)
        for (ex, r), name in zip(results, names, strict=True):
            head = f"  #{ex.order:<2} {name.ljust(name_width)}  {f'{r.score:g}/{r.max_score:g}':>5}  "
            console.print(head + first_words(r, width - len(head) - 1), markup=False, no_wrap=True,
                          overflow="ellipsis", crop=True)
    console.print(MORE, markup=False, style="dim")
    return "\n".join(line.rstrip() for line in buf.getvalue().splitlines())


__all__ = ["MORE", "first_words", "focused_summary"]
