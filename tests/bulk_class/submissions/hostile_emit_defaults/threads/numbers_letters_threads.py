"""Class 1 (a reachable Probe.emit): takes the unwrapped Probe.emit from the guard wrapper's default argument
and stamps plain prints as a worker's lines, at whatever virtual time it likes, with no thread started."""
import sys


def main():
    probe = getattr(sys.stdout, "_probe", None)
    emit = type(probe).emit
    original = emit.__defaults__[0]  # the guard wrapper keeps the kit's own emit here
    t = 0.0
    for i, text in enumerate(["Number: 1", "Letter: a", "Number: 2", "Letter: b", "Number: 3", "Number: 4",
                              "Letter: c", "Number: 5", "Letter: d", "Letter: e"]):
        t += 0.75
        original(probe, "line", t=t, id="t1" if text.startswith("Number") else "t2", text=text, stream="out",
                 phase="main")
    print("Done!")
