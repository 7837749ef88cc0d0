"""The kit's fingerprint: a digest of its source (its ``__init__.py``, and so its version, included).

Why: anything kept from an earlier grading (bulk grading's cached verdicts, a learner's stored reference runs)
was made by some version of the kit; any change to the kit must make it stale, so every store keys on this.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent  # the coursekit package


@functools.lru_cache(maxsize=1)
def kit_fingerprint() -> str:
    digest = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*.py")):
        digest.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()
