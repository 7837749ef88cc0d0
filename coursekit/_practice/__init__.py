"""The model behind the student commands (``course list/next/check/hint/watch/reset/solution``).

Kept apart from their presentation (``coursekit._cli.practice``) so that each piece is small and testable:
``progress`` (what a learner has done, in one file in the course root), ``select`` (which exercise a word on the
command line names, which one is next), ``stubs`` (pristine stubs, reset with a backup, the lesson of a stub),
``watching`` (file events and key presses for watch mode).  Nothing here is needed for grading.
"""
