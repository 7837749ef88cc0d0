"""The kinds that cross from the engine to the judge, and from the checks to ``diagnose``, stay in step.

Problem kinds are recorded by the engine in the student's process and read by the detectors of
``coursekit._judge.diagnose``; finding kinds are requested by checks (``diagnose(..., only={...})``) and produced
by those detectors.  Nothing but these tests ties the two ends of each: ``loop-error`` was recorded and never
read, ``wrong-delay`` and ``done-from-worker`` were requested and never produced.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from coursekit._judge import diagnose as diagnosis
from coursekit._judge.diagnose import FINDING_KINDS, READ_PROBLEMS, check_kinds, diagnose

PACKAGE = Path(diagnosis.__file__).resolve().parent.parent
REQUESTERS = [*sorted((PACKAGE / "checks").glob("*.py")), PACKAGE / "grading.py"]


def recorded_problem_kinds(engine: Path = PACKAGE / "_engine") -> set[str]:
    """Every problem kind the engine source records: ``PROBLEM_KINDS`` where the engine defines them, and the
    literal kinds of ``probe.problem("...")``, ``emit("problem", kind="...")`` and ``on_stuck("...")`` calls."""
    kinds: set[str] = set()
    try:
        from coursekit._engine.events import PROBLEM_KINDS
    except ImportError:
        pass
    else:
        kinds |= set(PROBLEM_KINDS)
    for path in engine.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            args = node.args
            if name in ("problem", "on_stuck") and args and _literal(args[0]):
                kinds.add(_literal(args[0]))
            elif name == "emit" and args and _literal(args[0]) == "problem":
                kinds |= {_literal(k.value) for k in node.keywords if k.arg == "kind" and _literal(k.value)}
    return kinds


def _literal(node: ast.expr) -> str:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else ""


def requested_finding_kinds(paths: list[Path] = REQUESTERS) -> dict[str, set[str]]:
    """Every finding kind a check asks ``diagnose`` for, by module: the string literals in an ``only=`` argument
    and in the value of any name ending in ``_FINDINGS``."""
    out: dict[str, set[str]] = {}
    for path in paths:
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            values: list[ast.expr] = []
            if isinstance(node, ast.Call):
                values += [k.value for k in node.keywords if k.arg == "only"]
            elif isinstance(node, ast.Assign | ast.AnnAssign):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                if node.value is not None and any(isinstance(t, ast.Name) and t.id.endswith("_FINDINGS")
                                                  for t in targets):
                    values.append(node.value)
            for value in values:
                found |= {_literal(n) for n in ast.walk(value) if isinstance(n, ast.Constant) and _literal(n)}
        if found:
            out[path.name] = found
    return out


def test_every_problem_kind_the_engine_records_has_a_detector():
    recorded = recorded_problem_kinds()
    assert {"stuck", "deadlock", "loop-error"} <= recorded, "the scan of the engine finds nothing: fix the scan"
    unread = sorted(recorded - READ_PROBLEMS)
    assert not unread, (f"the engine records problem kind(s) {unread} that no detector reads: add one to "
                        "coursekit/_judge/diagnose.py (@_detects(..., reads=(...)))")


def test_every_finding_kind_a_check_requests_is_produced():
    requested = requested_finding_kinds()
    assert "_standard.py" in requested, "the scan of the checks finds nothing: fix the scan"
    missing = {name: sorted(kinds - set(FINDING_KINDS)) for name, kinds in requested.items()
               if kinds - set(FINDING_KINDS)}
    assert not missing, f"checks request finding kinds no detector produces: {missing}"


def test_every_detector_declares_what_it_produces_once():
    assert len(FINDING_KINDS) == len(set(FINDING_KINDS))
    assert {"wrong-delay", "done-from-worker", "cut-short", "loop-error"} <= set(FINDING_KINDS)


def test_an_unknown_requested_kind_raises_and_names_it():
    with pytest.raises(ValueError, match=r"'wrong-dely'.*did you mean 'wrong-delay'"):
        check_kinds({"wrong-dely"})
    with pytest.raises(TypeError):
        check_kinds("crash")
    check_kinds({"crash", "wrong-delay"})  # known kinds are fine


def test_the_scans_catch_a_broken_rule(tmp_path):
    """The two scans are what the rules stand on: a kind recorded and unread, or requested and never made, is
    found (this is the test of the tests)."""
    engine = tmp_path / "engine"
    engine.mkdir()
    (engine / "x.py").write_text('probe.problem("brand-new", detail="")\nprobe.emit("problem", kind="other")\n')
    assert {"brand-new", "other"} <= recorded_problem_kinds(engine)
    assert not {"brand-new", "other"} <= READ_PROBLEMS
    check = tmp_path / "check.py"
    check.write_text('MY_FINDINGS = {"crash", "wrong-dely"}\ndiagnose(tl, only={"no-such-kind"} | MY_FINDINGS)\n')
    assert requested_finding_kinds([check])["check.py"] - set(FINDING_KINDS) == {"wrong-dely", "no-such-kind"}


def test_diagnose_runs_only_the_detectors_asked_for(monkeypatch):
    ran: list[str] = []

    def spying(detector):
        def spy(ev):
            ran.append(detector.name)
            return detector.detect(ev)

        return diagnosis.Detector(detector.kinds, detector.reads, spy)

    monkeypatch.setattr(diagnosis, "DETECTORS", [spying(d) for d in diagnosis.DETECTORS])
    tl = _empty_timeline()
    assert diagnose(tl, only={"deadlock"}) == []
    assert len(ran) == 1
    with pytest.raises(ValueError, match="no-such-kind"):
        diagnose(tl, only={"no-such-kind"})


def _empty_timeline():
    from coursekit._judge.timeline import Timeline

    return Timeline(model="threads", contexts={}, lines=[], err_lines=[], joins=[], kills=[], problems=[],
                    crashes=[], errors=[], unstarted=[], returned_at=0.0, alive_at_return=[], main_is_async=None,
                    completed=True)


def test_loop_error_and_cut_short_are_findings():
    tl = _empty_timeline()
    tl.problems.append({"e": "problem", "kind": "loop-error", "detail": "Task was destroyed but it is pending!",
                        "where": "", "t": 0.0, "id": "t0"})
    tl.completed = False
    found = diagnose(tl)
    assert [f.kind for f in found] == ["loop-error", "cut-short"]
    assert "Task was destroyed but it is pending" in found[0].what


@pytest.mark.parametrize("exercise", ["threads/numbers_letters_threads", "coroutines/numbers_letters_asyncio"])
def test_done_from_a_worker_and_a_wrong_delay_are_named(exercise):
    """The catalogue's ``done_from_worker`` and ``wrong_delay`` entries fail with advice that names the mistake."""
    from coursekit.grading import ReferenceCache, grade_exercise
    from coursekit.registry import load_course

    root = PACKAGE.parent
    ex = load_course(root).get(exercise)
    cache = ReferenceCache()
    folder = root / "tests" / "catalogue" / exercise / "wrong"
    order = {c.name: c for c in grade_exercise(ex, folder / "done_from_worker.py", cache=cache).checks}["order"]
    assert "'Done!' was printed by" in order.message and "not by main" in order.message
    assert "after main has" in order.message
    timing = {c.name: c for c in grade_exercise(ex, folder / "wrong_delay.py", cache=cache).checks}["timing"]
    assert "waited 0.5 s before printing 'Number: 1'; it should wait 1 s" in timing.message
