"""Makes a folder tree 1,500 levels deep in its own folder, then returns without doing the exercise.

Cleaning up a run with shutil.rmtree recursed once per level and raised RecursionError (which ignore_errors does
not catch): the grader failed on the file and `course grade` exited 1.  (tests/test_bulk.py also hands in a
submission folder that deep.)
"""
import os


def main():
    fd = os.open(".", os.O_RDONLY)
    for _ in range(1500):  # each level made relative to the one above: no path ever gets long
        os.mkdir("d", dir_fd=fd)
        deeper = os.open("d", os.O_RDONLY, dir_fd=fd)
        os.close(fd)
        fd = deeper
    os.close(fd)
