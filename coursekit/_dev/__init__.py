"""Instructor tools behind ``course dev check`` and ``course new`` (private: the CLI is the interface).

- ``layout``: the registry and the files agree (every entry has its files and hints, no stray file), and every
  stub has a ``TODO`` marker and gives the reference solution's own code.
- ``catalogue``: every stub fails, every solution passes, every catalogue entry gets its intended verdict
  (the same logic ``tests/test_catalogue.py`` uses).
- ``determinism``: every reference solution behaves the same in repeated runs (``behaviour`` says what
  "the same" means; mutants use it too).
- ``mutate`` makes concurrency mutants from a reference solution's syntax tree; ``mutants`` grades them to
  find the classic mistakes a grader lets through, and sorts them by ``MutantVerdict``.
- ``scaffold``: a new exercise (stub, solution, grader, registry entry) from the templates in
  ``coursekit/_templates/``.
- ``course_check``: runs all of the above and gathers the problems; presentation is in ``coursekit/_cli/dev.py``.

``course.toml`` is read by ``coursekit.registry`` alone (``accept_mutants`` included); nothing here re-reads it.
"""
