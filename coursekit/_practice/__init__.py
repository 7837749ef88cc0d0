"""The model behind the student commands (``course list/next/check/hint/watch/reset/solution``).

Kept apart from their presentation (``coursekit._cli.practice``, ``coursekit._cli.watch``) so that each piece is
small and testable: ``checking`` (grade, record the outcome, what "solved" means, the next hint), ``progress``
(what a learner has done, in one file in the course root), ``select`` (which exercises words on a command line
name, for every command of the kit; which one is next), ``stubs`` (pristine stubs, reset with a backup, the lesson
of a stub), ``watching`` (file events and key presses for watch mode).  Nothing here is needed for grading.
"""
