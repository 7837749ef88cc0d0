"""Grade the mutants of a reference solution and sort them: killed, equivalent, accepted, or survived.

- **killed**: the grader rejects the mutant (at least one check fails).  This is what a good grader does.
- **equivalent**: the grader accepts it, but the mutant behaves exactly like the reference under the harness
  (same lines, from the same kinds of workers, at the same virtual times, under every tie policy; same return
  value; nothing left running; no crash, no problem).  No grader can tell them apart because they do the same
  thing: dropping a ``join()`` the program does not need (the other worker outlives it) is the usual case, and
  code the grader never runs (a ``main()`` demo, when the grader drives other functions) another; a tripwire
  run (a ``raise`` at the mutated line) tells the two apart for the report.  Equivalent mutants are listed,
  never counted against the grader.
- **accepted**: the grader accepts it, it behaves differently, and ``course.toml`` says why that is fine::

      [[exercise]]
      id = "threads/example"
      accept_mutants = [
        { op = "join-timeout", code = "t.join()", reason = "the exercise is about starting; any wait will do" },
      ]

  ``op`` is an operator name (``course dev check --list-operators``), ``code`` (optional) the line of the
  reference solution where the mutation is made, as written (without it, every mutant of that operator is
  accepted).  An entry that matches no mutant is itself reported, so stale entries do not pile up.
- **survived**: the grader accepts a mistake.  Strengthen the grader (or the reference solution, so that the
  mistake shows), or accept it with a reason.
- **error**: the mutant could not be judged (the grader broke); reported like a survivor.

Mutants are written to a temporary folder under the same file name as the solution and graded with the
exercise's own grader and limits, ``jobs`` at a time.
"""

from __future__ import annotations

import enum
import json
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coursekit._dev.behaviour import behaviour, difference
from coursekit._dev.mutate import INPUT_DEPENDENT, OPERATOR_NAMES, OPERATORS, Mutant, mutants, tripwire
from coursekit.grading import TIE_POLICIES, ReferenceCache, _observe, grade_exercise, load_grader
from coursekit.registry import Exercise, MutantAcceptance, RegistryError
from coursekit.results import Status


class MutantVerdict(enum.StrEnum):
    """What became of one mutant; the value is the word reports print (upper-cased in ``dev check -v``)."""

    KILLED = "killed"
    EQUIVALENT = "equivalent"
    ACCEPTED = "accepted"
    SURVIVED = "survived"
    ERROR = "error"


def accepts(acceptance: MutantAcceptance, mutant: Mutant) -> bool:
    """Whether ``acceptance`` covers ``mutant``: the same operator and, if it names a line, that line (spacing
    aside)."""
    return mutant.op == acceptance.op and (
        acceptance.code is None or " ".join(acceptance.code.split()) == " ".join(mutant.code.split()))


@dataclass(frozen=True)
class Outcome:
    mutant: Mutant
    verdict: MutantVerdict
    failed_checks: tuple[str, ...] = ()
    note: str = ""  # the reason it was accepted, or what went wrong

    @property
    def bad(self) -> bool:
        return self.verdict in (MutantVerdict.SURVIVED, MutantVerdict.ERROR)


@dataclass(frozen=True)
class MutantReport:
    exercise: Exercise
    outcomes: tuple[Outcome, ...]
    stale: tuple[MutantAcceptance, ...]  # accept_mutants entries that matched no mutant

    def problems(self) -> list[str]:
        """The survivors and stale acceptances, each with how to fix it."""
        out = []
        sol = self.exercise.solution_path.name
        for o in self.outcomes:
            m = o.mutant
            if o.verdict == MutantVerdict.SURVIVED:
                out.append(f"{self.exercise.id}: mutant {m.op} at {sol}:{m.line} survived ({m.what}); the grader "
                           f"accepts this mistake. Add or strengthen a check that rejects it, or if it is harmless "
                           f"here add {{ op = \"{m.op}\", code = {toml_string(m.code)}, reason = \"...\" }} to the "
                           "exercise's accept_mutants in course.toml." + (f" Note: {o.note}." if o.note else ""))
            elif o.verdict == MutantVerdict.ERROR:
                out.append(f"{self.exercise.id}: mutant {m.op} at {sol}:{m.line} could not be graded: {o.note}")
        for a in self.stale:
            out.append(f"{self.exercise.id}: accept_mutants entry {{ op = {a.op!r}, code = {a.code!r} }} matches no "
                       "mutant of the reference solution any more. Remove it from course.toml.")
        return out


def toml_string(text: str) -> str:
    """``text`` as a TOML string an instructor can paste: a literal string when it can be one."""
    if "'" not in text and "\n" not in text:
        return f"'{text}'"
    return json.dumps(text)  # a TOML basic string escapes like JSON


def acceptances(exercise: Exercise) -> list[MutantAcceptance]:
    """The exercise's ``accept_mutants`` (parsed by the registry), each naming an operator this kit has."""
    for a in exercise.accept_mutants:
        if a.op not in OPERATOR_NAMES:
            raise RegistryError(f"{a.where}: 'op' must be one of {sorted(OPERATOR_NAMES)}, not {a.op!r}")
    return list(exercise.accept_mutants)


