"""Class 1 (the trace is the student's to write): writes a complete fake run of the reference into its own
trace file through the descriptor the kit's writer holds open (found in /proc/self/fd), and the guard's final
record the same way, then ends at once.  No thread is started and nothing is printed; no audited call is made
(os.write raises no audit event; frames are read, not walked with gc).

The fake runs are one per schedule, copied from runs of the reference on the student's own machine (the kit
is public); which schedule this copy runs is read from the harness's frame.  tests/test_bulk.py fills
FAKE_RUNS from the current kit (a student would regenerate them the same way after each kit release), for
every exercise it forges.

Stopped by facts seen from outside the run (coursekit/_judge/observe.py): the fake's lines name threads that
never existed, and no thread wrote them."""
import json
import os
import sys

FAKE_RUNS = {}  # schedule spec -> the events a run of the reference writes after main() starts


def current_schedule():
    frame = sys._getframe()
    while frame is not None:
        value = frame.f_locals.get("schedule")
        if isinstance(value, str) and value in FAKE_RUNS:
            return value
        frame = frame.f_back
    return next(iter(FAKE_RUNS), "")


def main():
    fake = FAKE_RUNS.get(current_schedule(), [])
    for fd in range(3, 256):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        if target.endswith("/guard.jsonl"):
            os.write(fd, (json.dumps({"final": True, "pid": os.getpid(), "changed": 0}) + "\n").encode())
        elif target.endswith(f"/{os.getpid()}.jsonl"):
            for event in fake:
                os.write(fd, (json.dumps(event) + "\n").encode())
    os._exit(0)
