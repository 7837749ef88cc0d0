"""The seven standard checks of a "start workers, wait for them" exercise, in the order students read them.

``runs``, ``output``, ``timing``, ``order``, ``model``, ``overlap`` and ``join`` compare the printed lines of a run
with the reference's: which lines, when, in which order, from which kind of worker, overlapping or not, and
whether main waited for its workers.  Each failure quotes the findings (``coursekit._judge.diagnose``) that
explain it; the sets of kinds each check quotes are named here (``*_FINDINGS``).
"""

from __future__ import annotations

import difflib
from collections import Counter
from typing import TYPE_CHECKING

from coursekit._engine.events import is_main
from coursekit._judge.diagnose import diagnose
from coursekit._judge.findings import Finding
from coursekit._judge.moments import EPS, seconds
from coursekit._judge.pairing import match_lines
from coursekit.checks import _roles as roles
from coursekit.checks._calls import (
    capital,
    driven,
    driver_line,
    in_scenario,
    is_marker,
    quoted,
    scenario_before,
    scenario_map,
    scenarios_of,
)
from coursekit.checks._causal_order import Luck, luck
from coursekit.checks._check import OK, Check, Verdict
from coursekit.checks._evidence import Needs
from coursekit.checks._unfinished import RUN_FINDINGS, STOP_FINDINGS, unfinished
from coursekit.models import KIND_WORDS

if TYPE_CHECKING:
    from coursekit._judge.timeline import Line, Timeline


class Runs(Check):
    """The program runs to its end: it can be read, imports cleanly, does not crash, hang, flood or block."""

    name = "runs"
    title = "main() runs to the end, on its own, without crashing, hanging or blocking"

    def evaluate(self, observed: Timeline, expected: Timeline) -> Verdict:
        findings = diagnose(observed, only=RUN_FINDINGS | BLOCKING_FINDINGS)
        if findings:
            return Verdict(False, "", findings)
        return OK


BLOCKING_FINDINGS = STOP_FINDINGS | {"flood", "blocking-sleep", "never-awaited", "sync-main"}
"""Findings that stop or freeze a run: only the runs check reports them."""


class Output(Check):
    """The printed lines are exactly the reference's, as a multiset (their order and times are other checks')."""

    name = "output"
    title = "prints exactly the expected lines"

    def evaluate(self, observed: Timeline, expected: Timeline) -> Verdict:
        got = Counter(x.text for x in observed.lines)
        want = Counter(x.text for x in expected.lines)
        missing = list((want - got).elements())
        extra = list((got - want).elements())
        if not missing and not extra:
            return _roles_verdict(observed, expected)
        if scenarios_of(expected) and driven(observed):
            return Verdict(False, _differences_by_scenario(observed, expected, missing, extra),
                           diagnose(observed, only=OUTPUT_FINDINGS))
        said = _differences(want, missing, extra, driver=_driver_texts(observed, expected))
        return Verdict(False, capital(said) + ".", diagnose(observed, only=OUTPUT_FINDINGS))


def _differences(want: Counter[str], missing: list[str], extra: list[str], limit: int = 5,
                 driver: frozenset[str] = frozenset()) -> str:
    """The first differences as one clause, each text once (``missing`` loses the texts named as close matches of
    an extra line), then how many more there are.  Who printed (or would have printed) a line is its subject:
    the student's program, or the grader's driver for the texts in ``driver`` (it prints them around its calls
    of the student's code, so they differ with what that code did, but their wording is the grader's)."""
    parts: list[tuple[str, str]] = []  # (subject, what it did)
    covered, total = 0, len(extra) + len(missing)
    for text in list(dict.fromkeys(extra))[:limit]:
        close = difflib.get_close_matches(text, missing, n=1, cutoff=0.6)
        if close:
            check = "" if text in driver else " (check the exact text)"
            parts.append((_subject(text, driver), f"printed {text!r} where {close[0]!r} was expected{check}"))
            missing.remove(close[0])
            covered += 2
        else:
            n = extra.count(text)
            parts.append((_subject(text, driver), f"printed {text!r}" + (
                f" {n} more time(s) than expected" if want[text] else ", which was not expected")))
            covered += n
    for text in list(dict.fromkeys(missing))[:limit]:
        n = missing.count(text)
        parts.append((_subject(text, driver), f"never printed {text!r}" + (f" ({n} times)" if n > 1 else "")))
        covered += n
    said, last = [], ""
    for subject, what in parts:
        said.append(what if subject == last else f"{subject} {what}")
        last = subject
    if total - covered > 0:
        said.append(f"and {total - covered} more difference(s)")
    return "; ".join(said)


