"""Checks about workers as a group: how many ran the work, how many were busy at once, whether each unit of work
was done exactly once, what was left running, and whether the caller was kept waiting.

Why a separate module: the core checks compare printed lines; these compare the *shape* of the concurrency
(a pool of three that is really a pool of one, a queue item handled twice, a worker blocked forever in
``queue.get``), which lines alone do not show.  Like every check they know no exercise: the expected numbers
come from the reference run, and the grader only chooses which checks apply and how to name things.

What counts as "work": a ``sleep`` of positive length (virtual time makes it the simulated slow part of a job),
and for ``Workers`` any sleep at all, ``sleep(0)`` included (the yield point of a read / yield / write window).
When the grader hands the student a work function of its own (a driver's ``work(item)``), ``work="given"``
counts only the sleeps called from outside the student's file, so that a student's own waiting
(``while ...: time.sleep(0.5)`` in main) is not mistaken for work.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from coursekit._judge.diagnose import Finding, diagnose
from coursekit._judge.timeline import Timeline, is_main
from coursekit.checks._core import EPS, MODEL_FINDINGS, MODEL_WORKER, OK, RUN_FINDINGS, Check, Verdict, match_lines

_PLURAL = {"thread": "threads", "process": "processes", "task": "tasks"}
_MISPLACED = MODEL_FINDINGS - {"sequential"}  # findings that explain work done in main


def _fmt(t: float) -> str:
    return f"{t:g} s"


def _kind(tl: Timeline) -> str:
    return MODEL_WORKER.get(tl.model, "thread")


def _workers(tl: Timeline) -> list[str]:
    kind = _kind(tl)
    return [c.id for c in tl.workers() if c.kind == kind]


WORK_KINDS = ("all", "given")


def work_sleeps(tl: Timeline, work: str) -> list[dict[str, Any]]:
    """The sleep events that stand for work: all of them, or only those the grader's own code made."""
    if work not in WORK_KINDS:
        raise ValueError(f"work must be one of {WORK_KINDS}, not {work!r}")
    return [s for s in tl.sleeps if work == "all" or not s.get("student", False)]


def peak_alive(tl: Timeline) -> int:
    """The most workers alive (started, not yet ended) at once, by the order of the trace, not by the clock.

    Why order: work that only yields (``sleep(0)``) takes no virtual time, so every start and end happens at
    0 s; the trace order still tells "all started before any ended" from "one after the other".
    """
    workers = set(_workers(tl))
    alive, peak = set(), 0
    for what, cid in tl.lifecycle:
        if cid not in workers:
            continue
        if what == "spawn":
            alive.add(cid)
            peak = max(peak, len(alive))
        else:
            alive.discard(cid)
    return peak


def busy_peak(tl: Timeline, work: str = "all") -> tuple[int, float, list[str]]:
    """The most contexts inside a positive sleep at the same moment, when that first happens, and which ones."""
    edges = []
    for s in work_sleeps(tl, work):
        d = float(s.get("d", 0.0))
        if d > 0:
            t = float(s["t"])
            edges.append((round(t + d, 9), 0, s["id"]))  # an end sorts before a start at the same moment
            edges.append((round(t, 9), 1, s["id"]))
    edges.sort(key=lambda e: (e[0], e[1]))
    busy: Counter[str] = Counter()
    peak, at, who = 0, 0.0, []
    for t, is_start, cid in edges:
        busy[cid] += 1 if is_start else -1
        current = [c for c, n in busy.items() if n > 0]
        if len(current) > peak:
            peak, at, who = len(current), t, sorted(current)
    return peak, at, who


def stopped_early(tl: Timeline) -> list[Finding] | None:
    """What stopped a run that did not finish (a deadlock, a hang, a crash, the time limit), or None if it did.

    Why: a count taken from a run cut short (workers started, work done) is what it had done *by then*, not a
    mistake of its own; the check says so and names what stopped it instead of advice about the count.
    """
    if tl.returned_at is not None and tl.completed:
        return None
    return diagnose(tl, only=RUN_FINDINGS | {"stuck", "deadlock", "time-limit"}) or [
        Finding("cut-short", "Your program ended before it finished.", "Let it run to the end.")]


