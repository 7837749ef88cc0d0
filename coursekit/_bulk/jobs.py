"""Job definitions for grading a class in shards on a batch system the instructor already has.

``course export kubernetes|slurm|github-actions --out DIR --shards N`` writes files that run N copies of
``course grade SUBMISSIONS --out SHARDS/shard-K --shard N`` (each reading its index from the engine's own
variable, 0-based) and then one ``course grade merge``.  The kit depends on none of these systems: the files are
text made here from templates (kept in code, so the installed package needs no data files).

Each file says, in comments, which isolation level the sandbox reaches there (``coursekit/_judge/supervise.py``):
``namespaces`` needs root *with* CAP_SYS_ADMIN (``unshare(CLONE_NEWNS | CLONE_NEWNET)`` and ``mount``); ``uid``
needs root with CAP_SETUID/CAP_SETGID/CAP_CHOWN only; ``userns-root`` and ``userns`` need a kernel (and a seccomp
profile) that lets an unprivileged process create a user namespace; ``limits`` is always there.  The level a
run really got is in every ``results.json`` (``extra_data.protections``) and in ``report.html``.
"""

from __future__ import annotations

import enum
import shlex
from dataclasses import dataclass
from pathlib import Path

from coursekit.registry import Course

GITHUB_MAX_JOBS = 256  # a workflow run's matrix may make at most 256 jobs (GitHub Actions documentation)
COURSE_FILES = ("pyproject.toml", "README.md", "course.toml", "conftest.py")
COURSE_DIRS = ("coursekit", "exercises", "solutions", "graders")


class Engine(enum.Enum):
    KUBERNETES = "kubernetes"
    SLURM = "slurm"
    GITHUB_ACTIONS = "github-actions"


class JobsError(ValueError):
    """Settings an engine cannot take (names the value and the limit)."""


@dataclass(frozen=True)
class JobSettings:
    shards: int = 4
    image: str = "coursekit-grader:latest"  # Kubernetes: the image built from the exported Dockerfile
    python: str = "3.12"  # GitHub Actions: the interpreter setup-python installs
    cpus: int = 2  # per shard: --jobs, and what the engine reserves

    def check(self, engine: Engine) -> None:
        if self.shards < 1:
            raise JobsError(f"--shards {self.shards}: at least 1 shard")
        if engine is Engine.GITHUB_ACTIONS and self.shards > GITHUB_MAX_JOBS:
            raise JobsError(f"--shards {self.shards}: a GitHub Actions matrix makes at most {GITHUB_MAX_JOBS} jobs")


ISOLATION_KUBERNETES = """\
# Isolation (coursekit/_judge/supervise.py): the container runs as root (the image's default user), but a pod
# does not get CAP_SYS_ADMIN by default, and the sandbox's strongest level, "namespaces", needs it
# (unshare(CLONE_NEWNS|CLONE_NEWNET) and mount(): "unshare: Operation not permitted"). Every run therefore
# falls back to level "uid": its own unprivileged uid (CAP_SETUID/CAP_SETGID/CAP_CHOWN are default
# capabilities), the memory, file-size and process limits, the audit guard; the network is NOT cut off and the
# pod's file system is visible as file permissions allow, which is why the command runs with umask 077 and makes
# /course and /data readable by root only. "uid" needs an interpreter every user may run (python:*-slim has it
# in /usr/local); an interpreter under a private folder (/root) drops the runs to "limits".
# A pod that runs as non-root (runAsNonRoot, the "restricted" Pod Security Standard with its RuntimeDefault
# seccomp profile) cannot create user namespaces either and falls to "limits" only. To get "namespaces" (own root
# directory, no network), add capabilities: {add: [SYS_ADMIN]} and seccompProfile: {type: Unconfined} to the
# container's securityContext: it widens what the pod itself may do, so use a dedicated node pool.
# Each results.json (extra_data.protections) and report.html say which level the runs really had.
"""

