"""Bulk grading for instructors: a whole class in one command (``course grade``), and a Gradescope export.

Private package behind ``coursekit/_cli/grade.py``: ``_intake`` reads submissions, ``_engine`` grades them
(sandboxed, in parallel, cached), ``_gradebook`` and ``_report`` write the results, ``_gradescope`` builds and
runs the Gradescope autograder.
"""

from coursekit._bulk.grade_class import BulkError, ClassResult, StudentResult, grade_class
from coursekit._bulk.gradebook import write_all
from coursekit._bulk.report import write_report

__all__ = ["BulkError", "ClassResult", "StudentResult", "grade_class", "write_all", "write_report"]