class Workers(Check):
    """The work runs in at least as many workers as in the reference, as many of them doing some of it, alive
    at the same time, and none of it in main."""

    name = "workers"
    title = "the work runs in the expected number of workers, at the same time, not in main"

    def __init__(self, work: str = "all", together: bool = True) -> None:
        if work not in WORK_KINDS:
            raise ValueError(f"work must be one of {WORK_KINDS}, not {work!r}")
        self.work = work
        self.together = together  # False: workers that only overlap by accident in the reference (left-overs)

    def evaluate(self, observed: Timeline, expected: Timeline) -> Verdict:
        kind = _kind(expected)
        words = _PLURAL.get(kind, "workers")
        obs_work, exp_work = work_sleeps(observed, self.work), work_sleeps(expected, self.work)
        in_main = [s for s in obs_work if is_main(s["id"])]
        if len(in_main) > sum(1 for s in exp_work if is_main(s["id"])):
            where = next((s.get("where") for s in in_main if s.get("where")), "")
            return Verdict(False, f"Some of the work ran in main itself{f' ({where})' if where else ''}, not in "
                           f"your {words}.", diagnose(observed, only=_MISPLACED) or [Finding(
                               "work-in-main", "", f"Call the work only inside the {words}' function, and start "
                               f"the {words} with start() (run() runs it in the caller).")])
        obs, exp = _workers(observed), _workers(expected)
        # Fewer workers than the reference is lost concurrency.  More is not judged here: a helper thread (a
        # feeder, a watcher) is fine, and too many workers busy at once is what ``Busy`` is for.
        stopped = stopped_early(observed)
        if len(obs) < len(exp):
            started = f"{len(obs)} {words if len(obs) != 1 else kind}"
            if stopped is not None:
                return Verdict(False, f"Your program stopped before it finished, so its {words} could not all be "
                               f"counted: it had started {started} by then; the reference starts {len(exp)} in all.",
                               stopped)
            return Verdict(False, f"Your program started {started}; expected {len(exp)}.",
                           diagnose(observed, only=MODEL_FINDINGS | RUN_FINDINGS) or
                           [Finding("worker-count", "", "Start one for each piece of concurrent work the "
                                    "exercise asks for.")])
        doing_exp = {s["id"] for s in exp_work if not is_main(s["id"])}
        doing_obs = {s["id"] for s in obs_work if not is_main(s["id"])}
        if len(doing_obs) < len(doing_exp):
            if stopped is not None:
                return Verdict(False, f"Your program stopped before it finished: by then {len(doing_obs)} of your "
                               f"{len(obs)} {words} had done some of the work; in the reference {len(doing_exp)} "
                               "share it.", stopped)
            return Verdict(False, f"Only {len(doing_obs)} of your {len(obs)} {words} did any of the work; expected "
                           f"{len(doing_exp)} to share it.", [Finding("idle-workers", "", "Give every worker its "
                                                                     "share (its own loop over the work).")])
        p_obs, p_exp = peak_alive(observed), peak_alive(expected)
        if self.together and p_obs < p_exp and stopped is not None:
            return Verdict(False, f"Your program stopped before it finished: by then at most {p_obs} of your "
                           f"{words} had run at the same time; in the reference {p_exp} do.", stopped)
        if self.together and p_obs < p_exp:
            return Verdict(False, f"At most {p_obs} of your {words} {'was' if p_obs == 1 else 'were'} running at the "
                           f"same time; expected {p_exp}.",
                           [Finding("sequential", "They ran one after the other.",
                                    "Start all of them first, and only then join them.")])
        return OK


class Busy(Check):
    """The peak number of workers inside the slow part of their work at once equals the reference's: more is a
    broken limit, fewer is lost concurrency."""

    name = "busy"
    title = "as many workers busy at once as expected: never more, and no fewer when there is enough work"

    def __init__(self, work: str = "all") -> None:
        if work not in WORK_KINDS:
            raise ValueError(f"work must be one of {WORK_KINDS}, not {work!r}")
        self.work = work

    def evaluate(self, observed: Timeline, expected: Timeline) -> Verdict:
        p_obs, at_obs, who = busy_peak(observed, self.work)
        p_exp, at_exp, _ = busy_peak(expected, self.work)
        if p_obs == p_exp:
            return OK
        if p_obs > p_exp:
            names = ", ".join(observed.ctx(c).label for c in who[:4])
            return Verdict(False, f"At {_fmt(at_obs)}, {p_obs} jobs were running at once ({names}); at most {p_exp} "
                           "may run at the same time.", [Finding("over-limit", "", f"Use exactly {p_exp} workers "
                                                                 "(max_workers, or the number of threads you start).")])
        if p_obs == 0:
            return Verdict(False, "None of the work was seen running.", diagnose(observed, only=RUN_FINDINGS))
        stopped = stopped_early(observed)
        if stopped is not None:
            return Verdict(False, f"Your program stopped before it finished: by then at most {p_obs} job"
                           f"{'s were' if p_obs > 1 else ' was'} running at once; the reference reaches {p_exp}.",
                           stopped)
        return Verdict(False, f"At most {p_obs} job{'s were' if p_obs > 1 else ' was'} running at once; with this "
                       f"much work {p_exp} should be (the reference reaches {p_exp} at {_fmt(at_exp)}).",
                       diagnose(observed, only=MODEL_FINDINGS) or [Finding(
                           "under-limit", "", f"Run {p_exp} workers side by side: start them all before waiting, "
                           "and hand out the next job as soon as a worker is free.")])


