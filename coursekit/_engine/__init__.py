"""The child side: the code that runs inside the student's interpreter, and nothing else.

Everything here is installed before the student's module is imported, in every interpreter of the run's process
tree (the harness for the first one, ``boot/sitecustomize.py`` for the children), so the rules are strict:

* it imports only the standard library, ``coursekit._engine`` itself and ``coursekit.models`` (pure data): never
  the judge (``coursekit._judge``), the checks, the views or the features. ``tests/test_layout.py`` enforces this;
* it never trusts, and is never trusted by, the student's code beside it: what it writes (the trace) is read by
  the judge as a claim to be checked, not as a fact.

Layout, one idea per module:

* ``harness``: the entry point (``python -m coursekit._engine.harness SPEC.json``): installs an engine, imports the
  student's module, calls its entry point, reports;
* ``engines``: one ``Engine`` per concurrency model (the harness's only interface to them), chosen by name in
  one place from ``coursekit.models``;
* ``scheduler``, ``threads``, ``event_loop``: virtual time for threads, and asyncio's loop on that scheduler;
* ``exploration``, ``preempt``: the schedules a submission runs under (pure: the judge imports it too), and the
  preemption points put in the student's code for the explored ones;
* ``processes/``: logical clocks across a process tree (``clock``, ``peers``, ``lifecycle``, ``pools``,
  ``schedule``, ``messages``, ``watchdog``, ``arbiter``);
* ``events``, ``trace``, ``probe``, ``output``: what is recorded (typed event kinds, context ids, waits, problem
  kinds), the trace writer and readers, the probe that stamps events, the line tee over stdout and stderr;
* ``real``, ``arguments``, ``targets``: the standard library's own clocks, captured once; argument checks the
  replaced calls share; the name of what a thread, process or pool call runs;
* ``guard``: the audit-hook tripwire of bulk grading; ``replay`` and ``processes/schedule``: pure functions the
  judge imports too (a replay of shared-value updates, the ideal schedule of a pool); ``wallclock``: the wall-clock
  readers that follow the virtual clock.
"""