ISOLATION_SLURM = """\
# Isolation (coursekit/_judge/supervise.py): Slurm runs the job as you, not root, so the sandbox tries
# "userns-root" (its own root directory and no network, inside an unprivileged user namespace, as bubblewrap
# does), then "userns" (no network), then "limits" (resource limits and the audit guard only). Which one applies
# depends on the compute nodes' kernel: user.max_user_namespaces > 0, and on Ubuntu >= 23.10
# kernel.apparmor_restrict_unprivileged_userns = 0. Each results.json (extra_data.protections) and report.html
# say which level the runs really had. Slurm's cgroups enforce --mem and --cpus-per-task on top.
"""

ISOLATION_GITHUB = """\
# Isolation (coursekit/_judge/supervise.py): a GitHub-hosted runner is a fresh VM per job whose user has
# passwordless sudo, so the shard is graded as root: level "namespaces" (each run in its own root directory with
# no network, as its own unprivileged uid, with limits). Without sudo it would be the "runner" user, and Ubuntu
# 24.04 restricts unprivileged user namespaces (kernel.apparmor_restrict_unprivileged_userns), so the runs would
# fall to "limits". Each results.json (extra_data.protections) and report.html say which level the runs really had.
"""


def render(engine: Engine, course: Course, settings: JobSettings) -> dict[str, str]:
    """The files of ``engine``'s job definitions: relative path -> text."""
    settings.check(engine)
    if engine is Engine.KUBERNETES:
        return kubernetes(course, settings)
    if engine is Engine.SLURM:
        return slurm(settings)
    return github_actions(settings)


def write(engine: Engine, course: Course, settings: JobSettings, out: Path) -> list[Path]:
    written = []
    for rel, text in render(engine, course, settings).items():
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        if rel.endswith(".sh") or rel.endswith(".sbatch"):
            path.chmod(0o755)
        written.append(path)
    return written


# -- Kubernetes -------------------------------------------------------------------------------------------------
def kubernetes(course: Course, s: JobSettings) -> dict[str, str]:
    copies = [f"COPY {name} ./{name}" for name in COURSE_FILES if (course.root / name).is_file()]
    copies += [f"COPY {name} ./{name}" for name in COURSE_DIRS if (course.root / name).is_dir()]
    dockerfile = f"""\
# The grading image: the kit and the course (solutions and graders: keep this image in a private registry).
# Build it in the course folder (DIR: the folder of this file):  docker build -f DIR/Dockerfile -t {s.image} .
# then push it to a registry the cluster pulls from, and name it in grade-job.yaml and merge-job.yaml.
FROM python:{s.python}-slim
WORKDIR /course
{chr(10).join(copies)}
RUN python -m pip install --no-cache-dir . && chmod -R go-rwx /course
"""
    grade = (f"umask 077 && chmod 700 /data && mkdir -p /data/shards && "
             f"exec course grade /data/submissions --out /data/shards/shard-$JOB_COMPLETION_INDEX "
             f"--shard {s.shards} --jobs {s.cpus}")
    merge = ("umask 077 && exec course grade merge /data/shards/shard-* --out /data/results")
    volume = """\
      volumes:
        - name: data
          persistentVolumeClaim:
            claimName: coursekit-data"""
    job = f"""\
# Kubernetes Indexed Job: {s.shards} pods, each grading one shard of the class; the controller gives each pod its
# index (0 to {s.shards - 1}) in JOB_COMPLETION_INDEX, which `course grade --shard {s.shards}` reads.
# Submissions are read from the shared volume at /data/submissions; each shard writes /data/shards/shard-K.
{ISOLATION_KUBERNETES}apiVersion: batch/v1
kind: Job
metadata:
  name: coursekit-grade
spec:
  completionMode: Indexed
  completions: {s.shards}
  parallelism: {s.shards}
  backoffLimit: {max(6, s.shards)}
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: grade
          image: {s.image}
          workingDir: /course
          command: ["sh", "-c", {_yaml_str(grade)}]
          resources:
            requests: {{cpu: "{s.cpus}", memory: "{s.cpus + 1}Gi"}}
            limits: {{memory: "{2 * s.cpus + 1}Gi"}}
          volumeMounts:
            - name: data
              mountPath: /data
{volume}
"""
    merge_job = f"""\
# Kubernetes Job run after coursekit-grade completed (run.sh waits for it): joins the shards into /data/results,
# byte for byte what one unsharded `course grade` writes. It grades nothing, so it needs no sandbox.
apiVersion: batch/v1
kind: Job
metadata:
  name: coursekit-merge
spec:
  backoffLimit: 2
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: merge
          image: {s.image}
          workingDir: /course
          command: ["sh", "-c", {_yaml_str(merge)}]
          volumeMounts:
            - name: data
              mountPath: /data
{volume}
"""
    pvc = """\
# The volume every pod shares: /data/submissions (copy the class's submissions here first), /data/shards, and
# /data/results. It must be ReadWriteMany for pods on several nodes (NFS, CephFS, a cloud file store).
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: coursekit-data
spec:
  accessModes: [ReadWriteMany]
  resources:
    requests:
      storage: 10Gi
"""
    run = f"""\
#!/usr/bin/env bash
# Grade the class on Kubernetes: the Indexed Job ({s.shards} shards), then the merge Job once every shard succeeded.
# Kubernetes has no dependency between Jobs, so this script waits for the first before starting the second.
set -euo pipefail
cd "$(dirname "$0")"
kubectl apply -f pvc.yaml
kubectl apply -f grade-job.yaml
kubectl wait --for=condition=complete --timeout=24h job/coursekit-grade
kubectl apply -f merge-job.yaml
kubectl wait --for=condition=complete --timeout=2h job/coursekit-merge
echo "graded: the class's results are in /data/results on the coursekit-data volume"
"""
    return {"Dockerfile": dockerfile, "pvc.yaml": pvc, "grade-job.yaml": job, "merge-job.yaml": merge_job,
            "run.sh": run}


