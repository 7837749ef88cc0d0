"""Bulk grading for instructors: a whole class in one command (``course grade``), and a Gradescope export.

Private package behind ``coursekit/_cli/grade.py``, one idea per module: ``intake`` reads submissions,
``grade_class`` grades them (sandboxed, in parallel, cached), ``gradebook`` and ``report`` write the results,
``shards`` splits a class into deterministic shards and merges their results, ``jobs`` writes the batch-system
job definitions (Kubernetes, Slurm, GitHub Actions), ``lms`` matches a roster and writes the Canvas and Moodle
gradebooks, ``classroom`` is the GitHub Classroom export, ``gradescope`` builds and runs the Gradescope autograder.
"""

from coursekit._bulk.grade_class import BulkError, ClassResult, StudentResult, grade_class
from coursekit._bulk.gradebook import write_all
from coursekit._bulk.report import write_report

__all__ = ["BulkError", "ClassResult", "StudentResult", "grade_class", "write_all", "write_report"]
