"""Grader for threads/numbers_letters_threads: two workers at the same time, both waited for, then Done!."""

from coursekit import checks
from coursekit.grading import Grader

grader = Grader(
    checks=(
        checks.Runs(),
        checks.Output(),
        checks.Timing(),
        checks.Order(),
        checks.Model(),
        checks.Overlap(),
        checks.Join(),
    ),
    call="main",
)
