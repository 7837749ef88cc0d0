"""The registry and the files agree: every entry has its files, hints and grader; no file is left outside.

The rule for files: every ``.py`` file under ``exercises/``, ``solutions/`` and ``graders/`` belongs to a
registered exercise (``<folder>/<id>.py``).  Other files (``README.md`` lessons, data) are fine anywhere.  A
grader may need helper code: put it in ``graders/`` in a module whose name starts with ``_`` (for example
``graders/threads/_queues.py``); those are the only ``.py`` files allowed outside the registry.  Catalogue
folders (``tests/catalogue/<id>/``) must belong to a registered exercise too.

The rule for stubs (after rustlings' ``dev check``): every stub has a ``TODO`` marker where students write, and
the code it gives them is the reference's own.  Code given to students is copied into both files (a stub's
``Counter.__init__``, its ``main()`` demo), so the two copies can drift apart unseen: then students start from
something the grader never ran.  So every function of a stub that is neither to be written (a ``TODO`` comment
inside it, or a ``raise NotImplementedError``) nor missing from the solution must be identical to the
solution's, by syntax tree (comments and blank lines aside).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from coursekit._dev.catalogue import KINDS, catalogue_dir
from coursekit.grading import GraderError, load_grader
from coursekit.registry import Course, Exercise

AREAS = ("exercises", "solutions", "graders")
MIN_HINTS = 2
TODO_RE = re.compile(r"\bTODO\b")


def _functions(tree: ast.Module) -> dict[str, ast.FunctionDef | ast.AsyncFunctionDef]:
    """Every function of a module by qualified name (``main``, ``Counter.__init__``), methods included."""
    out: dict[str, ast.FunctionDef | ast.AsyncFunctionDef] = {}

    def walk(body: list[ast.stmt], prefix: str) -> None:
        for node in body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                out[prefix + node.name] = node
            elif isinstance(node, ast.ClassDef):
                walk(node.body, f"{prefix}{node.name}.")

    walk(tree.body, "")
    return out


def _to_write(node: ast.FunctionDef | ast.AsyncFunctionDef, lines: list[str]) -> bool:
    """Whether a stub's function is for the student to write: a TODO inside it, or it raises NotImplementedError."""
    if any(TODO_RE.search(line) for line in lines[node.lineno - 1:node.end_lineno]):
        return True
    return any(isinstance(n, ast.Raise) and n.exc is not None and "NotImplementedError" in ast.unparse(n.exc)
               for n in ast.walk(node))


def stub_problems(ex: Exercise) -> list[str]:
    """The stub has a TODO marker, and every function it gives is the reference solution's (see the module doc)."""
    if not (ex.exercise_path.is_file() and ex.solution_path.is_file()):
        return []  # layout_problems names the missing file
    root = ex.root
    stub_name, solution_name = ex.exercise_path.relative_to(root), ex.solution_path.relative_to(root)
    stub = ex.exercise_path.read_text(encoding="utf-8")
    again = f"then run `course dev check {ex.id}` again."
    out = []
    if not TODO_RE.search(stub):
        out.append(f"{ex.id}: the stub {stub_name} has no TODO marker. Put a `# TODO` comment where students write "
                   f"(in each function they complete), {again}")
    try:
        given, reference = _functions(ast.parse(stub)), _functions(ast.parse(ex.solution_path.read_text("utf-8")))
    except SyntaxError:
        return out  # the stub and solution checks report a file that does not parse
    lines = stub.splitlines()
    for name, node in given.items():
        if _to_write(node, lines):
            continue
        if name not in reference:
            out.append(f"{ex.id}: {stub_name} gives {name}() (no TODO in it, no raise NotImplementedError), but "
                       f"{solution_name} has no {name}(). Copy it into the solution, or mark it `# TODO` in the "
                       f"stub, {again}")
        elif ast.dump(node) != ast.dump(reference[name]):
            out.append(f"{ex.id}: {stub_name}:{node.lineno} gives {name}() (no TODO in it, no raise "
                       f"NotImplementedError), but it differs from {name}() in {solution_name}: students would start "
                       f"from code the grader never ran. Make the two copies the same (or mark it `# TODO` in the "
                       f"stub), {again}")
    return out


def _is_helper(area: str, path: Path) -> bool:
    return area == "graders" and path.name.startswith("_")


def layout_problems(course: Course) -> list[str]:
    """Everything about the registry and the files that is wrong, each with how to fix it (cheap: no grading)."""
    out: list[str] = []
    root = course.root
    registered = {ex.id for ex in course.exercises}
    for ex in course.exercises:
        for label, path in (("stub", ex.exercise_path), ("reference solution", ex.solution_path),
                            ("grader", ex.grader_path)):
            if not path.is_file():
                out.append(f"{ex.id}: the {label} {path.relative_to(root)} is missing. Create it, or remove the "
                           f"entry from course.toml (then `course new {ex.id}` makes all three from a template).")
        if len(ex.hints) < MIN_HINTS:
            out.append(f"{ex.id}: course.toml gives {len(ex.hints)} hint(s); give {MIN_HINTS} or 3 progressive hints "
                       "(from a nudge to nearly the answer) in its `hints = [...]`.")
        if ex.grader_path.is_file():
            try:
                load_grader(ex)
            except GraderError as exc:
                out.append(f"{ex.id}: {exc}")
            except Exception as exc:  # noqa: BLE001 - the grader module itself does not import
                out.append(f"{ex.id}: the grader {ex.grader_path.relative_to(root)} fails to import: "
                           f"{type(exc).__name__}: {exc}. Fix the grader module.")
        out.extend(stub_problems(ex))
    for area in AREAS:
        base = root / area
        for path in sorted(base.rglob("*.py")) if base.is_dir() else []:
            if "__pycache__" in path.parts or _is_helper(area, path):
                continue
            ex_id = path.relative_to(base).with_suffix("").as_posix()
            if ex_id not in registered:
                out.append(f"{path.relative_to(root)} belongs to no exercise in course.toml. Register "
                           f"{ex_id!r} there, or delete or move the file"
                           + (" (a grader's helper module must be named _something.py)." if area == "graders"
                              else "."))
    cat = catalogue_dir(course)
    if cat.is_dir():
        for kind_dir in sorted(cat.glob("*/*/*")):
            if kind_dir.is_dir() and kind_dir.name in KINDS:
                ex_id = kind_dir.parent.relative_to(cat).as_posix()
                if ex_id not in registered:
                    out.append(f"{kind_dir.relative_to(root)} is the catalogue of {ex_id!r}, which course.toml does "
                               "not list. Rename the folder after a registered id, or delete it.")
    return out
