"""Gradescope: build ``autograder.zip`` from the course, and grade one submission inside Gradescope.

Gradescope unpacks the zip into ``/autograder/source``, runs ``setup.sh`` once when it builds the image, then
for each submission runs ``run_autograder``, which calls ``python3 -m coursekit._bulk.gradescope /autograder``:
the files in ``/autograder/submission`` are graded by the same engine as ``course grade`` (a class of one
student), and ``/autograder/results/results.json`` is always written, even when the grader itself fails.
``COURSEKIT_AUTOGRADER_ROOT`` replaces ``/autograder`` (for tests) and ``COURSEKIT_PYTHON`` the interpreter.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import sys
import tempfile
import zipfile
from pathlib import Path

from coursekit.registry import Course, load_course

SETUP_SH = """#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder image: install the course kit.
set -euo pipefail
cd "$(dirname "$0")"
if ! python3 -c 'import sys; sys.exit(sys.version_info < (3, 10))' 2>/dev/null; then
  apt-get update && apt-get install -y python3 python3-pip python3-venv
fi
python3 -m pip install --no-cache-dir . || python3 -m pip install --no-cache-dir --break-system-packages .
"""

RUN_AUTOGRADER = """#!/usr/bin/env bash
# Gradescope runs this for each submission: grade /autograder/submission into /autograder/results/results.json.
ROOT="${COURSEKIT_AUTOGRADER_ROOT:-/autograder}"
PY="${COURSEKIT_PYTHON:-python3}"
cd "$ROOT/source" && exec "$PY" -m coursekit._bulk.gradescope "$ROOT"
"""

COURSE_FILES = ("course.toml", "pyproject.toml", "README.md", "conftest.py")
COURSE_DIRS = ("coursekit", "exercises", "solutions", "graders")


def build_zip(course: Course, out: Path) -> list[str]:
    """Write ``autograder.zip`` (the kit, the course, setup.sh, run_autograder); return the names it holds."""
    names: list[str] = []
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        def add(name: str, data: bytes, mode: int = 0o644) -> None:
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))  # the same course gives the same zip
            info.external_attr = (stat.S_IFREG | mode) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
            names.append(name)

        add("setup.sh", SETUP_SH.encode(), 0o755)
        add("run_autograder", RUN_AUTOGRADER.encode(), 0o755)
        for name in COURSE_FILES:
            if (course.root / name).is_file():
                add(name, (course.root / name).read_bytes())
        for folder in COURSE_DIRS:
            for path in sorted((course.root / folder).rglob("*")):
                rel = path.relative_to(course.root)
                if path.is_file() and not path.is_symlink() and "__pycache__" not in rel.parts \
                        and path.suffix != ".pyc":
                    add(rel.as_posix(), path.read_bytes())
    return names


def run(root: Path) -> int:
    """Grade ``root/submission`` into ``root/results/results.json``; always writes it, always returns 0."""
    from coursekit._bulk.grade_class import grade_class
    from coursekit._bulk.gradebook import gradescope_results, summary

    results_dir = root / "results"
    results_dir.mkdir(parents=True, exist_ok=True)
    try:
        course = load_course(root / "source")
        with tempfile.TemporaryDirectory(prefix="coursekit-gradescope-") as tmp:
            klass = Path(tmp) / "class"
            klass.mkdir()
            submission = root / "submission"
            if submission.is_dir():
                shutil.copytree(submission, klass / "submission", symlinks=True)
            else:
                (klass / "submission").mkdir()
            result = grade_class(course, klass, Path(tmp) / "out", match_names=True)
            student = result.students[0]
            data = gradescope_results(result, student)
            data["output"] = summary(result, student)  # each test carries its own failure message
            data["output_format"] = "md"
            del data["extra_data"]["student"]
    except Exception as exc:  # noqa: BLE001 - Gradescope must always get a results.json
        data = {"score": 0.0, "output": f"The autograder itself failed ({type(exc).__name__}: {exc}). This is not "
                "your fault: please tell your instructor.", "tests": [], "visibility": "visible"}
    tmp_path = results_dir / "results.json.tmp"
    tmp_path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(tmp_path, results_dir / "results.json")
    return 0


if __name__ == "__main__":
    sys.exit(run(Path(sys.argv[1] if len(sys.argv) > 1 else os.environ.get("COURSEKIT_AUTOGRADER_ROOT",
                                                                          "/autograder"))))
