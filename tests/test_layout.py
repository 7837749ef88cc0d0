"""The package's layering, enforced: which part of coursekit may import which (as trio's export tests do).

The rule that matters most is the trust boundary: ``coursekit._engine`` runs inside the student's interpreter, so
it imports only the standard library, itself and the pure data module ``coursekit.models``.  The other rules keep
the judge free of presentation and the views free of grading.  Every import counts, function-level ones included,
because a lazy import still runs in the process that reaches it.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "coursekit"

# Layer of a module: the first match in this list, by dotted-name prefix.
LAYERS: tuple[tuple[str, str], ...] = (
    ("coursekit._engine", "engine"),
    ("coursekit._judge.zygote", "warm"),
    ("coursekit._judge", "judge"),
    ("coursekit._view", "view"),
    ("coursekit.checks", "checks"),
    ("coursekit.models", "data"),
    ("coursekit.registry", "data"),
    ("coursekit.results", "data"),
    ("coursekit.scenarios", "data"),  # drivers' scenarios: pure, loaded on the child side with a grader
    ("coursekit.grading", "facade"),
    ("coursekit", "feature"),  # _practice, _bulk, _nbgrader, _dev, _cli, cli, pytest_plugin, __init__
)

# What each layer may import, besides itself and the standard library.  The judge may use the engine's pure,
# process-independent modules (the trace format, the event contracts, the replay of shared values), never the
# patches that only make sense inside a student's interpreter.
ENGINE_PURE = ("coursekit._engine.trace", "coursekit._engine.events", "coursekit._engine.replay",
               "coursekit._engine.processes.schedule", "coursekit._engine.exploration")
ALLOWED: dict[str, tuple[str, ...]] = {
    "engine": ("coursekit.models",),
    "data": ("coursekit.models", "coursekit.registry", "coursekit.results"),
    "judge": ("coursekit.models", "coursekit.registry", "coursekit.results", *ENGINE_PURE),
    "checks": ("coursekit.models", "coursekit.registry", "coursekit.results", "coursekit.scenarios", "coursekit._judge",
               *ENGINE_PURE),
    # The views draw results and pictures, and the course's progress (the statuses `course list` shows).
    "view": ("coursekit.models", "coursekit.registry", "coursekit.results", "coursekit._judge.picture",
             "coursekit._judge.messages", "coursekit._judge.timeline", "coursekit._practice.progress"),
    # The warm start's process becomes supervisors and harnesses: it imports the harness (and what drivers import)
    # for them to inherit, and the supervisor's code; it grades nothing.
    "warm": ("coursekit._engine", "coursekit._judge.supervise", "coursekit.checks", "coursekit.grading",
             "coursekit.scenarios", "coursekit.models"),
    "facade": ("coursekit.",),  # grading.py puts the parts together
    "feature": ("coursekit.",),  # features stand on everything
}


def layer_of(module: str) -> str:
    return next(layer for prefix, layer in LAYERS if module == prefix or module.startswith(prefix + "."))


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def kit_imports(path: Path) -> list[tuple[int, str]]:
    """Every ``coursekit`` module the file imports, with its line: ``from coursekit import x`` counts as
    ``coursekit.x``, and relative imports are resolved against the file's package."""
    found: list[tuple[int, str]] = []
    package = module_name(path).split(".") if path.name == "__init__.py" else module_name(path).split(".")[:-1]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.split(".")[0] == "coursekit"]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join([*package[: len(package) - node.level + 1], *([base] if base else [])])
            if base.split(".")[0] != "coursekit":
                continue
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                is_module = any((PACKAGE.parent / Path(*candidate.split("."))).with_suffix(s).exists()
                                for s in (".py",)) or (PACKAGE.parent / Path(*candidate.split("."))).is_dir()
                found.append((node.lineno, candidate if is_module else base))
    return found


def allowed(importer: str, imported: str) -> bool:
    own = layer_of(importer)
    if layer_of(imported) == own:
        return True
    if imported == "coursekit":  # the package's lazy public names resolve to the features' facades
        return own in ("feature", "facade")
    return any(imported == p or imported.startswith(p.rstrip(".") + ".") or (p.endswith(".") and
               imported.startswith(p)) for p in ALLOWED[own]) or imported == importer


def violations() -> list[str]:
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        importer = module_name(path)
        for line, imported in sorted(set(kit_imports(path))):
            if not allowed(importer, imported):
                out.append(f"{path.relative_to(PACKAGE.parent)}:{line}: {layer_of(importer)} module {importer} "
                           f"imports {imported} ({layer_of(imported)})")
    return out


def test_every_import_inside_the_package_follows_the_layering():
    assert violations() == []


def test_the_child_side_imports_only_the_standard_library_and_itself():
    """Third-party imports count too: the student's interpreter may not even have them on its path."""
    stdlib = set(sys.stdlib_module_names) | {"__future__"}
    bad = []
    for path in sorted((PACKAGE / "_engine").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level else []
            bad += [f"{path.relative_to(PACKAGE.parent)}:{node.lineno}: {n}" for n in names
                    if n.split(".")[0] not in stdlib | {"coursekit"}]
    assert bad == []


def test_the_layering_test_catches_a_forbidden_import(tmp_path, monkeypatch):
    """The rule can fail: an engine module that imports the judge (even lazily, inside a function) is reported,
    and so is a judge module that imports a view."""
    fake = tmp_path / "coursekit"
    files = {"_engine/__init__.py": "", "_engine/spy.py": "def f():\n    from coursekit._judge import runner\n",
             "_judge/__init__.py": "", "_judge/runner.py": "", "_judge/bad.py": "import coursekit._view.text\n",
             "_view/__init__.py": "", "_view/text.py": "", "__init__.py": ""}
    for rel, text in files.items():
        (fake / rel).parent.mkdir(parents=True, exist_ok=True)
        (fake / rel).write_text(text)
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", fake)
    found = violations()
    assert any("coursekit._engine.spy imports coursekit._judge.runner" in v for v in found), found
    assert any("coursekit._judge.bad imports coursekit._view.text" in v for v in found), found
    assert len(found) == 2


@pytest.mark.parametrize("module", ["coursekit.checks", "coursekit.grading", "coursekit.registry",
                                    "coursekit.results", "coursekit.pytest_plugin", "coursekit.cli",
                                    "coursekit._nbgrader.kernel", "coursekit._nbgrader.grade"])
def test_public_import_paths_keep_working(module):
    """Graders, notebooks already handed out, conftest.py and pyproject's entry point name these paths."""
    __import__(module)
