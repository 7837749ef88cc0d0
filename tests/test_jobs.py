"""`course export kubernetes|slurm|github-actions`: job definitions that grade in shards, then merge.

No cluster runs here: the YAML is parsed with PyYAML (the dev extra) and its structure checked against what
each system requires (Kubernetes batch/v1 Indexed Jobs, GitHub Actions workflow syntax); the Slurm scripts
go through `bash -n`.  The commands the files run are checked to be the kit's own (`--shard N` reading the
engine's index variable, `course grade merge` after).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

yaml = pytest.importorskip("yaml")

ROOT = Path(__file__).resolve().parent.parent


def export(engine: str, out: Path, *args: str) -> list[Path]:
    from coursekit.cli import main

    done = CliRunner().invoke(main, ["export", engine, "--out", str(out), *args])
    assert done.exit_code == 0, done.output
    return sorted(p for p in out.rglob("*") if p.is_file())


@pytest.fixture(autouse=True)
def _in_the_course(monkeypatch):
    monkeypatch.chdir(ROOT)


def test_kubernetes_indexed_job_then_merge(tmp_path):
    names = {p.name for p in export("kubernetes", tmp_path, "--shards", "5", "--image", "registry.example/ck:1")}
    assert names == {"Dockerfile", "pvc.yaml", "grade-job.yaml", "merge-job.yaml", "run.sh"}
    job = yaml.safe_load((tmp_path / "grade-job.yaml").read_text())
    assert job["apiVersion"] == "batch/v1" and job["kind"] == "Job"
    spec = job["spec"]
    assert spec["completionMode"] == "Indexed" and spec["completions"] == 5 and spec["parallelism"] == 5
    pod = spec["template"]["spec"]
    assert pod["restartPolicy"] in ("Never", "OnFailure")  # what a Job's pod template must say
    (container,) = pod["containers"]
    assert container["image"] == "registry.example/ck:1"
    command = " ".join(container["command"])
    assert "course grade /data/submissions" in command and "--shard 5" in command
    assert "shard-$JOB_COMPLETION_INDEX" in command and "--jobs 2" in command
    assert container["volumeMounts"][0]["mountPath"] == "/data"
    claim = pod["volumes"][0]["persistentVolumeClaim"]["claimName"]
    pvc = yaml.safe_load((tmp_path / "pvc.yaml").read_text())
    assert pvc["kind"] == "PersistentVolumeClaim" and pvc["metadata"]["name"] == claim
    assert "ReadWriteMany" in pvc["spec"]["accessModes"]
    merge = yaml.safe_load((tmp_path / "merge-job.yaml").read_text())
    assert merge["kind"] == "Job" and "completionMode" not in merge["spec"]
    merge_command = " ".join(merge["spec"]["template"]["spec"]["containers"][0]["command"])
    assert "course grade merge /data/shards/shard-* --out /data/results" in merge_command
    run = (tmp_path / "run.sh").read_text()
    assert run.index("grade-job.yaml") < run.index("condition=complete") < run.index("merge-job.yaml")
    assert subprocess.run(["bash", "-n", str(tmp_path / "run.sh")], check=False).returncode == 0
    text = (tmp_path / "grade-job.yaml").read_text()
    assert "CAP_SYS_ADMIN" in text and 'level "uid"' in text and '"limits"' in text  # the isolation it gets
    dockerfile = (tmp_path / "Dockerfile").read_text()
    assert "FROM python:3.12-slim" in dockerfile.splitlines()
    for folder in ("coursekit", "exercises", "solutions", "graders"):
        assert f"COPY {folder} ./{folder}" in dockerfile
    assert "COPY course.toml ./course.toml" in dockerfile and "submissions" not in dockerfile


def test_slurm_array_then_dependent_merge(tmp_path):
    export("slurm", tmp_path, "--shards", "6", "--cpus", "4")
    for name in ("grade.sbatch", "merge.sbatch", "submit.sh"):
        done = subprocess.run(["bash", "-n", str(tmp_path / name)], capture_output=True, text=True, check=False)
        assert done.returncode == 0, (name, done.stderr)
    grade = (tmp_path / "grade.sbatch").read_text()
    directives = dict(re.findall(r"^#SBATCH (--[a-z-]+)=(\S+)$", grade, re.MULTILINE))
    assert directives["--array"] == "0-5" and directives["--cpus-per-task"] == "4"
    first_command = next(i for i, line in enumerate(grade.splitlines()) if line and not line.startswith("#"))
    assert all(not line.startswith("#SBATCH") for line in grade.splitlines()[first_command:])  # sbatch stops there
    assert '--shard-$SLURM_ARRAY_TASK_ID' not in grade and 'shard-$SLURM_ARRAY_TASK_ID" --shard 6' in grade
    assert "userns-root" in grade and '"limits"' in grade
    submit = (tmp_path / "submit.sh").read_text()
    assert "sbatch --parsable" in submit and "--dependency=afterok:" in submit
    assert "course grade merge" in (tmp_path / "merge.sbatch").read_text()
    if shutil.which("shellcheck"):
        for name in ("grade.sbatch", "merge.sbatch", "submit.sh"):
            assert subprocess.run(["shellcheck", str(tmp_path / name)], check=False).returncode == 0


def test_github_actions_matrix_then_merge(tmp_path):
    (path,) = export("github-actions", tmp_path, "--shards", "3")
    assert path.relative_to(tmp_path).as_posix() == ".github/workflows/grade-class.yml"
    workflow = yaml.safe_load(path.read_text())
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` key as true
    assert "workflow_dispatch" in triggers
    grade, merge = workflow["jobs"]["grade"], workflow["jobs"]["merge"]
    assert grade["strategy"]["matrix"]["shard"] == [0, 1, 2] and grade["strategy"]["fail-fast"] is False
    steps = grade["steps"]
    run = next(s for s in steps if "course" in s.get("run", "") and "grade" in s.get("run", ""))
    assert run["env"]["COURSEKIT_SHARD_INDEX"] == "${{ matrix.shard }}" and "--shard 3" in run["run"]
    assert "${{" not in run["run"]  # inputs go through env, never into the script itself
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-artifact@"))
    assert upload["with"]["name"] == "shard-${{ matrix.shard }}" and upload["with"]["include-hidden-files"] is True
    assert merge["needs"] == "grade"
    download = next(s for s in merge["steps"] if s.get("uses", "").startswith("actions/download-artifact@"))
    assert download["with"]["pattern"] == "shard-*"
    assert any("course grade merge shards/shard-*" in s.get("run", "") for s in merge["steps"])
    for job in (grade, merge):
        assert all(("uses" in s) != ("run" in s) for s in job["steps"])  # a step is exactly one of the two
    assert '"namespaces"' in path.read_text()


def test_engine_limits_are_refused_with_the_value(tmp_path):
    from coursekit.cli import main

    done = CliRunner().invoke(main, ["export", "github-actions", "--out", str(tmp_path), "--shards", "300"])
    assert done.exit_code != 0 and "--shards 300" in done.output and "256" in done.output
    done = CliRunner().invoke(main, ["export", "slurm", "--out", str(tmp_path), "--shards", "0"])
    assert done.exit_code != 0 and "0" in done.output
