"""The child side: the code that runs inside the student's interpreter, and nothing else.

Everything here is installed before the student's module is imported, in every interpreter of the run's process
tree (the harness for the first one, ``boot/sitecustomize.py`` for the children), so the rules are strict:

* it imports only the standard library and ``coursekit._engine`` itself: never the judge (``coursekit._judge``),
  the checks, the views or the features. ``tests/test_layout.py`` enforces this;
* it never trusts, and is never trusted by, the student's code beside it: what it writes (the trace) is read by
  the judge as a claim to be checked, not as a fact.

Layout, one idea per module:

* ``harness``: the entry point (``python -m coursekit._engine.harness SPEC.json``): installs an engine, imports the
  student's module, calls its entry point, reports;
* ``models``: one ``Engine`` per concurrency model, chosen by name in one place;
* ``scheduler``, ``threads``, ``event_loop``: virtual time for threads, and asyncio's loop on that scheduler;
* ``processes/``: logical clocks across a process tree (``clock``, ``peers``, ``lifecycle``, ``pools``,
  ``messages``, ``watchdog``);
* ``events``, ``trace``, ``probe``, ``output``: what is recorded (typed event kinds, context ids), the trace
  writer, the probe that stamps events, the line tee over stdout and stderr;
* ``guard``: the audit-hook tripwire of bulk grading; ``replay``: a pure replay of shared-value updates, which
  the judge imports too.
"""