def _subject(text: str, driver: frozenset[str]) -> str:
    return "the grader's driver" if text in driver else "your program"


def _driver_texts(observed: Timeline, expected: Timeline) -> frozenset[str]:
    """The texts the grader's driver prints itself, in either run (``coursekit.checks._calls.driver_line``)."""
    return frozenset(x.text for tl in (observed, expected) for x in tl.lines if driver_line(tl, x))


def _differences_by_scenario(observed: Timeline, expected: Timeline, missing: list[str], extra: list[str]) -> str:
    """The differences of a driver's run, scenario by scenario, smallest first: each line is placed in the
    scenario it was printed in (an extra line) or is due in (a missing one).  Scenarios the driver never
    announced are said once, as the driver's (its marker lines are not the student's to print)."""
    announced = {s.number for s in scenarios_of(observed)}
    exp_at, obs_at = scenario_map(expected), scenario_map(observed)
    never = sorted({s.number for s in scenarios_of(expected)} - announced)
    first_never = next((s for s in scenarios_of(expected) if s.number in never), None)
    groups: dict[int, tuple[list[str], list[str]]] = {}  # scenario number (0: before any) -> (missing, extra)
    left = Counter(missing)
    for line in expected.lines:
        if left[line.text] > 0 and not is_marker(line):
            left[line.text] -= 1
            number = exp_at[id(line)].number if id(line) in exp_at else 0
            if first_never is None or number < first_never.number:
                groups.setdefault(number, ([], []))[0].append(line.text)
    surplus = Counter(extra)
    for line in reversed(observed.lines):  # the last occurrences of a text are its extra ones
        if surplus[line.text] > 0:
            surplus[line.text] -= 1
            number = obs_at[id(line)].number if id(line) in obs_at else 0
            groups.setdefault(number, ([], []))[1].insert(0, line.text)
    named = {s.number: s.named for s in scenarios_of(expected)}
    want = Counter(x.text for x in expected.lines)
    driver = _driver_texts(observed, expected)
    sentences = []
    for number in sorted(groups)[:3]:
        lost, more = groups[number]
        said = _differences(want, lost, more, limit=3, driver=driver)
        sentences.append(capital((f"In {named[number]}, " if number in named else "") + said) + ".")
    if len(groups) > 3:
        sentences.append(f"(Lines differ in {len(groups) - 3} more scenario(s).)")
    if first_never is not None:
        after = len(never) - 1
        sentences.append(f"The grader's driver never reached {first_never.named}"
                         + (f" or the {after} after it" if after > 1 else " or the one after it" if after else "")
                         + ", so none of their lines could be printed (the driver prints each scenario's marker "
                           "line, 'scenario N: ...', as it starts it).")
    return " ".join(sentences)


def _roles_verdict(observed: Timeline, expected: Timeline) -> Verdict:
    """The right lines: each must also come from the reference's role (``coursekit.checks._roles``)."""
    wrong = roles.misplaced(observed, expected)
    if not wrong:
        return OK
    more = f" ({len(wrong)} lines come from the wrong part of the program.)" if len(wrong) > 1 else ""
    return Verdict(False, wrong[0].sentence + more, [roles.advice(observed, expected, wrong[0])])


OUTPUT_FINDINGS = frozenset({"crash", "killed-worker", "daemon-dropped", "pending-task", "cut-short", "not-implemented",
                             "loop-error"})
"""Findings that explain lines missing or extra: a worker that crashed or was stopped, a run cut short."""