class _Judge:
    def __init__(self, exercise: Exercise, cache: ReferenceCache, folder: Path) -> None:
        self.exercise = exercise
        self.cache = cache
        self.folder = folder
        self.grader = load_grader(exercise)
        self._reference: dict[str, tuple[Any, ...]] = {}

    def _same_as_reference(self, path: Path) -> tuple[bool, tuple[Any, ...]]:
        """Whether the mutant behaves like the reference under every tie policy; its first-policy behaviour."""
        seen = []
        for tie in TIE_POLICIES[self.exercise.model]:
            if tie not in self._reference:  # computed once per exercise and tie; benign race between jobs
                self._reference[tie] = behaviour(_observe(self.exercise, self.grader, self.exercise.solution_path, tie))
            seen.append(behaviour(_observe(self.exercise, self.grader, path, tie)))
            if seen[-1] != self._reference[tie]:
                return False, seen[0]
        return True, seen[0]

    def _unrepeatable(self, path: Path, first: tuple[Any, ...]) -> str:
        """For a survivor: a second run; if it differs from the first, the verdict may be the engine's luck."""
        again = behaviour(_observe(self.exercise, self.grader, path, TIE_POLICIES[self.exercise.model][0]))
        if again == first:
            return ""
        return (f"this mutant does not behave the same from run to run ({difference(first, again)}), so the "
                "engine may not be exact for it: run the check again, and report it if it stays")

    def _why_equivalent(self, mutant: Mutant, path: Path) -> str:
        """Whether the grader runs the mutated line at all (a tripwire that raises there), in words."""
        source = tripwire(self.exercise.solution_path.read_text(encoding="utf-8"), mutant.line)
        if source is not None:
            wired = path.parent / "tripwire" / path.name  # the same file name: a module may print its own
            wired.parent.mkdir()
            wired.write_text(source, encoding="utf-8")
            tie = TIE_POLICIES[self.exercise.model][0]
            if behaviour(_observe(self.exercise, self.grader, wired, tie)) == self._reference[tie]:
                return f"the grader never runs line {mutant.line} (only the file's own demo does, if anything)"
        if mutant.op in INPUT_DEPENDENT:
            return ("it behaves exactly like the reference on every input the driver tries, but this mistake shows "
                    "only on other inputs (more waiters, another size): a driver that tried them would reject it")
        return "it behaves exactly like the reference: this mistake makes no difference here"

    def _fails_first_tie(self, path: Path) -> tuple[str, ...]:
        """The checks that fail under the first tie policy alone (one run instead of one per policy).

        ``grade_exercise`` fails a check that fails under any policy, so a mutant rejected here is rejected by
        the grader too; most mutants are, which halves the cost of the mutant check for threads and asyncio.
        """
        observed = _observe(self.exercise, self.grader, path, TIE_POLICIES[self.exercise.model][0])
        expected = self.cache.get(self.exercise, self.grader)
        return tuple(c.name for c in self.grader.checks if not c.evaluate(observed, expected).passed)

    def __call__(self, item: tuple[int, Mutant, list[MutantAcceptance]]) -> Outcome:
        index, mutant, accepted = item
        path = self.folder / f"m{index:03d}" / self.exercise.solution_path.name
        path.parent.mkdir(parents=True)
        path.write_text(mutant.source, encoding="utf-8")
        try:
            failed = self._fails_first_tie(path)
            if not failed:  # the full grading, every tie policy, only for a mutant that got this far
                result = grade_exercise(self.exercise, path, cache=self.cache)
                failed = tuple(c.name for c in result.checks if c.status is not Status.PASSED)
            if failed:
                return Outcome(mutant, MutantVerdict.KILLED, failed)
            same, first = self._same_as_reference(path)
            if same:
                return Outcome(mutant, MutantVerdict.EQUIVALENT, note=self._why_equivalent(mutant, path))
            reason = next((a.reason for a in accepted if accepts(a, mutant)), None)
            if reason is not None:
                return Outcome(mutant, MutantVerdict.ACCEPTED, note=reason)
            return Outcome(mutant, MutantVerdict.SURVIVED, note=self._unrepeatable(path, first))
        except Exception as exc:  # noqa: BLE001 (a broken grader or harness is reported, not raised, per mutant)
            return Outcome(mutant, MutantVerdict.ERROR, note=f"{type(exc).__name__}: {exc}")


def check_mutants(exercise: Exercise, *, jobs: int = 2, cache: ReferenceCache | None = None,
                  operators: tuple[str, ...] | None = None) -> MutantReport:
    """Generate every mutant of ``exercise``'s reference solution and grade them, ``jobs`` at a time."""
    return check_mutants_of([exercise], jobs=jobs, cache=cache, operators=operators)[0]


def check_mutants_of(exercises: list[Exercise], *, jobs: int = 2, cache: ReferenceCache | None = None,
                     operators: tuple[str, ...] | None = None) -> list[MutantReport]:
    """The mutants of several exercises, graded in one pool (so ``jobs`` stay busy across exercises).

    Raises ``RegistryError`` if an exercise's ``accept_mutants`` is malformed (before anything is graded).
    """
    ops = OPERATORS if operators is None else tuple(o for o in OPERATORS if o.name in operators)
    names = {op.name for op in ops}
    cache = cache or ReferenceCache()
    plans = []
    for exercise in exercises:
        made = mutants(exercise.solution_path.read_text(encoding="utf-8"), operators=ops)
        plans.append((exercise, made, acceptances(exercise)))
    with tempfile.TemporaryDirectory(prefix="coursekit-mutants-") as tmp:
        items = []
        for n, (exercise, made, accepted) in enumerate(plans):
            judge = _Judge(exercise, cache, Path(tmp) / f"e{n:03d}")
            items += [(judge, i, m, accepted) for i, m in enumerate(made)]
        with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
            outcomes = list(pool.map(lambda item: item[0](item[1:]), items))
    reports = []
    for exercise, made, accepted in plans:
        mine = tuple(outcomes[:len(made)])
        del outcomes[:len(made)]
        stale = tuple(a for a in accepted if a.op in names and not any(accepts(a, m) for m in made))
        reports.append(MutantReport(exercise, mine, stale))
    return reports