def _yaml_str(text: str) -> str:
    """A YAML double-quoted scalar (JSON's string syntax is a subset of YAML's)."""
    import json

    return json.dumps(text)


# -- Slurm ------------------------------------------------------------------------------------------------------
SLURM_ENV = """\
COURSE_DIR="${COURSE_DIR:-$SLURM_SUBMIT_DIR}"    # the course folder (course.toml), on a shared file system
SUBMISSIONS="${SUBMISSIONS:-$COURSE_DIR/submissions}"
SHARDS="${SHARDS:-$COURSE_DIR/shards}"
RESULTS="${RESULTS:-$COURSE_DIR/results}"
# a venv with the kit, made once in the course folder: python3.11 -m venv .venv && .venv/bin/pip install .
COURSEKIT_VENV="${COURSEKIT_VENV:-$COURSE_DIR/.venv}"
cd "$COURSE_DIR"
# shellcheck disable=SC1091
source "$COURSEKIT_VENV/bin/activate"
"""


def slurm(s: JobSettings) -> dict[str, str]:
    grade = f"""\
#!/usr/bin/env bash
# Slurm job array: {s.shards} tasks, each grading one shard of the class; Slurm gives each task its index in
# SLURM_ARRAY_TASK_ID (0 to {s.shards - 1}, from --array below), which `course grade --shard {s.shards}` reads.
{ISOLATION_SLURM}#SBATCH --job-name=coursekit-grade
#SBATCH --array=0-{s.shards - 1}
#SBATCH --cpus-per-task={s.cpus}
#SBATCH --mem={s.cpus + 1}G
#SBATCH --time=04:00:00
#SBATCH --output=coursekit-grade-%A_%a.out
set -euo pipefail
{SLURM_ENV}mkdir -p "$SHARDS"
exec course grade "$SUBMISSIONS" --out "$SHARDS/shard-$SLURM_ARRAY_TASK_ID" --shard {s.shards} \\
  --jobs "${{SLURM_CPUS_PER_TASK:-{s.cpus}}}"
"""
    merge = f"""\
#!/usr/bin/env bash
# Slurm job that joins the {s.shards} shards into the class's results; submit.sh starts it with
# --dependency=afterok on the array, so it runs only once every shard succeeded. It grades nothing.
#SBATCH --job-name=coursekit-merge
#SBATCH --cpus-per-task=1
#SBATCH --mem=2G
#SBATCH --time=01:00:00
#SBATCH --output=coursekit-merge-%j.out
set -euo pipefail
{SLURM_ENV}exec course grade merge "$SHARDS"/shard-* --out "$RESULTS"
"""
    submit = """\
#!/usr/bin/env bash
# Submit the grading array, then the merge job, which waits for every task of the array (afterok).
# Run it in the course folder: bash slurm/submit.sh (the variables of grade.sbatch can be set before).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
array="$(sbatch --parsable "$here/grade.sbatch")"
merge="$(sbatch --parsable --dependency=afterok:"${array%%;*}" "$here/merge.sbatch")"
echo "grading: job array ${array%%;*}; merge: job ${merge%%;*} (runs after every shard succeeded)"
"""
    return {"grade.sbatch": grade, "merge.sbatch": merge, "submit.sh": submit}


