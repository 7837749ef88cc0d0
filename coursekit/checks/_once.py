"""``ExactlyOnce``: every unit of work the reference did is done exactly once: none twice, none never.

Units are read from the printed lines: with ``prefix``, a line that starts with it names one unit (the rest of
the line is its key); with ``pattern``, a regular expression whose first group is the key
(``pattern=r"processed (\\d+)"``).  Which units there are, and how often each is done, comes from the reference.

``ProcessedOnce(pattern, item)`` is the same check under the name it had before the two were merged (its
``course.toml`` key stays ``processed_once``): it lists only the first unit done twice, never, and unknown, and
its advice is about a queue's ``task_done()``.

In a driver's run the counts are the whole run's (the verdict), and the message places each unit done other
than once in the scenario it was printed in or is due in, smallest scenario first, and says once which
scenarios the driver never reached (their units could not be done), instead of listing them as lost.
"""

from __future__ import annotations

import enum
import re
from collections import Counter
from typing import TYPE_CHECKING

from coursekit._judge.diagnose import diagnose
from coursekit._judge.findings import Finding
from coursekit.checks._calls import capital, driven, scenario_map, scenarios_of
from coursekit.checks._check import OK, Check, Verdict
from coursekit.checks._evidence import Needs
from coursekit.checks._unfinished import RUN_FINDINGS

if TYPE_CHECKING:
    from coursekit._judge.timeline import Timeline

MAX_LISTED = 4


def _done(what: str, key: str, got: int, want: int) -> str:
    """How often one unit was done, against how often it should have been (``got != want``)."""
    if got > want:
        return (f"{what} {key} was processed {got} times" + (f" instead of {want}" if want > 1 else "") if want else
                f"{what} {key} was processed, but the reference processes no such {what} there")
    return f"{what} {key} was never processed" if got == 0 else f"{what} {key} was processed {got} of {want} times"


class Listing(enum.Enum):
    """How a failure lists the units that were not done once."""

    EVERY = "every"
    """Each unit in key order, up to four (``Item a was processed 3 times; item b was never processed``)."""
    FIRST = "first"
    """The first unit of each sort, with how many there are of it (``item 1 was processed 2 times (11 items
    more than once)``)."""


