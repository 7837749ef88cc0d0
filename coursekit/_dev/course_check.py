"""``course dev check``: everything an instructor must know before students see the course, as one model.

The parts, cheapest first: the registry and files agree, and stubs give the solution's code (``layout``); every
reference solution passes and every stub fails; every catalogue entry gets its intended verdict
(``catalogue``); the mutants of every reference solution are rejected (``mutants``).  Gradings run ``jobs`` at
a time.  This module gathers problems; ``coursekit/_cli/dev.py`` presents them.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from coursekit._dev import catalogue
from coursekit._dev.determinism import judge_determinism
from coursekit._dev.layout import layout_problems
from coursekit._dev.mutants import MutantReport, check_mutants_of
from coursekit._practice.select import SelectionError, select_exercises
from coursekit.grading import ReferenceCache, load_grader
from coursekit.registry import Course, Exercise, RegistryError


@dataclass
class Part:
    name: str
    checked: int = 0
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0


@dataclass
class DevReport:
    parts: list[Part] = field(default_factory=list)
    mutants: list[MutantReport] = field(default_factory=list)

    @property
    def problems(self) -> list[str]:
        return [p for part in self.parts for p in part.problems]

    @property
    def ok(self) -> bool:
        return not self.problems


def select(course: Course, ids: Iterable[str]) -> list[Exercise]:
    """The exercises named (every form ``course check`` takes: id, folder, number, unique prefix, path), each once,
    in course order; all when none is given.  The one selector of every command (``coursekit._practice.select``)."""
    try:
        return sorted(select_exercises(course, ids), key=lambda e: e.order)
    except SelectionError as exc:
        raise RegistryError(f"{exc} (`course list` shows the ids)") from None


def _gradable(exercise: Exercise) -> bool:
    if not all(p.is_file() for p in (exercise.exercise_path, exercise.solution_path, exercise.grader_path)):
        return False
    try:
        load_grader(exercise)
    except Exception:  # noqa: BLE001 (layout_problems has reported it, with how to fix it)
        return False
    return True


def run_dev_check(course: Course, ids: Iterable[str] = (), *, jobs: int = 2, verdicts: bool = True,
                  mutants: bool = True, progress: Callable[[Part], None] = lambda part: None) -> DevReport:
    """Run the checks on the chosen exercises; ``progress`` is told about each part when it is done."""
    chosen = select(course, ids)
    report = DevReport()
    cache = ReferenceCache()

    def part(name: str, items: list, judge: Callable) -> Part:  # type: ignore[type-arg]
        start = time.perf_counter()
        result = Part(name, len(items))
        with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
            for problems in pool.map(judge, items):
                result.problems.extend(problems)
        result.seconds = time.perf_counter() - start
        report.parts.append(result)
        progress(result)
        return result

    start = time.perf_counter()
    layout = Part("registry and files", len(course.exercises), layout_problems(course), time.perf_counter() - start)
    report.parts.append(layout)
    progress(layout)
    gradable = [ex for ex in chosen if _gradable(ex)]  # the others' problems are in the layout part already
    if verdicts:
        part("reference solutions pass", gradable, lambda ex: catalogue.judge_solution(ex, cache))
        part("stubs fail", gradable, lambda ex: catalogue.judge_stub(ex, cache))
        part("reference runs are repeatable", gradable, judge_determinism)
        entries = [e for kind in catalogue.KINDS for e in catalogue.entries(course, kind)
                   if e.exercise in gradable]
        part("catalogue verdicts", entries, lambda e: catalogue.judge_entry(e, cache))
    if mutants:
        start = time.perf_counter()
        result = Part("mutants rejected")
        try:
            report.mutants = check_mutants_of(gradable, jobs=jobs, cache=cache)
        except RegistryError as exc:
            result.problems.append(str(exc))
        for mr in report.mutants:
            result.checked += len(mr.outcomes)
            result.problems.extend(mr.problems())
        result.seconds = time.perf_counter() - start
        report.parts.append(result)
        progress(result)
    return report
