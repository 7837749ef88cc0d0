"""Name the mistake behind a trace: each finding says what happened, where, and what to change.

Findings are facts read from the trace (a thread created and never started, a join that timed out, a
``time.sleep`` inside a coroutine), not guesses about an exercise; checks choose which ones they mention.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from coursekit._judge.timeline import Line, Timeline, is_main


@dataclass(frozen=True)
class Finding:
    kind: str
    what: str
    advice: str = ""

    def text(self) -> str:
        what = self.what.rstrip()
        if what and self.advice and not what.endswith((".", "!", "?", ":")):
            what += "."
        return " ".join(p for p in (what, self.advice) if p)


def _at(where: str) -> str:
    return f" ({where})" if where else ""


def _waits_in(wait: dict[str, Any]) -> str:
    """What a blocked context waits in, as the student wrote it when the trace has the line (a queue's get()
    blocks in a lock, but the student wrote `tasks.get()`), else the primitive the scheduler saw."""
    return f"waits at `{wait['code']}`" if wait.get("code") else f"waits in {wait['on']}"


def diagnose(tl: Timeline, *, only: Iterable[str] | None = None,
             pairs: list[tuple[Line, Line]] | None = None) -> list[Finding]:
    wanted = set(only) if only is not None else None
    out: list[Finding] = []

    def add(kind: str, what: str, advice: str = "") -> None:
        if (wanted is None or kind in wanted) and all(f.kind != kind or f.what != what for f in out):
            out.append(Finding(kind, what, advice))

    for err in tl.errors:
        if err["kind"] == "syntax":
            add("syntax", f"Python cannot read your file: {err['msg']} at line {err['line']}.",
                f"Fix the line `{err.get('text', '').strip()}`." if err.get("text") else "")
        elif err["kind"] == "missing":
            add("missing", f"Your file does not define {err['msg'].split(' ')[0]}.",
                "Keep the function names of the stub.")
        else:
            add("unreadable", f"Your file could not be read: {err['msg']}.")
    for crash in tl.crashes:
        exc, where = crash["exc"], crash.get("where", "")
        if exc == "NotImplementedError":
            detail = crash["msg"].split(":", 1)[-1].strip()
            add("not-implemented",
                f"Not written yet{_at(where)}" + (f": {detail}" if detail and detail != exc else "."),
                "Replace the `raise NotImplementedError` under each # TODO with your code.")
        elif crash.get("phase") == "import":
            if exc == "SystemExit":
                add("import-exit", "Your module calls sys.exit() while it is being imported.",
                    "Remove it: a module should only define things when imported.")
            else:
                add("import-crash", f"Importing your module raised {crash['msg']}{_at(where)}.")
        elif exc == "SystemExit" and not is_main(crash["id"]):
            add("crash", f"{tl.ctx(crash['id']).label} called sys.exit() with an error code{_at(where)}.",
                "Let the worker's function return normally (exit code 0).")
        elif exc == "SystemExit":
            add("crash", f"main() called sys.exit(){_at(where)}.", "Let main() return normally.")
        else:
            who = "main()" if is_main(crash["id"]) else tl.ctx(crash["id"]).label
            add("crash", f"{who} raised {crash['msg']}{_at(where)}.")
    guard = tl.status.get("guard")
    if guard is not None:  # bulk grading: what the audit guard of coursekit/_engine/guard.py recorded
        acts = list({g["kind"]: g for g in reversed(guard) if g.get("kind")}.values())[::-1]  # first of each kind
        if acts:
            add("tamper", "Your program tried to get around the grader: "
                + "; ".join(f"it {g['detail']}{_at(g.get('where', ''))}" for g in acts[:3]) + ".",
                "Solve the exercise with ordinary code: a run that tampers with the grader scores 0.")
        elif tl.completed and not any(g.get("final") for g in guard):
            add("tamper", "Your program ended the run by a way around the grader's own end-of-run check.",
                "Solve the exercise with ordinary code: a run that tampers with the grader scores 0.")
    if any(x.phase == "import" for x in tl.lines):
        add("runs-on-import", "Your module prints or starts work when it is imported.",
            "Put the call to main() under `if __name__ == \"__main__\":`.")

    problems: dict[str, list[dict[str, Any]]] = {}
    for p in tl.problems:
        problems.setdefault(p["kind"], []).append(p)
    for p in problems.get("stuck", []):
        add("stuck", f"Your program stopped making progress{_at(p['where'])}: a busy loop, or a call that blocks "
            "without the grader being able to see it.",
            "Wait with sleep(), join(), a lock or a queue instead of spinning.")
    for p in problems.get("deadlock", []):
        waits = "; ".join(f"{tl.ctx(w['id']).label} {_waits_in(w)}{_at(w['where'])}" for w in p.get("waits", []))
        add("deadlock", f"Deadlock at {p['t']:g} s: every worker is waiting and nothing can wake them ({waits}).",
            "Make sure whatever they wait for (a lock release, a thread ending, an event, a queue item) can happen.")
    for p in problems.get("time-limit", []):
        add("time-limit", f"Your program was still running after {p['t']:g} s of (virtual) time, far longer than "
            "the reference solution.", "Look for a loop that never ends.")
    for _ in problems.get("flood", []):
        add("flood", "Your program printed far more than expected and was stopped.", "Look for a loop that never ends.")
    for p in problems.get("blocking-sleep", [])[:1]:
        add("blocking-sleep", f"time.sleep() inside a coroutine blocks the whole event loop{_at(p['where'])}.",
            "Use `await asyncio.sleep(...)` so other tasks can run meanwhile (and run a blocking function you "
            "cannot change in a thread: `await asyncio.to_thread(f, *args)`).")
    for p in problems.get("never-awaited", [])[:1]:
        add("never-awaited", f"A coroutine was created but never awaited{_at(p['where'])}: {p['detail']}.",
            "Put `await` in front of it; without it nothing waits.")
    for _ in problems.get("sync-main", [])[:1]:
        add("sync-main", "main() is a plain function.", "Write `async def main():` and await your tasks inside it.")
    for model in ("threads", "coroutines"):
        for p in problems.get(f"process-in-{model}", [])[:1]:
            add(f"process-in-{model}", f"Your program starts a process{_at(p['where'])}, but this exercise is about "
                f"{'threads' if model == 'threads' else 'asyncio tasks'}.",
                "Use threading.Thread." if model == "threads" else "Use asyncio.create_task (or gather).")
    for p in problems.get("run-not-start", [])[:1]:
        add("run-not-start", f"You called run() on a thread{_at(p['where'])}: that runs its function right there, in "
            "the caller.", "Call start() to run it in a new thread.")
    for u in tl.unstarted[:1]:
        add("unstarted", f"A {u['kind']} for {u['target'] or '?'}() was created{_at(u.get('where', ''))} but never "
            "started.", "Call start() on it (run() would run it in the caller).")
    for c in tl.contexts.values():
        if c.kind in ("thread", "process") and not c.target and c.parent and is_main(c.parent):
            add("target-called", f"A {c.kind} was started with no function to run{_at(c.where)}: writing "
                "`target=f()` calls f right away, in main, and passes its result (None).",
                "Pass the function itself: `target=f`.")
    worker_lines = [x for x in tl.lines if not is_main(x.ctx)]
    if tl.lines and not worker_lines and not tl.workers() and not tl.unstarted:
        add("sequential", "Everything was printed by main itself: the functions ran one after the other.",
            "Run each function in its own worker, start them all, then wait for them.")
    for c in tl.workers():
        lines = [x for x in tl.lines if x.ctx == c.id]
        sleeps_first = pairs is not None and lines and abs(lines[0].t - c.start) < 1e-9 and \
            any(o.ctx == c.id and o.t < e.t for o, e in pairs)
        if sleeps_first:
            add("print-before-sleep", f"{c.label} printed its first line the moment it started.",
                "Sleep first, then print.")

    joined_done = {j["target"] for j in tl.joins if j.get("done") and j.get("phase") == "main"}
    for j in tl.joins:
        if not j.get("done") and j.get("phase") == "main" and j.get("timeout") is not None:
            add("join-timeout", f"join(timeout={j['timeout']:g}) on {tl.ctx(j['target']).label} gave up at "
                f"{j['t']:g} s, while it was still running{_at(j.get('where', ''))}.",
                "Call join() without a timeout (or with one long enough) so main really waits.")
    for k in tl.kills:
        if k["target"].startswith(("pool", "executor")):
            tasks = [c for c in tl.contexts.values() if c.id.startswith("task:") and f".{k['target']}." in c.id]
            if all(c.end is not None and c.end <= k["t"] + 1e-9 for c in tasks):
                continue  # every call had finished: terminating the idle pool loses nothing
        elif (end := tl.ctx(k["target"]).end) is not None and end <= k["t"] + 1e-9:
            continue
        target = "the pool" if k["target"].startswith(("pool", "executor")) else tl.ctx(k["target"]).label
        add("killed-worker", f"{k['how']}() stopped {target} at {k['t']:g} s{_at(k.get('where', ''))}, before its "
            "work was done.", "Use join() (or get the results) to wait for the work to finish instead.")
    for cid in tl.alive_at_return:
        c = tl.ctx(cid)
        if c.kind == "task":
            add("pending-task", f"{c.label} was still pending when main() returned, so asyncio.run() cancelled it.",
                "Await every task you create (await task, gather, or a TaskGroup).")
        elif c.daemon and cid not in joined_done:
            add("daemon-dropped", f"{c.label} is a daemon and was never joined: it is killed when the program exits.",
                "join() it before main() returns.")
        elif cid not in joined_done:
            add("not-joined", f"{c.label} was never waited for: it was still running when main() returned.",
                "join() it (or await it) before going on.")
    return out
