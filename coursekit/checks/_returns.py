"""``Returns``: what the entry point (or the grader's driver) returned, against what the reference returned."""

from __future__ import annotations

import ast
import re
from typing import TYPE_CHECKING, Any

from coursekit._engine import events
from coursekit._judge.diagnose import diagnose
from coursekit.checks._check import OK, Check, Verdict
from coursekit.checks._unfinished import RUN_FINDINGS
from coursekit.scenarios import MARK

if TYPE_CHECKING:
    from coursekit._judge.timeline import Timeline


class Returns(Check):
    """The value returned by ``main()`` (or by the grader's driver) equals the reference's, compared by repr.

    Comparing reprs keeps the check exact and simple across the process boundary: the trace carries text.
    """

    name = "returns"
    title = "returns the expected value"

    def __init__(self, what: str = "main()", advice: str = "") -> None:
        self.what = what
        self.advice = advice  # what to change when the values differ (the grader knows the likely mistake)

    def evaluate(self, observed: Timeline, expected: Timeline) -> Verdict:
        if observed.result == expected.result:
            return OK
        if observed.result is None:
            stopped_in = _last_scenario(observed)
            where = f"With {stopped_in}, " if stopped_in else ""
            return Verdict(False, f"{where}{self.what} never returned"
                           + (" (the scenarios before it did)" if where and _scenarios_before(observed) else "")
                           + ", so there is no value to check.",
                           diagnose(observed, only=RUN_FINDINGS))
        calls = _per_call(observed, expected)
        if calls:
            labels = {m.group(2) for x in expected.lines if (m := MARK.match(x.text))}
            shown = [f"{self._call(key, got, key in labels)}; expected {_said(want, expected=True)}."
                     for key, got, want in calls[:MAX_CALLS]]
            if len(calls) > MAX_CALLS:
                shown.append(f"(and {len(calls) - MAX_CALLS} more call{'s' if len(calls) - MAX_CALLS > 1 else ''} "
                             "differ)")
            return Verdict(False, "\n".join(shown) + (f"\n{self.advice}" if self.advice else ""))
        return Verdict(False, f"{self.what} returned {_cut(observed.result)}; expected {_cut(expected.result)}."
                       + (f" {self.advice}" if self.advice else ""))

    def _call(self, key: str, got: Any, scenario: bool) -> str:
        """How one entry of a driver's summary reads: a scenario's label (announced by ``scenarios.run_each``:
        ``items [0] and 1 worker``) names the case in which ``what`` was called, a key that names a call
        (``count_in_threads(4, 25)``) 'returned' its value, a key about something else (``counter.value after
        ...``) 'was' it, and any other label is quoted as the case.  The verb (returned, raised) comes with the
        value (``_said``)."""
        if scenario:
            return f"With {key}, {self.what} {_said(got)}"
        if re.fullmatch(r"[\w.]+\(.*\)", key.strip()):
            return f"{key} {_said(got)}"
        if "(" in key:
            return f"{key} was {_short(got)}"
        return f"For {key!r}, {self.what} {_said(got)}"

    def __repr__(self) -> str:
        return f"Returns({self.what!r})"


MAX_CALLS = 4


def _said(value: Any, *, expected: bool = False) -> str:
    """A scenario's outcome as a verb phrase: ``returned [1, 4]``, or ``raised ValueError ('bad reply')`` for a
    ``scenarios.Raised`` record (the driver caught the exception so that the other scenarios still ran)."""
    if isinstance(value, dict) and set(value) == {"raised", "message"}:
        text = f"{value['raised']} ({_short(value['message'], 50)})" if value["message"] else str(value["raised"])
        return ("it to raise " if expected else "raised ") + text
    return ("" if expected else "returned ") + _short(value)


def _last_scenario(observed: Timeline) -> str | None:
    """The scenario a driver's run was in when it stopped: the label of the last marker line printed
    (``scenarios.run_each``), or None when the driver announces no scenarios."""
    marks = [m.group(2) for x in observed.lines if (m := MARK.match(x.text))]
    return marks[-1] if marks else None


def _scenarios_before(observed: Timeline) -> int:
    return max(0, sum(1 for x in observed.lines if MARK.match(x.text)) - 1)


def _cut(text: str | None, limit: int = 300) -> str:
    """A returned value's repr, cut to a length a message can show."""
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _short(value: Any, limit: int = 70) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _per_call(observed: Timeline, expected: Timeline) -> list[tuple[str, Any, Any]] | None:
    """The entries that differ, when a grader's driver returned a summary of its calls (a dict from a
    description of each call to what it returned) on both sides; None otherwise.

    Why: the driver's summary is not what the student's function returned; the student should read what each
    of their calls returned, not the repr of the grader's bookkeeping.
    """
    if not any(ev.get("e") == events.PHASE and ev.get("name") == "main" and ev.get("driver") for ev in observed.events):
        return None
    try:  # reprs of plain data only: literal_eval never runs code
        got, want = ast.literal_eval(observed.result or ""), ast.literal_eval(expected.result or "")
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return None
    if not (isinstance(got, dict) and isinstance(want, dict) and got.keys() == want.keys()
            and all(isinstance(k, str) for k in want)):
        return None
    return [(k, got[k], want[k]) for k in want if got[k] != want[k] or repr(got[k]) != repr(want[k])] or None


__all__ = ["Returns"]
