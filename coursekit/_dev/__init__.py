"""Instructor tools behind ``course dev check`` and ``course new`` (private: the CLI is the interface).

- ``_layout``: the registry and the files agree (every entry has its files and hints, no stray file).
- ``_catalogue``: every stub fails, every solution passes, every catalogue entry gets its intended verdict
  (the same logic ``tests/test_catalogue.py`` uses).
- ``_determinism``: every reference solution behaves the same in repeated runs (``_behaviour`` says what
  "the same" means; mutants use it too).
- ``_mutate`` makes concurrency mutants from a reference solution's syntax tree; ``_mutants`` grades them to
  find the classic mistakes a grader lets through.
- ``_scaffold``: a new exercise (stub, solution, grader, registry entry) from the templates in
  ``coursekit/_templates/``.
- ``_check``: runs all of the above and gathers the problems; presentation is in ``coursekit/_cli/dev.py``.
"""
