"""``python -m coursekit._nbgrader.grade COURSE_DIR EXERCISE_ID MODULE``: the grade cells' fresh interpreter.

Grades MODULE as EXERCISE_ID of the course in COURSE_DIR with ``grading.grade_exercise`` (the same call as
``course check`` and ``pytest exercises/``) and prints ``ExerciseResult.to_dict()`` as JSON on stdout.  Exit
status 2 with a one-line reason on stderr when the course or its grader is broken (never the student's fault).
"""

from __future__ import annotations

import contextlib
import json
import sys
from pathlib import Path

from coursekit.grading import GraderError, grade_exercise
from coursekit.registry import RegistryError, load_course


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print("usage: python -m coursekit._nbgrader.grade COURSE_DIR EXERCISE_ID MODULE", file=sys.stderr)
        return 2
    root, exercise_id, module = Path(argv[0]), argv[1], Path(argv[2])
    try:
        with contextlib.redirect_stdout(sys.stderr):  # stdout carries the JSON alone, whatever a grader prints
            course = load_course(root)
            exercise = course.get(exercise_id)
            result = grade_exercise(exercise, module)
    except KeyError:
        print(f"{root / 'course.toml'} lists no exercise {exercise_id!r}: rebuild with course nbgrader build",
              file=sys.stderr)
        return 2
    except (RegistryError, GraderError, OSError) as exc:
        print(f"{type(exc).__name__}: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(result.to_dict()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