class Timing(Check):
    """Every line comes at the virtual time it comes in the reference."""

    shape = True  # judged under the tie schedules only (Check.shape)

    name = "timing"
    title = "every line comes at its expected time"
    needs = frozenset({Needs.WORKER_LINES})

    def evaluate(self, observed: Timeline, expected: Timeline) -> Verdict:
        wrong = [(o, e) for o, e in match_lines(observed, expected) if abs(o.t - e.t) > EPS]
        if not wrong and observed.lines:
            return OK
        if not observed.lines:
            return Verdict(False, "Nothing was printed, so there is no timing to check.",
                           diagnose(observed, only=RUN_FINDINGS))
        msg = _off_time(observed, expected, wrong)
        return Verdict(False, msg, diagnose(observed, only=TIMING_FINDINGS, pairs=wrong,
                                                                    expected=expected))


def _off_time(observed: Timeline, expected: Timeline, wrong: list[tuple[Line, Line]]) -> str:
    """The first line off time, in the scenario it came in (a driver's run), and how many more are.

    Which line: in a driver's run, the first one off time within its own scenario (a scenario that began late
    makes every line of it late; the one to quote is where the time was lost), of the student's code before
    one of the grader's driver.  A scenario's marker line off time means the call before it ended at another
    time, which the message says.
    """
    obs_at, exp_at = scenario_map(observed), scenario_map(expected)
    begun = {s.number: s.t for s in scenarios_of(expected)}

    def lost_here(o: Line, e: Line) -> bool:
        so, se = obs_at.get(id(o)), exp_at.get(id(e))
        if so is None or se is None or so.number != se.number:
            return True
        return abs((o.t - so.t) - (e.t - begun[se.number])) > EPS

    o, e = next(((o, e) for o, e in wrong if not is_marker(o) and lost_here(o, e)),
                next(((o, e) for o, e in wrong if not is_marker(o)), wrong[0]))
    if is_marker(o) and obs_at:
        before = scenario_before(observed, o)
        msg = f"{capital(quoted(observed, o))} came at {seconds(o.t)}; it is due at {seconds(e.t)}"
        if before is not None:
            msg += (f": the call of {before.named} ended {abs(o.t - e.t):g} s "
                    f"{'earlier' if o.t < e.t else 'later'} than with the reference")
        msg += "."
    else:
        msg = capital(f"{in_scenario(observed, o)}{quoted(observed, o)} came at {seconds(o.t)}; it is due at "
                      f"{seconds(e.t)}.")
    if len(wrong) > 1:
        spread = {obs_at[id(x)].number for x, _ in wrong if id(x) in obs_at}
        msg += (f" ({len(wrong)} lines are off time, in {len(spread)} of the {len(begun)} scenarios.)"
                if len(spread) > 1 else f" ({len(wrong)} lines are off time.)")
    return msg


TIMING_FINDINGS = frozenset({"print-before-sleep", "sequential", "blocking-sleep", "never-awaited", "wrong-delay",
                             "not-joined", "join-timeout"})
"""Findings that explain a line off time: a sleep missing, misplaced or of the wrong length, work in turn."""


class Order(Check):
    """Lines come in the reference's order; lines due at the same moment may come either way; and every pair of
    lines the reference orders by cause (a join, an await, a queue, a lock) is ordered by cause here too, not by
    a sleep that happens to last long enough (``coursekit.checks._causal_order``)."""

    shape = True  # judged under the tie schedules only (Check.shape)

    name = "order"
    title = "lines come in the expected order (lines due at the same moment may come either way)"
    needs = frozenset({Needs.WORKER_LINES})

    def evaluate(self, observed: Timeline, expected: Timeline) -> Verdict:
        pairs = match_lines(observed, expected)
        if not pairs:
            return Verdict(False, "None of the expected lines was printed.", diagnose(observed, only=RUN_FINDINGS))
        place: dict[tuple[float, str, str, str], int] = {}  # where a line equal to it first comes in the reference
        for n, e in enumerate(expected.lines):  # (as ``list.index`` says: one call per pair was most of the cost)
            place.setdefault((e.t, e.ctx, e.text, e.phase), n)
        rank = [place[(e.t, e.ctx, e.text, e.phase)] for _, e in pairs]
        for i, (o1, e1) in enumerate(pairs):
            for j in range(i + 1, len(pairs)):
                o2, e2 = pairs[j]
                same_worker_earlier = e1.ctx == e2.ctx and rank[j] < rank[i]
                if e2.t < e1.t - EPS or (abs(e2.t - e1.t) <= EPS and same_worker_earlier):
                    msg = capital(f"{in_scenario(observed, o1)}{quoted(observed, o1)} was printed before "
                                  f"{quoted(observed, o2)}, but it is due after it ({seconds(e1.t)} against "
                                  f"{seconds(e2.t)}).")
                    return Verdict(False, msg, diagnose(observed, only=ORDER_FINDINGS, expected=expected))
        lucky = luck(observed, expected)  # the order holds by time: does it hold by cause, as in the reference?
        if lucky is not None:
            return Verdict(False, _luck_message(observed, lucky), [lucky.finding(observed)])
        return OK


