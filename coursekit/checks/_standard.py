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
from coursekit.checks._causal_order import luck
from coursekit.checks._check import OK, Check, Verdict
from coursekit.checks._evidence import Needs
from coursekit.checks._unfinished import RUN_FINDINGS, STOP_FINDINGS, unfinished
from coursekit.models import KIND_WORDS

if TYPE_CHECKING:
    from coursekit._judge.timeline import Timeline


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
        parts = []
        for text in extra[:5]:
            close = difflib.get_close_matches(text, missing, n=1, cutoff=0.6)
            if close:
                parts.append(f"printed {text!r} where {close[0]!r} was expected (check the exact text)")
                missing.remove(close[0])
            else:
                n = got[text] - want[text]
                parts.append(f"printed {text!r}" + (f" {n} more time(s) than expected" if want[text] else
                                                     ", which was not expected"))
        for text in missing[:5]:
            parts.append(f"never printed {text!r}")
        more = len(extra) + len(missing) - len(parts)
        if more > 0:
            parts.append(f"and {more} more difference(s)")
        return Verdict(False, "Your program " + "; ".join(parts) + ".", diagnose(observed, only=OUTPUT_FINDINGS))


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
        o, e = wrong[0]
        msg = f"{o.text!r} came at {seconds(o.t)}; it is due at {seconds(e.t)}."
        if len(wrong) > 1:
            msg += f" ({len(wrong)} lines are off time.)"
        return Verdict(False, msg, diagnose(observed, only=TIMING_FINDINGS, pairs=wrong,
                                                                    expected=expected))


TIMING_FINDINGS = frozenset({"print-before-sleep", "sequential", "blocking-sleep", "never-awaited", "wrong-delay",
                             "not-joined", "join-timeout"})
"""Findings that explain a line off time: a sleep missing, misplaced or of the wrong length, work in turn."""


class Order(Check):
    """Lines come in the reference's order; lines due at the same moment may come either way; and every pair of
    lines the reference orders by cause (a join, an await, a queue, a lock) is ordered by cause here too, not by
    a sleep that happens to last long enough (``coursekit.checks._causal_order``)."""

    name = "order"
    title = "lines come in the expected order (lines due at the same moment may come either way)"
    needs = frozenset({Needs.WORKER_LINES})

    def evaluate(self, observed: Timeline, expected: Timeline) -> Verdict:
        pairs = match_lines(observed, expected)
        if not pairs:
            return Verdict(False, "None of the expected lines was printed.", diagnose(observed, only=RUN_FINDINGS))
        for i, (o1, e1) in enumerate(pairs):
            for o2, e2 in pairs[i + 1 :]:
                same_worker_earlier = e1.ctx == e2.ctx and expected.lines.index(e2) < expected.lines.index(e1)
                if e2.t < e1.t - EPS or (abs(e2.t - e1.t) <= EPS and same_worker_earlier):
                    msg = (f"{o1.text!r} was printed before {o2.text!r}, but it is due after it "
                           f"({seconds(e1.t)} against {seconds(e2.t)}).")
                    return Verdict(False, msg, diagnose(observed, only=ORDER_FINDINGS, expected=expected))
        lucky = luck(observed, expected)  # the order holds by time: does it hold by cause, as in the reference?
        if lucky is not None:
            return Verdict(False, lucky.message(observed), [lucky.finding(observed)])
        return OK


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
