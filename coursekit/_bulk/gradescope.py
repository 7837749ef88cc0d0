"""Gradescope: build ``autograder.zip`` from the course, and grade one submission inside Gradescope.

Gradescope unpacks the zip into ``/autograder/source``, runs ``setup.sh`` once when it builds the image (it
finds a Python >= 3.11, installing ``python3.11`` from universe on Ubuntu 22.04, and installs the kit into a
venv, ``/opt/coursekit-venv``: a venv, because Ubuntu 24.04's Python refuses ``pip install`` outside one), then
for each submission runs ``run_autograder``, which calls ``python3 -m coursekit._bulk.gradescope /autograder``:
the files in ``/autograder/submission`` are graded by the same engine as ``course grade`` (a class of one
student), and ``/autograder/results/results.json`` is always written, even when the grader itself fails.
``COURSEKIT_AUTOGRADER_ROOT`` replaces ``/autograder`` (for tests), ``COURSEKIT_PYTHON`` the interpreter and
``COURSEKIT_VENV`` the venv.
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

SETUP_SH = r"""#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder image: install the course kit into a venv.
# The kit needs Python >= 3.11.  Ubuntu 24.04 images ship 3.12 (only its venv package may be missing); Ubuntu
# 22.04 images ship 3.10, and python3.11 comes from 22.04's universe archive.  Pick the Ubuntu 24.04 base image.
#   bash setup.sh --check-python    print the interpreter that would be used (exit 3 if none is >= 3.11)
#   COURSEKIT_SETUP_DRY_RUN=1       print the commands that change the system instead of running them
set -euo pipefail
case "$0" in */*) cd "${0%/*}" ;; esac
VENV="${COURSEKIT_VENV:-/opt/coursekit-venv}"
OS_RELEASE="${COURSEKIT_OS_RELEASE:-/etc/os-release}"

run() {
  if [[ -n "${COURSEKIT_SETUP_DRY_RUN:-}" ]]; then echo "+ $*"; else "$@"; fi
}

# The first of these on PATH whose version is >= 3.11 (bash builtins only: no other tool is assumed).
find_python() {
  local py version major minor
  for py in python3 python3.13 python3.12 python3.11; do
    command -v "$py" >/dev/null 2>&1 || continue
    version="$("$py" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)" || continue
    major="${version%%.*}"; minor="${version#*.}"
    if [[ "$major" =~ ^[0-9]+$ && "$minor" =~ ^[0-9]+$ ]] && (( major > 3 || (major == 3 && minor >= 11) )); then
      command -v "$py"; return 0
    fi
  done
  return 1
}

ubuntu_version() {
  local ID="" VERSION_ID=""
  # shellcheck disable=SC1090
  [[ -r "$OS_RELEASE" ]] && . "$OS_RELEASE"
  [[ "$ID" == "ubuntu" ]] && echo "$VERSION_ID"
}

if [[ "${1:-}" == "--check-python" ]]; then
  if PY="$(find_python)"; then echo "$PY"; exit 0; fi
  echo "no Python >= 3.11 on PATH" >&2; exit 3
fi

if ! PY="$(find_python)"; then
  case "$(ubuntu_version || true)" in
    22.04)  # ships 3.10; universe has python3.11
      run apt-get update
      run apt-get install -y --no-install-recommends python3.11 python3.11-venv
      PY="$(command -v python3.11 || echo /usr/bin/python3.11)" ;;
    *)
      echo "setup.sh: no Python >= 3.11 here, and this image is not Ubuntu 22.04 (where python3.11 comes from" \
           "universe): choose Gradescope's Ubuntu 24.04 (Python 3.12) or 22.04 base image." >&2
      exit 1 ;;
  esac
fi
echo "setup.sh: using $PY ($("$PY" -c 'import sys; print(sys.version.split()[0])' 2>/dev/null || echo '?'))"
if ! run "$PY" -m venv "$VENV"; then
  # Debian and Ubuntu split venv (and ensurepip) into python3.X-venv
  run apt-get update
  run apt-get install -y --no-install-recommends "${PY##*/}-venv" \
    || run apt-get install -y --no-install-recommends python3-venv
  run "$PY" -m venv "$VENV"
fi
run "$VENV/bin/python" -m pip install --no-cache-dir .
"""

RUN_AUTOGRADER = """#!/usr/bin/env bash
# Gradescope runs this for each submission: grade /autograder/submission into /autograder/results/results.json.
ROOT="${COURSEKIT_AUTOGRADER_ROOT:-/autograder}"
VENV="${COURSEKIT_VENV:-/opt/coursekit-venv}"
if [ -n "${COURSEKIT_PYTHON:-}" ]; then PY="$COURSEKIT_PYTHON"
elif [ -x "$VENV/bin/python" ]; then PY="$VENV/bin/python"  # where setup.sh installed the kit
else PY=python3
fi
cd "$ROOT/source" && exec "$PY" -m coursekit._bulk.gradescope "$ROOT"{unsafe}
"""

COURSE_FILES = ("course.toml", "pyproject.toml", "README.md", "conftest.py")
COURSE_DIRS = ("coursekit", "exercises", "solutions", "graders")


def build_zip(course: Course, out: Path, *, unsafe: bool = False) -> list[str]:
    """Write ``autograder.zip`` (the kit, the course, setup.sh, run_autograder); return the names it holds.

    ``unsafe``: ``run_autograder`` passes ``--unsafe`` (grade even where student code would run as root)."""
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
        add("run_autograder", RUN_AUTOGRADER.replace("{unsafe}", " --unsafe" if unsafe else "").encode(), 0o755)
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


def run(root: Path, *, unsafe: bool = False) -> int:
    """Grade ``root/submission`` into ``root/results/results.json``; always writes it, always returns 0.

    Where student code would run as root (no other isolation), it is not run unless ``unsafe``: results.json then
    says why, for the instructor, and scores 0."""
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
            result = grade_class(course, klass, Path(tmp) / "out", match_names=True, unsafe=unsafe)
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
    _args = [a for a in sys.argv[1:] if a != "--unsafe"]
    sys.exit(run(Path(_args[0] if _args else os.environ.get("COURSEKIT_AUTOGRADER_ROOT", "/autograder")),
                 unsafe="--unsafe" in sys.argv[1:]))