def _luck_message(observed: Timeline, lucky: Luck) -> str:
    """The order-by-luck message, in the scenario it happened in, with the grader's driver's lines quoted as
    the driver's (``Luck.message`` quotes both lines by their text)."""
    msg = lucky.message(observed)
    for line in (lucky.later, lucky.earlier):
        if driver_line(observed, line) and repr(line.text) in msg:
            msg = msg.replace(repr(line.text), quoted(observed, line), 1)
    return capital(in_scenario(observed, lucky.earlier if is_marker(lucky.later) else lucky.later) + msg)


ORDER_FINDINGS = TIMING_FINDINGS | {"done-from-worker", "killed-worker"}
"""Findings that explain lines out of order: those of timing, a final line printed by a worker, a killed one."""


def _printers(observed: Timeline, expected: Timeline) -> dict[str, set[str]]:
    """For each reference worker: which observed contexts printed its lines."""
    out: dict[str, set[str]] = {}
    for o, e in match_lines(observed, expected):
        if not is_main(e.ctx):
            out.setdefault(e.ctx, set()).add(o.ctx)
    return out


class Model(Check):
    """Each worker's lines come from a worker of the kind the reference uses (a thread, a process, a task)."""

    name = "model"
    title = "the work runs in the concurrency model the exercise asks for"
    needs = frozenset({Needs.WORKER})

    def evaluate(self, observed: Timeline, expected: Timeline) -> Verdict:
        findings = diagnose(observed, only=MODEL_FINDINGS)
        if expected.main_is_async and not observed.main_is_async and observed.main_is_async is not None:
            findings.insert(0, Finding("sync-main", "main() is a plain function.",
                                       "Write `async def main():` and await your tasks inside it."))
        wrong = []
        for ref_ctx, ctxs in _printers(observed, expected).items():
            want = expected.ctx(ref_ctx).kind
            for cid in sorted(ctxs):
                got = observed.ctx(cid).kind
                if got != want:
                    target = expected.ctx(ref_ctx).target
                    wrong.append(f"the lines of {target}() came from "
                                 f"{observed.ctx(cid).label if got != 'main' else 'main itself'}"
                                 f", not from a separate {want}")
        if not wrong and not findings:
            if not _printers(observed, expected) and any(not is_main(x.ctx) for x in expected.lines):
                return Verdict(False, "None of the workers' lines was printed.", diagnose(observed, only=RUN_FINDINGS))
            return OK
        want_words = {KIND_WORDS[expected.ctx(c).kind] for c in {e.ctx for e in expected.lines if not is_main(e.ctx)}}
        msg = "; ".join(wrong) + "." if wrong else ""
        msg += f" This exercise is about {' and '.join(sorted(want_words)) or 'workers'}."
        return Verdict(False, msg.strip(), findings)


MODEL_FINDINGS = frozenset({"run-not-start", "unstarted", "target-called", "process-in-threads",
                            "process-in-coroutines", "sync-main", "sequential"})
"""Findings that explain work in the wrong kind of worker, or in none."""


