"""``course new <folder>/<name>``: a new exercise from the templates in ``coursekit/_templates/<model>/``.

A template is a minimal but real exercise of its model (two workers, joined, then ``Done!``): its stub fails
every check with the short "Not written yet" message and its solution passes every check, so the instructor
starts from something that ``course dev check`` accepts and changes it one step at a time.  Nothing is ever
overwritten: if the id is registered or any of the three files exists, nothing is written at all.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from string import Template

from coursekit.models import MODEL_NAMES, MODELS
from coursekit.registry import ID_RE, REGISTRY, RegistryError, folder_model, load_course

TEMPLATES = Path(__file__).resolve().parent.parent / "_templates"
FILES = (("exercises", "exercise.py.tmpl"), ("solutions", "solution.py.tmpl"), ("graders", "grader.py.tmpl"))


class ScaffoldError(Exception):
    """The new exercise cannot be made; the message says why and that nothing was written."""


@dataclass(frozen=True)
class Scaffolded:
    id: str
    model: str
    files: tuple[Path, ...]
    registry: Path


def _title(name: str) -> str:
    return name.replace("_", " ").capitalize()


def scaffold(root: Path, exercise_id: str, *, title: str | None = None, model: str | None = None) -> Scaffolded:
    """Write the stub, solution and grader of ``exercise_id`` and append its entry to course.toml."""
    if not ID_RE.match(exercise_id):
        raise ScaffoldError(f"{exercise_id!r} is not an exercise id: write folder/name in lowercase letters, digits "
                            "and _, for example threads/bank_account. Nothing was written.")
    folder, name = exercise_id.split("/")
    model = model or folder_model(folder)
    if model is None or model not in MODEL_NAMES:
        folders = sorted(m.folder for m in MODELS.values())
        raise ScaffoldError(f"folder {folder!r} has no default model: use one of {folders} as the "
                            f"folder, or give --model ({', '.join(sorted(MODEL_NAMES))}). "
                            "Nothing was written.")
    try:
        course = load_course(root)
    except RegistryError as exc:
        raise ScaffoldError(f"course.toml cannot be read, so no exercise can be added to it: {exc}") from None
    if any(ex.id == exercise_id for ex in course.exercises):
        raise ScaffoldError(f"{exercise_id!r} is already in course.toml. Choose another name, or edit the "
                            "existing files. Nothing was written.")
    targets = [root / area / f"{exercise_id}.py" for area, _ in FILES]
    existing = [str(p.relative_to(root)) for p in targets if p.exists()]
    if existing:
        raise ScaffoldError(f"{', '.join(existing)} already exist(s); `course new` never overwrites a file. "
                            "Move or delete it, or choose another name. Nothing was written.")
    title = title or _title(name)
    values = {"id": exercise_id, "name": name, "folder": folder, "title": title}
    py_values = {**values, "title": title.replace("\\", "\\\\").replace('"', '\\"')}  # inside a docstring
    for path, (_, template) in zip(targets, FILES, strict=True):
        path.parent.mkdir(parents=True, exist_ok=True)
        text = Template((TEMPLATES / model / template).read_text(encoding="utf-8")).substitute(py_values)
        path.write_text(text, encoding="utf-8")
    registry = root / REGISTRY
    entry = Template((TEMPLATES / model / "entry.toml.tmpl").read_text(encoding="utf-8"))
    toml_values = {**values, "title": json.dumps(title)[1:-1]}  # a TOML basic string escapes like JSON
    text = registry.read_text(encoding="utf-8")
    if model != folder_model(folder):
        entry_text = entry.substitute(toml_values).replace(f'id = "{exercise_id}"\n',
                                                           f'id = "{exercise_id}"\nmodel = "{model}"\n')
    else:
        entry_text = entry.substitute(toml_values)
    registry.write_text(text + ("" if text.endswith("\n") else "\n") + entry_text, encoding="utf-8")
    load_course(root)  # the entry must read back (a template bug otherwise, never the instructor's)
    return Scaffolded(exercise_id, model, tuple(targets), registry)
