"""Check a run's trace against what was seen from outside it (``coursekit/_judge/observe.py``).

Why: the trace is written inside the student's process, so on its own it proves nothing; the observer, a
process outside the run, saw which threads and processes existed and what each thread wrote to standard output
and error, before the write happened.  A trace that claims what the observer did not see is tampering:

* a trace file for a process that never existed (``<pid>.jsonl`` of no process of the run);
* more threads at work than OS threads were made;
* a printed line (a ``line`` event) without the OS thread that wrote it, from a thread that is not the file's
  process's (or, for what a forked copy inherited, one of its ancestors'), or that this thread never wrote, in
  that order.

Lines the observer saw and the trace does not hold are not tampering (the trace stops at its event cap, a
program may write around ``sys.stdout``): only what the trace *claims* must have been seen.  Lines are compared
on the characters the judge reads of them (``ReadLimits.max_string``).  When the observer could not see writes
(no seccomp filter) only the processes are checked; when nothing could be observed (no ptrace), nothing is, and
the run's record says so.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from coursekit._judge import reading

READ_BYTES = 48 * 1024 * 1024  # the observer records at most 32 MiB of writes, plus its JSON


@dataclass
class Observation:
    """What the observer saw of one run (``observe.py``'s file, parsed)."""

    root: int | None = None
    why: str = ""  # why nothing (or not every write) was seen; "" when all was
    writes_seen: bool = False  # the harness confirmed its filter: every write to fds 1 and 2 was seen
    full: bool = False  # the observer stopped recording writes (too much output): later lines are unchecked
    ended: bool = False  # the observer saw the harness end (else it was killed first)
    process: dict[int, int] = field(default_factory=dict)  # tid -> its process
    parent: dict[int, int] = field(default_factory=dict)  # process -> the process that made it
    lines: dict[int, list[tuple[str, str]]] = field(default_factory=dict)  # tid -> (stream, line), in order
    sequence: list[tuple[int, str, str]] = field(default_factory=list)  # (tid, stream, line), as written
    born: dict[int, int] = field(default_factory=dict)  # tid -> how many times a clone made it (reused tids)
    written: dict[str, int] = field(default_factory=dict)  # stream -> characters its writes asked to write

    @property
    def available(self) -> bool:
        return self.root is not None and not self.why.startswith(("ptrace", "not "))

    def ancestors(self, pid: int) -> list[int]:
        out, seen = [pid], {pid}
        while (up := self.parent.get(out[-1])) is not None and up not in seen:
            out.append(up)
            seen.add(up)
        return out


def read(path: Path, max_string: int) -> Observation | None:
    """The observation at ``path`` (None: there is none), read as bounded input like every file of a run."""
    try:
        data, _ = reading.read_bytes(path, READ_BYTES)
    except (OSError, reading.Unsafe):
        return None
    records = []
    for raw in data.splitlines():
        try:
            item = json.loads(raw)
        except (ValueError, RecursionError):
            continue
        if isinstance(item, dict):
            records.append(item)
    if not records or not isinstance(records[0].get("observer"), int):
        return None
    obs = Observation()
    head = records[0]
    obs.root = head.get("root") if isinstance(head.get("root"), int) else None
    obs.why = str(head.get("why") or "")
    if obs.root is not None and not obs.why:
        obs.process[obs.root] = obs.root
    partial: dict[tuple[int, str], str] = {}  # text without its newline yet, by the writer, in order of last write
    for rec in records[1:]:
        if isinstance(rec.get("task"), int) and isinstance(rec.get("process"), int):
            obs.process[rec["task"]] = rec["process"]
            obs.born[rec["task"]] = obs.born.get(rec["task"], 0) + 1
            if rec["task"] == rec["process"] and isinstance(rec.get("parent"), int):
                obs.parent[rec["task"]] = rec["parent"]
        elif isinstance(rec.get("w"), int) and isinstance(rec.get("d"), str):
            tid, stream = rec["w"], "out" if rec.get("fd") == 1 else "err"
            obs.written[stream] = obs.written.get(stream, 0) + len(rec["d"])
            *done, rest = (partial.pop((tid, stream), "") + rec["d"]).split("\n")
            for line in done:
                obs.lines.setdefault(tid, []).append((stream, line[:max_string]))
                obs.sequence.append((tid, stream, line[:max_string]))
            if rest:
                partial[(tid, stream)] = rest[: 4 * max_string]  # (re-inserted: last written, last)
        elif rec.get("filter") is True:
            obs.writes_seen = True
        elif rec.get("full") is True:
            obs.full = True
        elif "end" in rec:
            obs.ended = True
        elif rec.get("why"):
            obs.why = str(rec["why"])
    for (tid, stream), rest in partial.items():  # written without a final newline (drained at the end)
        obs.lines.setdefault(tid, []).append((stream, rest[:max_string]))
        obs.sequence.append((tid, stream, rest[:max_string]))
    return obs


def disagreements(obs: Observation, events_by_pid: dict[int, list[dict[str, Any]]], max_string: int, *,
                  serial: bool, file_bytes: int | None = None) -> list[str]:
    """What the trace claims that the observer did not see, in words for the student (empty: it agrees).

    ``serial``: the model runs one thread of a process at a time, so the lines of a process (and what a forked
    copy inherited) must have been written in the trace's order; otherwise each thread's lines in its order.
    ``file_bytes``: the run's file-size limit.  The observer sees what each write *asks* to write; a write cut
    short at that limit and tried again would be seen twice, so once a stream has reached it, lines that do not
    match are not held against the run (as when the observer stopped recording)."""
    if not obs.available:
        return []
    capped = obs.full or bool(file_bytes and any(n >= file_bytes for n in obs.written.values()))
    out: list[str] = []
    for pid in sorted(events_by_pid):
        if obs.process.get(pid) != pid:
            out.append(f"wrote a trace for a process {pid} that never existed")
            continue
        out += _threads_disagree(obs, pid, events_by_pid[pid])
        if obs.writes_seen:
            out += _lines_disagree(obs, pid, events_by_pid[pid], max_string, serial, capped)
        if len(out) >= 3:
            break
    return out[:3]


def _threads_disagree(obs: Observation, pid: int, events: list[dict[str, Any]]) -> list[str]:
    """Every thread the trace shows at work (a started thread with events of its own: one whose start failed
    has none) is an OS thread the observer saw made, in the file's process or, for what a forked copy
    inherited, an ancestor: no more of them than were made."""
    threads = {ev.get("id") for ev in events if ev.get("e") == "spawn" and ev.get("kind") == "thread"}
    working = {ev.get("id") for ev in events if ev.get("e") != "spawn" and ev.get("id") in threads}
    family = set(obs.ancestors(pid))
    made = sum(n for tid, n in obs.born.items() if obs.process.get(tid) in family and tid not in family)
    if len(working) > made:
        return [f"recorded {len(working)} threads at work, but only {made} were ever started"]
    return []


def _lines_disagree(obs: Observation, pid: int, events: list[dict[str, Any]], max_string: int,
                    serial: bool, capped: bool) -> list[str]:
    family = obs.ancestors(pid)
    threads = {ev.get("id") for ev in events if ev.get("e") == "spawn" and ev.get("kind") == "thread"}
    tid_of: dict[Any, int] = {}  # a thread context -> the one OS thread that runs it
    contexts_on: dict[int, set[Any]] = defaultdict(set)  # an OS thread -> the thread contexts said to run on it
    if serial:
        sequence = _observed_in_order(obs, family)
    position: dict[int, int] = defaultdict(int)
    at = 0
    for ev in events:
        if ev.get("e") != "line":
            continue
        tid, text = ev.get("tid"), _readable(str(ev.get("text", "")), max_string)
        stream = "err" if ev.get("stream") == "err" else "out"
        if not isinstance(tid, int) or obs.process.get(tid) not in family:
            return [f"recorded the line {_quote(text)} as printed by a thread that never existed"]
        ctx = ev.get("id")
        if ctx in threads and not ev.get("partial"):  # (a partial line is written by whoever ends the run)
            if tid_of.setdefault(ctx, tid) != tid or tid in family:
                return [f"recorded the line {_quote(text)} as printed by a thread that did not print it"]
            contexts_on[tid].add(ctx)
            if len(contexts_on[tid]) > max(1, obs.born.get(tid, 0)):
                return [f"recorded the line {_quote(text)} as printed by a thread that did not print it"]
        if serial and not ev.get("partial"):  # (the end of a run drains partial lines from whichever thread
            # ends it, maybe while another still prints: those are checked in their own thread's order only)
            while at < len(sequence) and sequence[at] != (tid, stream, text):
                at += 1
            found = at < len(sequence)
            at += found
        else:
            found = _match_next(obs.lines.get(tid, []), position, tid, stream, text)
        if not found:
            if capped:
                return []  # the observer stopped recording, or a stream reached its limit: not checkable
            return [f"recorded the line {_quote(text)}, which was never written in that order by that thread"]
    return []


def _observed_in_order(obs: Observation, family: list[int]) -> list[tuple[int, str, str]]:
    """Every line the threads of ``family``'s processes wrote, in the order they were written."""
    members = set(family)
    return [line for line in obs.sequence if obs.process.get(line[0]) in members]


def _match_next(lines: list[tuple[str, str]], seen: dict[int, int], tid: int, stream: str, text: str) -> bool:
    """Advance past the next observed line of ``tid`` equal to ``(stream, text)``; False when there is none."""
    for at in range(seen[tid], len(lines)):
        if lines[at] == (stream, text):
            seen[tid] = at + 1
            return True
    return False


def _readable(text: str, max_string: int) -> str:
    """The part of a trace line the judge can compare: up to the marker ``reading`` adds when it cut one."""
    marker = reading.CUT_MARKER.split("{", 1)[0]
    return text.split(marker, 1)[0][:max_string]


def _quote(text: str) -> str:
    return repr(text if len(text) <= 60 else text[:57] + "...")
