"""The judge side: runs student code only in supervised child processes, and reads what they leave behind.

* ``runner``, ``supervise``, ``sandbox``: start the harness under a supervisor (limits, clean-up) inside the
  strongest isolation the machine allows, and bring back the raw trace; ``warm`` and ``zygote``: the warm start,
  supervisors and harnesses forked from one interpreter that has imported the harness (``zygote`` is the one
  module here that imports the harness: its process becomes the runs); ``observe``: the observer outside the
  run (ptrace and a seccomp filter: which threads and processes existed, what each wrote), loaded by path by
  the supervisor; ``corroborate``: the trace checked against what the observer saw;
* ``timeline``: the run model built from a trace (contexts, lines, waits, joins), the one input of every check;
* ``diagnose``: findings (the likely mistake, with advice) drawn from a timeline, one detector per kind;
  ``findings`` (the ``Finding`` type), ``moments`` (tolerances, seconds) and ``pairing`` (matching the lines of
  two runs) are pure, for the checks;
* ``picture``: the failure picture as data (lanes, lines, the first divergence), drawn by ``coursekit._view``;
* ``messages``: the words of a failure message; ``exploring``: what an explored schedule did, in words.

It may import ``coursekit._engine.trace``, ``coursekit._engine.events``, ``coursekit._engine.replay``,
``coursekit._engine.processes.schedule`` and ``coursekit._engine.exploration`` (pure data and functions),
``coursekit.registry``, ``coursekit.models``
and ``coursekit.results``; never a view or a feature.  ``supervise.py`` is run by path with ``-I -S`` and
imports nothing of the kit (nor do ``platform.py`` and ``observe.py``, which it loads by path).
"""
