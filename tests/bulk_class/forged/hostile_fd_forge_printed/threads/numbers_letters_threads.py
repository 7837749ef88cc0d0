"""Class 1, printed: the fake run of hostile_fd_forge, but this one also prints every line of it, from its own
main thread and in the fake's order (os.write, so no line event of the kit's), and stamps every line of the
fake with that thread's id.  Its output is the reference's, line for line.

Stopped from outside the run: the fake says the workers' lines came from worker threads, and the only thread
that wrote anything is main (a worker's line on the process's main thread)."""
import json
import os
import sys
import threading


FAKE_RUNS = {}  # schedule spec -> the events a run of the reference writes after main() starts (filled in)


def current_schedule():
    frame = sys._getframe()
    while frame is not None:
        value = frame.f_locals.get("schedule")
        if isinstance(value, str) and value in FAKE_RUNS:
            return value
        frame = frame.f_back
    return next(iter(FAKE_RUNS), "")


def write_fake(fake):
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


def say(event):
    os.write(2 if event.get("stream") == "err" else 1, (event.get("text", "") + "\n").encode())


def main():
    fake = FAKE_RUNS.get(current_schedule(), [])
    me = threading.get_native_id()
    for event in fake:
        if event.get("e") == "line":
            event["tid"] = me
            say(event)
    write_fake(fake)
    os._exit(0)
