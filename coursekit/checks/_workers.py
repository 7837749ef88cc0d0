"""``Workers``: the work runs in as many workers as in the reference, alive at the same time, and not in main.

What counts as "work": a ``sleep`` (virtual time makes it the simulated slow part of a job), ``sleep(0)``
included (the yield point of a read / yield / write window).  When the grader hands the student a work function
of its own (a driver's ``work(item)``), ``work="given"`` counts only the sleeps called from outside the
student's file, so that a student's own waiting (``while ...: time.sleep(0.5)`` in main) is not mistaken for
work.  Like every check it knows no exercise: the expected numbers come from the reference run.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from coursekit._engine.events import is_main
from coursekit._judge.diagnose import diagnose
from coursekit._judge.findings import Finding
from coursekit.checks._calls import by_main, whole_run, work_calls
from coursekit.checks._check import OK, Check, Verdict
from coursekit.checks._evidence import Needs
from coursekit.checks._peak import most_open
from coursekit.checks._standard import MODEL_FINDINGS
from coursekit.checks._unfinished import RUN_FINDINGS, stopped_early
from coursekit.models import MODELS, THREADS

if TYPE_CHECKING:
    from coursekit._judge.timeline import Timeline

_MISPLACED = MODEL_FINDINGS - {"sequential"}  # findings that explain work done in main

WORK_KINDS = ("all", "given")
"""What ``work=`` may be: every sleep, or only those of the grader's own code (a driver's work function)."""


def check_work(work: str, where: str) -> str:
    """``work`` itself if it is one of ``WORK_KINDS``; a ``ValueError`` naming it and ``where`` otherwise."""
    if work not in WORK_KINDS:
        raise ValueError(f"{where}: work must be one of {WORK_KINDS}, not {work!r}")
    return work


def worker_kind(tl: Timeline) -> str:
    """The kind of context a worker of the run's model is (``thread``, ``process``, ``task``)."""
    return MODELS.get(tl.model, THREADS).worker_kind


def workers_of_model(tl: Timeline) -> list[str]:
    """The ids of the run's workers of its model's kind (a helper thread in an asyncio run is not one)."""
    kind = worker_kind(tl)
    return [c.id for c in tl.workers() if c.kind == kind]


def work_sleeps(tl: Timeline, work: str) -> list[dict[str, Any]]:
    """The sleep events that stand for work: all of them, or only those the grader's own code made."""
    check_work(work, "work_sleeps")
    return [s for s in tl.sleeps if work == "all" or not s.get("student", False)]


def peak_alive(tl: Timeline) -> int:
    """The most workers alive (started, not yet ended) at once, by the order of the trace, not by the clock.

    Why order: work that only yields (``sleep(0)``) takes no virtual time, so every start and end happens at
    0 s; the trace order still tells "all started before any ended" from "one after the other".
    """
    workers = set(workers_of_model(tl))
    return most_open((0.0, cid, what == "spawn") for what, cid in tl.lifecycle if cid in workers).most


class Workers(Check):
    """The work runs in at least as many workers as in the reference, as many of them doing some of it, alive
    at the same time, and none of it in main."""

    shape = True  # judged under the tie schedules only (Check.shape)

    name = "workers"
    title = "the work runs in the expected number of workers, at the same time, not in main"
    needs = frozenset({Needs.WORKER})

    def __init__(self, work: str = "all", together: bool = True) -> None:
        self.work = check_work(work, "Workers")
        self.together = together  # False: workers that only overlap by accident in the reference (left-overs)

    def evaluate(self, observed: Timeline, expected: Timeline) -> Verdict:
        kind = worker_kind(expected)
        words = MODELS.get(expected.model, THREADS).plural
        obs_work, exp_work = work_sleeps(observed, self.work), work_sleeps(expected, self.work)
        in_main = [s for s in obs_work if is_main(s["id"])]
        if len(in_main) > sum(1 for s in exp_work if is_main(s["id"])):
            where = next((s.get("where") for s in in_main if s.get("where")), "")
            return Verdict(False, f"Some of the work ran in main itself{f' ({where})' if where else ''}, not in "
                           f"your {words}.", diagnose(observed, only=_MISPLACED) or [Finding(
                               "work-in-main", "", f"Call the work only inside the {words}' function, and start "
                               f"the {words} with start() (run() runs it in the caller).")])
        obs, exp = workers_of_model(observed), workers_of_model(expected)
        # Fewer workers than the reference is lost concurrency.  More is not judged here: a helper thread (a
        # feeder, a watcher) is fine, and too many workers busy at once is what ``Busy`` is for.
        stopped = stopped_early(observed)
        if len(obs) < len(exp):
            started = f"{len(obs)} {words if len(obs) != 1 else kind}"
            if stopped is not None:
                return Verdict(False, f"Your program stopped before it finished, so its {words} could not all be "
                               f"counted: it had started {started} by then; the reference starts {len(exp)} in all.",
                               stopped)
            return Verdict(False, f"Your program started {started}; expected {len(exp)}{whole_run(observed)}.",
                           diagnose(observed, only=MODEL_FINDINGS | RUN_FINDINGS) or
                           [Finding("worker-count", "", "Start one for each piece of concurrent work the "
                                    "exercise asks for.")])
        doing_exp = {s["id"] for s in exp_work if not is_main(s["id"])}
        doing_obs = {s["id"] for s in obs_work if not is_main(s["id"])}
        doing_obs |= {c.ctx for c in work_calls(observed) if not by_main(observed, c) and c.ctx in set(obs)}
        if len(doing_obs) < len(doing_exp):
            if stopped is not None:
                return Verdict(False, f"Your program stopped before it finished: by then {len(doing_obs)} of your "
                               f"{len(obs)} {words} had done some of the work; in the reference {len(doing_exp)} "
                               "share it.", stopped)
            return _idle(doing_obs, obs, words, len(doing_exp), whole_run(observed))
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


def _idle(doing: set[str], workers: list[str], words: str, want: int, whole: str = "") -> Verdict:
    """Fewer workers did some of the work than in the reference: said from what the trace shows them doing.

    The work is seen by its pauses (its sleeps) and by calls of the grader's named work.  When no worker shows
    any, the trace cannot say that they did nothing (work that only computes leaves no pause), only that the
    work's pause never came in them, which is what a missing or removed pause looks like.
    """
    if not doing:
        return Verdict(False, f"None of your {len(workers)} {words} reached the work's pause (its sleep); in the "
                       f"reference {want} do{whole}.",
                       [Finding("idle-workers", "", "Keep the given work as it is, pause included, and call it from "
                                "each worker.")])
    return Verdict(False, f"Only {len(doing)} of your {len(workers)} {words} did any of the work (reached its "
                   f"pause or called it); expected {want} to share it{whole}.",
                   [Finding("idle-workers", "", "Give every worker its share (its own loop over the work).")])


__all__ = ["WORK_KINDS", "Workers", "check_work", "peak_alive", "work_sleeps", "worker_kind", "workers_of_model"]
