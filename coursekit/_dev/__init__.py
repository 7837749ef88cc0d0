"""Instructor tools behind ``course dev check`` and ``course new`` (private: the CLI is the interface).

- ``_layout``: the registry and the files agree (every entry has its files and hints, no stray file).
- ``_catalogue``: every stub fails, every solution passes, every catalogue entry gets its intended verdict
  (the same logic ``tests/test_catalogue.py`` uses).
- ``_mutants``: concurrency mutants derived from a reference solution's syntax tree, graded to find the
  classic mistakes a grader lets through.
- ``_scaffold``: a new exercise (stub, solution, grader, registry entry) from the templates in
  ``coursekit/_templates/``.
- ``_check``: runs all of the above and gathers the problems; presentation is in ``coursekit/_cli/dev.py``.
"""
