"""The standard library's own time functions (and ``os.fork``), captured before any engine replaces them.

Why one module: every engine patches ``time.sleep`` and the clocks, and every engine still needs the real ones
(for its watchdog, for short real waits, for the standard library's own timeouts).  Capturing them in each
engine module made the result depend on which module was imported first; here they are captured once, at the
first import of the child side, which the harness does before it installs anything.
"""

from __future__ import annotations

import os
import time

fork = os.fork  # the harness forks one copy per schedule; a threads exercise replaces os.fork to refuse it
sleep = time.sleep
monotonic = time.monotonic
process_time = time.process_time