class ExactlyOnce(Check):
    """Every unit of work is done exactly once: printed lines that start with ``prefix`` name one unit each
    (the rest of the line is its key), counted against the reference."""

    name = "once"
    title = "every item is processed exactly once"

    def __init__(self, prefix: str, what: str = "item", advice: str = "") -> None:
        if not prefix:
            raise ValueError("ExactlyOnce needs the prefix of the lines that report a unit of work")
        self.prefix = prefix
        self.what = what
        self.advice = advice or f"Hand each {what} to exactly one worker, exactly once."

    def _count(self, tl: Timeline) -> Counter[str]:
        return Counter(x.text[len(self.prefix):] for x in tl.lines if x.text.startswith(self.prefix))

    def evaluate(self, observed: Timeline, expected: Timeline) -> Verdict:
        got, want = self._count(observed), self._count(expected)
        if got == want:
            return OK
        parts = []
        for key in sorted(set(got) | set(want)):
            if got[key] > want[key]:
                parts.append(f"{self.what} {key} was processed {got[key]} times")
            elif got[key] < want[key]:
                parts.append(f"{self.what} {key} was never processed" if got[key] == 0 else
                             f"{self.what} {key} was processed {got[key]} of {want[key]} times")
        more = f" (and {len(parts) - 4} more)" if len(parts) > 4 else ""
        findings = diagnose(observed, only=RUN_FINDINGS | {"deadlock", "stuck"})
        text = "; ".join(parts[:4])
        return Verdict(False, text[:1].upper() + text[1:] + more + f". Each {self.what} must be processed exactly "
                       "once.", findings or [Finding("not-once", "", self.advice)])

    def __repr__(self) -> str:
        return f"ExactlyOnce({self.prefix!r})"



class Leaks(Check):
    """Nothing is left running when the entry point returns, beyond what the reference leaves (a daemon thread
    that is deliberately abandoned, for instance)."""

    name = "leaks"
    title = "no worker is left running when it returns"

    def __init__(self, what: str = "main()", advice: str = "") -> None:
        self.what = what
        self.advice = advice or "Make every worker finish and join it before returning."

    def evaluate(self, observed: Timeline, expected: Timeline) -> Verdict:
        if observed.returned_at is None:
            return Verdict(False, f"{self.what} never returned, so what it left running cannot be checked.",
                           diagnose(observed, only=RUN_FINDINGS | {"deadlock", "stuck", "time-limit"}))

        def left(tl: Timeline) -> tuple[list[str], list[str]]:
            alive = [c for c in tl.alive_at_return if not is_main(c)]
            return alive, [c for c in alive if not tl.ctx(c).daemon]

        obs_all, obs_nd = left(observed)
        exp_all, exp_nd = left(expected)
        if len(obs_all) <= len(exp_all) and len(obs_nd) <= len(exp_nd):
            return OK
        shown = obs_nd if len(obs_nd) > len(exp_nd) else obs_all
        described: Counter[str] = Counter()
        for cid in shown:
            wait = observed.alive_waits.get(cid, {})
            on = {"lock": "blocked (on a lock, queue or condition)", "join": "waiting in join()",
                  "sleep": "sleeping", "runnable": "about to run"}.get(wait.get("on", ""), "running")
            where = f" at {wait['where']}" if wait.get("where") else ""
            daemon = " (a daemon)" if observed.ctx(cid).daemon else ""
            described[f"{observed.ctx(cid).label}{daemon}, {on}{where}"] += 1
        parts = [(f"{k} x " if k > 1 else "") + text for text, k in described.most_common(3)]
        n = len(shown)
        msg = (f"{n} worker{'s were' if n > 1 else ' was'} still running when {self.what} returned: "
               + "; ".join(parts) + ("; and others" if len(described) > 3 else "") + ".")
        if len(obs_nd) > len(exp_nd) and len(exp_all) > len(exp_nd):
            msg += " A thread that is not a daemon keeps the program from exiting."
        return Verdict(False, msg, [Finding("leak", "", self.advice)])

    def __repr__(self) -> str:
        return f"Leaks({self.what!r})"


class Deadline(Check):
    """No line comes later than in the reference: the program never keeps its caller waiting longer.

    Unlike ``Timing`` it does not mind a line that comes early (other checks judge those), so its message can
    say exactly one thing: something blocked past the moment the caller should have got control back.
    """

    name = "deadline"
    title = "never keeps the caller waiting longer than expected"

    def __init__(self, advice: str = "") -> None:
        self.advice = advice or "Wait with a timeout, and never longer than the time you were given."

    def evaluate(self, observed: Timeline, expected: Timeline) -> Verdict:
        late = [(o, e) for o, e in match_lines(observed, expected) if o.t > e.t + EPS]
        if not late and observed.lines:
            return OK
        if not observed.lines:
            return Verdict(False, "Nothing was printed, so there is no timing to check.",
                           diagnose(observed, only=RUN_FINDINGS | {"deadlock", "stuck", "time-limit"}))
        o, e = late[0]
        msg = (f"{o.text!r} came at {_fmt(o.t)}, {o.t - e.t:g} s later than it should ({_fmt(e.t)}): the caller "
               "was kept waiting longer than it should.")
        if len(late) > 1:
            msg += f" ({len(late)} lines came late.)"
        return Verdict(False, msg, [Finding("late", "", self.advice)], show_timeline=True)
