"""Virtual time for ``multiprocessing`` and ``concurrent.futures``: logical clocks carried across a process tree.

Each process and thread keeps a logical clock (its starter's time plus its own sleeps); messages, locks and joins
carry clocks from one process to another.  The modules, in the order they depend on each other: ``clock`` (the
clocks and the run's state), ``peers`` (what other processes of the tree wrote), ``watchdog`` (busy loops and
deadlocks seen from ``/proc``, and the harness's own real waits), ``arbiter`` (who takes the next item of a
queue, a permit of a semaphore or a condition's lock: the taker earliest on logical time, decided on a board of
every thread's clock), ``messages`` (queues, pipes, locks, conditions, events, barriers, semaphores and shared
values on logical time), ``pools`` (pool calls on the ideal schedule of ``schedule``, a pure module the judge
imports too), ``lifecycle`` (``install``, and the ``Process`` and ``Thread`` patches).
"""