class Overlap(Check):
    """Workers that overlap in the reference overlap in the observed run, in separate workers."""

    shape = True  # judged under the tie schedules only (Check.shape)

    name = "overlap"
    title = "the workers really run at the same time"
    needs = frozenset({Needs.WORKER})

    def evaluate(self, observed: Timeline, expected: Timeline) -> Verdict:
        from coursekit._judge.timeline import busy_interval  # here: the timeline module loads the runner

        ref_workers = sorted({e.ctx for e in expected.lines if not is_main(e.ctx)})
        printers = _printers(observed, expected)
        for i, w1 in enumerate(ref_workers):
            for w2 in ref_workers[i + 1 :]:
                a1, b1 = busy_interval(expected, w1)
                a2, b2 = busy_interval(expected, w2)
                if not (a1 < b2 - EPS and a2 < b1 - EPS):
                    continue  # these two do not overlap in the reference either
                n1, n2 = expected.ctx(w1).target, expected.ctx(w2).target
                c1, c2 = printers.get(w1, set()), printers.get(w2, set())
                if not c1 or not c2:
                    return Verdict(False, f"{n1}() and {n2}() should run at the same time, but not all of their "
                                   "lines were printed.", diagnose(observed, only=RUN_FINDINGS | MODEL_FINDINGS))
                if any(is_main(c) for c in c1 | c2):
                    return Verdict(False, f"{n1}() and {n2}() should run at the same time in separate workers; "
                                   "some of their lines came from main itself.",
                                   diagnose(observed, only=MODEL_FINDINGS))
                if c1 & c2:
                    return Verdict(False, f"The lines of {n1}() and {n2}() all came from one worker "
                                   f"({observed.ctx(min(c1 & c2)).label}): that is one worker taking turns, "
                                   "not two running at the same time.",
                                   [Finding("fake-concurrency", "",
                                            f"Start one worker for {n1}() and another for {n2}().")])
                o1 = [busy_interval(observed, c) for c in c1]
                o2 = [busy_interval(observed, c) for c in c2]
                if not any(x1 < y2 - EPS and x2 < y1 - EPS for x1, y1 in o1 for x2, y2 in o2):
                    return Verdict(False, f"{n1}() and {n2}() ran one after the other, not at the same time.",
                                   diagnose(observed, only={"sequential", "blocking-sleep"}) or
                                   [Finding("sequential", "",
                                            "Start every worker first, and only then wait for them.")])
        return OK


class Join(Check):
    """main waits for every worker before it returns, and nothing is left running."""

    name = "join"
    title = "main waits for every worker, and nothing is left running"
    needs = frozenset({Needs.WORKER})

    def evaluate(self, observed: Timeline, expected: Timeline) -> Verdict:
        if observed.returned_at is None:
            return unfinished(observed, "main() never returned, so it could not be seen waiting for its workers.")
        main_crash = [c for c in observed.crashes if is_main(c["id"]) and c.get("phase") != "import"]
        if main_crash:
            return Verdict(False, "main() stopped with an error, so it did not wait for its workers.",
                           diagnose(observed, only=RUN_FINDINGS))
        findings = diagnose(observed, only=JOIN_FINDINGS)
        late = [x for x in observed.lines if not is_main(x.ctx) and x.phase in ("after", "shutdown")]
        if findings or late or observed.alive_at_return:
            msg = "main() returned before all of its workers had finished."
            if late:
                msg += (f" {observed.ctx(late[0].ctx).label} was still printing afterwards "
                        f"({late[0].text!r} at {seconds(late[0].t)}).")
            return Verdict(False, msg, findings or [Finding(
                "not-joined", "", "Wait for every worker before main() "
                "goes on: join() each thread or process, await each task.")])
        return OK


JOIN_FINDINGS = frozenset({"not-joined", "join-timeout", "killed-worker", "daemon-dropped", "pending-task"})
"""Findings that explain main returning before its workers ended."""


STANDARD_CHECKS: tuple[type[Check], ...] = (Runs, Output, Timing, Order, Model, Overlap, Join)
"""The seven standard check classes, in the order students read them."""

__all__ = ["BLOCKING_FINDINGS", "JOIN_FINDINGS", "MODEL_FINDINGS", "ORDER_FINDINGS", "OUTPUT_FINDINGS",
           "STANDARD_CHECKS", "TIMING_FINDINGS", "Join", "Model", "Order", "Output", "Overlap", "Runs", "Timing",
           "match_lines"]
