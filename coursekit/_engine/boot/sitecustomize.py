"""Loaded by every Python process that a processes-model harness starts (fork, spawn and forkserver alike).

It is on the child environment's ``PYTHONPATH`` only for runs of the grader, and does nothing unless the
harness asked for it, so that a helper process (the resource tracker, the fork server) is observed too.
"""

import os

if os.environ.get("COURSEKIT_PROCESS_TRACE"):
    from coursekit._engine.processes import lifecycle

    lifecycle.install_from_environment()
if os.environ.get("COURSEKIT_GUARD"):  # bulk grading: the audit guard (_engine/guard.py), in every interpreter
    from coursekit._engine import guard

    guard.install_from_environment()
