"""``Returns``: what the entry point (or the grader's driver) returned, against what the reference returned."""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from coursekit._engine import events
from coursekit._engine.events import is_main
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

    def __init__(self, what: str = "main()", advice: str = "",
                 advice_if: Callable[[Any, Any], bool] | None = None) -> None:
        self.what = what
        self.advice = advice  # what to change when the values differ (the grader knows the likely mistake)
        self.advice_if = advice_if
        """``advice_if(got, want)``: whether ``advice`` fits a value that differs (e.g. only when the flag in a
        returned tuple is wrong); without it the advice comes with every difference.  Values are the parsed
        reprs (a scenario that raised is ``{'raised': ..., 'message': ...}``), or the reprs when not literals."""

    def evaluate(self, observed: Timeline, expected: Timeline) -> Verdict:
        if observed.result == expected.result:
            return OK
        crash = _main_crash(observed)
        if crash is not None:
            # The harness records a crashed main's value as None: say what happened, not "returned None".
            where = f" ({crash['where']})" if crash.get("where") else ""
            verb = f"{self.what} raised" if crash.get("where") else f"Calling {self.what} ended in"
            return Verdict(False, f"{verb} {crash.get('msg') or crash.get('exc')}{where}, so it returned no value "
                           "to check.", diagnose(observed, only=(RUN_FINDINGS - {"crash"}) | {"killed-worker"}))
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
            advice = self._advice([(got, want) for _key, got, want in calls])
            # A call that raised because the program stopped its own workers (a pool ended by its `with` block)
            # says why: the value was lost with them.
            why = diagnose(observed, only={"killed-worker"}) if any(
                isinstance(got, dict) and "raised" in got for _key, got, _want in calls) else []
            return Verdict(False, "\n".join(shown) + (f"\n{advice}" if advice else ""), why)
        advice = self._advice([(_literal(observed.result), _literal(expected.result))])
        if _value_itself(observed.result) and not _value_itself(expected.result):
            advice = ("That is the shared Value object itself; return the number it holds (its .value)."
                      + (f" {advice}" if advice else ""))
        if _driven(observed):
            # The driver's value gathers what all of its calls returned: it is not what one call returned.
            return Verdict(False, f"The grader's driver, which calls {self.what}, returned {_cut(observed.result)}; "
                           f"expected {_cut(expected.result)}." + (f" {advice}" if advice else ""))
        return Verdict(False, f"{self.what} returned {_cut(observed.result)}; expected {_cut(expected.result)}."
                       + (f" {advice}" if advice else ""))

    def _advice(self, differences: list[tuple[Any, Any]]) -> str:
        """The grader's advice, if it fits one of the values that differ (``advice_if``)."""
        if not self.advice or self.advice_if is None:
            return self.advice
        for got, want in differences:
            try:
                if self.advice_if(got, want):
                    return self.advice
            except Exception:  # noqa: BLE001, S112 - a value of an unexpected shape: the advice does not fit it
                continue
        return ""

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


def _literal(text: str | None) -> Any:
    """A returned value's repr parsed back when it is plain data (``literal_eval`` never runs code), else the repr."""
    try:
        return ast.literal_eval(text or "")
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return text


def _main_crash(observed: Timeline) -> dict[str, Any] | None:
    """The exception that ended main (or the grader's driver), if one did; ``sys.exit`` is not one."""
    return next((c for c in observed.crashes if is_main(str(c.get("id", ""))) and c.get("phase") != "import"
                 and c.get("exc") not in ("SystemExit", "NotImplementedError")), None)


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


_ENGINE_WRAPPER = re.compile(r"<ObservedValue wrapper for ")
"""The engine's stand-in for a shared ``multiprocessing.Value`` (``coursekit._engine.processes.messages``), whose
repr must read as the one Python itself prints, never by the engine's class name."""


def _plain(text: str) -> str:
    """``text`` with the engine's own class names put back to what the program made."""
    return _ENGINE_WRAPPER.sub("<Synchronized wrapper for ", text)


def _value_itself(text: str | None) -> bool:
    """Whether a returned repr is a shared Value object rather than a number (or, for a driver's summary of its
    calls, holds one)."""
    return bool(text) and bool(re.search(r"<(?:ObservedValue|Synchronized) wrapper for \w+\(.*?\)>", str(text)))


def _cut(text: str | None, limit: int = 300) -> str:
    """A returned value's repr, cut to a length a message can show."""
    text = _plain(str(text))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _short(value: Any, limit: int = 70) -> str:
    text = _plain(repr(value))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _driven(tl: Timeline) -> bool:
    """Whether the grader's driver called the student's code (its value is then the driver's, not one call's)."""
    return any(ev.get("e") == events.PHASE and ev.get("name") == "main" and ev.get("driver") for ev in tl.events)


def _per_call(observed: Timeline, expected: Timeline) -> list[tuple[str, Any, Any]] | None:
    """The entries that differ, when a grader's driver returned a summary of its calls (a dict from a
    description of each call to what it returned) on both sides; None otherwise.

    Why: the driver's summary is not what the student's function returned; the student should read what each
    of their calls returned, not the repr of the grader's bookkeeping.
    """
    if not _driven(observed):
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