# -- GitHub Actions ---------------------------------------------------------------------------------------------
def github_actions(s: JobSettings) -> dict[str, str]:
    shards = ", ".join(str(k) for k in range(s.shards))
    setup = f"""\
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "{s.python}"
      - name: Install the kit
        run: python -m pip install ."""
    workflow = f"""\
# GitHub Actions: grade the class in {s.shards} shards (a matrix job each), then merge them.
# Run it from the Actions tab (workflow_dispatch) in the (private) course repository that holds the
# submissions folder. There is no built-in matrix index variable, so each job sets COURSEKIT_SHARD_INDEX from its
# matrix value (0 to {s.shards - 1}), which `course grade --shard {s.shards}` reads. At most {GITHUB_MAX_JOBS} shards.
{ISOLATION_GITHUB}name: Grade the class
on:
  workflow_dispatch:
    inputs:
      submissions:
        description: The submissions folder in this repository
        default: submissions
permissions:
  contents: read
jobs:
  grade:
    runs-on: ubuntu-24.04
    strategy:
      fail-fast: false
      matrix:
        shard: [{shards}]
    steps:
{setup}
      - name: Grade shard ${{{{ matrix.shard }}}} of {s.shards}
        env:
          COURSEKIT_SHARD_INDEX: ${{{{ matrix.shard }}}}
          SUBMISSIONS: ${{{{ inputs.submissions }}}}
        run: |
          sudo --preserve-env=COURSEKIT_SHARD_INDEX "$(command -v course)" grade "$SUBMISSIONS" \\
            --out "shards/shard-$COURSEKIT_SHARD_INDEX" --shard {s.shards}
      - uses: actions/upload-artifact@v4
        with:
          name: shard-${{{{ matrix.shard }}}}
          path: shards/shard-${{{{ matrix.shard }}}}
          include-hidden-files: true  # the verdict cache is RESULTS/.cache
          if-no-files-found: error
  merge:
    needs: grade
    runs-on: ubuntu-24.04
    steps:
{setup}
      - uses: actions/download-artifact@v4
        with:
          pattern: shard-*
          path: shards
      - name: Merge the shards
        run: course grade merge shards/shard-* --out results
      - uses: actions/upload-artifact@v4
        with:
          name: results
          path: results
          include-hidden-files: true
"""
    return {".github/workflows/grade-class.yml": workflow}


def describe(engine: Engine, written: list[Path]) -> str:
    """One line for the instructor: what to run next."""
    names = ", ".join(shlex.quote(str(p)) for p in written)
    if engine is Engine.KUBERNETES:
        return f"wrote {names}: build and push the image (see Dockerfile), then bash run.sh"
    if engine is Engine.SLURM:
        return f"wrote {names}: run bash submit.sh from the course folder on a login node"
    return f"wrote {names}: commit it to the course repository and run it from the Actions tab"