class ExactlyOnce(Check):
    """Every unit of work is done exactly once, counted against the reference from the printed lines."""

    name = "once"
    title = "every item is processed exactly once"
    needs = frozenset({Needs.WORKER})

    def __init__(self, prefix: str = "", what: str = "item", advice: str = "", *, pattern: str | None = None,
                 listing: Listing = Listing.EVERY) -> None:
        if bool(prefix) == (pattern is not None):
            raise ValueError(f"{type(self).__name__} needs either the prefix of the lines that report a unit of work "
                             f"or a pattern whose first group is the unit (got prefix={prefix!r}, "
                             f"pattern={pattern!r})")
        self.prefix = prefix
        self.pattern = re.compile(pattern if pattern is not None else "^" + re.escape(prefix) + "(.*)")
        if self.pattern.groups < 1:
            raise ValueError(f"{type(self).__name__}({pattern!r}): the pattern needs a group that captures the item")
        self.what = what
        self.listing = listing
        self.advice = advice or f"Hand each {what} to exactly one worker, exactly once."

    def count(self, tl: Timeline) -> Counter[str]:
        """How many times each unit was reported done in ``tl``."""
        out: Counter[str] = Counter()
        for line in tl.lines:
            m = self.pattern.search(line.text)
            if m:
                out[m.group(1)] += 1
        return out

    def count_by_scenario(self, tl: Timeline) -> Counter[tuple[int, str]]:
        """How many times each unit was reported done in each scenario of a driver's run (0: before any)."""
        at = scenario_map(tl)
        out: Counter[tuple[int, str]] = Counter()
        for line in tl.lines:
            m = self.pattern.search(line.text)
            if m:
                found = at.get(id(line))
                out[(found.number if found is not None else 0, m.group(1))] += 1
        return out

    def evaluate(self, observed: Timeline, expected: Timeline) -> Verdict:
        got, want = self.count(observed), self.count(expected)
        if got == want:
            return OK
        by_scenario = self._by_scenario(observed, expected, {k for k in set(got) | set(want) if got[k] != want[k]})
        if self.listing is Listing.EVERY:
            return self._every(observed, got, want, by_scenario)
        return self._first(observed, got, want, by_scenario)

    def _by_scenario(self, observed: Timeline, expected: Timeline, keys: set[str]) -> str:
        """In a driver's run, the units done other than once (``keys``, counted over the whole run) placed in the
        scenario each was done in (or is due in), smallest scenario first; scenarios the driver never reached
        said once.  ``""`` when no driver announced scenarios."""
        if not (scenarios_of(expected) and driven(observed)):
            return ""
        announced = {s.number for s in scenarios_of(observed)}
        named = {s.number: s for s in scenarios_of(expected)}
        never = [s for s in scenarios_of(expected) if s.number not in announced]
        got, want = self.count_by_scenario(observed), self.count_by_scenario(expected)
        groups: dict[int, list[str]] = {}
        for number, key in sorted(set(got) | set(want), key=lambda nk: (nk[0], _order(nk[1]))):
            if key in keys and got[(number, key)] != want[(number, key)] and (number in announced or number == 0):
                groups.setdefault(number, []).append(_done(self.what, key, got[(number, key)], want[(number, key)]))
        sentences, listed, total = [], 0, sum(len(parts) for parts in groups.values())
        for number, parts in sorted(groups.items()):
            if listed >= MAX_LISTED:
                break
            shown = parts[:MAX_LISTED - listed]
            listed += len(shown)
            where = f"In {named[number].named}, " if number in named else ""
            sentences.append(capital(where + "; ".join(shown)) + ".")
        if total > listed:
            sentences.append(f"(And {total - listed} more; {len(groups)} scenarios differ in all.)")
        if never:
            after = len(never) - 1
            sentences.append(f"The grader's driver never reached {never[0].named}"
                             + (f" or the {after} after it" if after > 1 else " or the one after it" if after else "")
                             + f", so their {self.what}s could not be processed.")
        return " ".join(sentences)

    def _every(self, observed: Timeline, got: Counter[str], want: Counter[str], by_scenario: str = "") -> Verdict:
        parts = []
        for key in sorted(set(got) | set(want)):
            if got[key] > want[key]:
                parts.append(f"{self.what} {key} was processed {got[key]} times")
            elif got[key] < want[key]:
                parts.append(f"{self.what} {key} was never processed" if got[key] == 0 else
                             f"{self.what} {key} was processed {got[key]} of {want[key]} times")
        more = f" (and {len(parts) - MAX_LISTED} more)" if len(parts) > MAX_LISTED else ""
        findings = diagnose(observed, only=RUN_FINDINGS | {"deadlock", "stuck"})
        text = "; ".join(parts[:MAX_LISTED])
        said = by_scenario or text[:1].upper() + text[1:] + more + "."
        return Verdict(False, said + f" Each {self.what} must be processed exactly once.",
                       findings or [Finding("not-once", "", self.advice)])

    def _first(self, observed: Timeline, got: Counter[str], want: Counter[str], by_scenario: str = "") -> Verdict:
        item = self.what
        twice = sorted(k for k in got if got[k] > want.get(k, 0) and k in want)
        never = [k for k in want if got.get(k, 0) < want[k]]
        unknown = sorted(k for k in got if k not in want)
        parts = []
        if twice:
            parts.append(f"{item} {twice[0]} was processed {got[twice[0]]} times"
                         + (f" ({len(twice)} {item}s more than once)" if len(twice) > 1 else ""))
        if never:
            parts.append(_done(item, never[0], got.get(never[0], 0), want[never[0]])
                         + (f" ({len(never)} {item}s missing)" if len(never) > 1 else ""))
        if unknown:
            parts.append(f"{item} {unknown[0]} was processed, but there is no such {item}")
        msg = (by_scenario or "; ".join(parts) + ".") + f" Each {item} must be processed exactly once."
        findings = diagnose(observed, only=RUN_FINDINGS | {"pending-task", "deadlock"})
        if never and not findings:
            findings = [Finding("lost-items", "", "Keep the workers running until every item has been taken and "
                                "finished (queue.join() waits for task_done() on each), and only then stop them.")]
        elif twice and not findings:
            findings = [Finding("duplicate-items", "", "Each item must be taken from the queue by one worker only: "
                                "get() it once, process it once, call task_done() once.")]
        return Verdict(False, msg, findings)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.prefix or self.pattern.pattern!r})"


class ProcessedOnce(ExactlyOnce):
    """``ExactlyOnce`` read with a pattern, under its former name and ``course.toml`` key ``processed_once``."""

    name = "processed_once"

    def __init__(self, pattern: str, item: str = "item") -> None:
        super().__init__(what=item, pattern=pattern, listing=Listing.FIRST)


def _order(key: str) -> tuple[int, int, str]:
    """Keys in a human order: numbers by value (``2`` before ``10``), then the rest as text."""
    head = key.split(" ", 1)[0]
    return (0, int(head), key) if head.isdigit() else (1, 0, key)


__all__ = ["ExactlyOnce", "Listing", "ProcessedOnce"]
