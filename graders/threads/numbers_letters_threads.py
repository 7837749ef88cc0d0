"""Grader for threads/numbers_letters_threads: two workers at the same time, both waited for, then Done!."""

from coursekit import checks
from coursekit.grading import Grader

grader = Grader(
    checks=checks.STANDARD,
    call="main",
)
