"""Exactly-once processing: every item the reference processed is processed once, no item twice or never.

Items are read from the printed lines with a regular expression whose first group is the item
(``ProcessedOnce(r"processed (\\d+)")``); which items there are comes from the reference run.
"""

from __future__ import annotations

import re
from collections import Counter

from coursekit._judge.diagnose import Finding, diagnose
from coursekit._judge.timeline import Timeline
from coursekit.checks._core import OK, RUN_FINDINGS, Check, Verdict


class ProcessedOnce(Check):
    name = "processed_once"
    title = "every item is processed exactly once"

    def __init__(self, pattern: str, item: str = "item") -> None:
        self.pattern = re.compile(pattern)
        if self.pattern.groups < 1:
            raise ValueError(f"ProcessedOnce({pattern!r}): the pattern needs a group that captures the item")
        self.item = item

    def _count(self, tl: Timeline) -> Counter[str]:
        out: Counter[str] = Counter()
        for line in tl.lines:
            m = self.pattern.search(line.text)
            if m:
                out[m.group(1)] += 1
        return out

    def evaluate(self, observed: Timeline, expected: Timeline) -> Verdict:
        want, got = self._count(expected), self._count(observed)
        twice = sorted(k for k in got if got[k] > want.get(k, 0) and k in want)
        never = [k for k in want if got.get(k, 0) < want[k]]
        unknown = sorted(k for k in got if k not in want)
        if not twice and not never and not unknown:
            return OK
        parts = []
        if twice:
            parts.append(f"{self.item} {twice[0]} was processed {got[twice[0]]} times"
                         + (f" ({len(twice)} {self.item}s more than once)" if len(twice) > 1 else ""))
        if never:
            parts.append(f"{self.item} {never[0]} was never processed"
                         + (f" ({len(never)} {self.item}s missing)" if len(never) > 1 else ""))
        if unknown:
            parts.append(f"{self.item} {unknown[0]} was processed, but there is no such {self.item}")
        msg = "; ".join(parts) + f". Each {self.item} must be processed exactly once."
        findings = diagnose(observed, only=RUN_FINDINGS | {"pending-task", "deadlock"})
        if never and not findings:
            findings = [Finding("lost-items", "", "Keep the workers running until every item has been taken and "
                                "finished (queue.join() waits for task_done() on each), and only then stop them.")]
        elif twice and not findings:
            findings = [Finding("duplicate-items", "", "Each item must be taken from the queue by one worker only: "
                                "get() it once, process it once, call task_done() once.")]
        return Verdict(False, msg, findings, show_timeline=True)

    def __repr__(self) -> str:
        return f"ProcessedOnce({self.pattern.pattern!r})"
