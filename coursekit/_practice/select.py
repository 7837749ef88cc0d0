"""Which exercises words on a command line name, and which exercise comes next: the kit's one exercise selector.

A learner may type an id (``threads/numbers_letters_threads``), its file path (``exercises/threads/x.py``, from
wherever they are), the name alone (``numbers_letters_threads``), its number in ``course list``, or any unique
prefix of these.  An instructor may also give the path of its solution or grader (``solutions/threads/x.py``).
Where several exercises are wanted (``course check``), a folder (``threads/``) names all of its exercises.
Anything else is an error that names the closest exercise, or every candidate when the word fits several.

Every command that chooses exercises from words should call ``select_exercises`` (or ``resolve`` for one), so
that the same word means the same exercises everywhere: students' commands, ``course dev check`` and
``course grade --exercise``.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable
from pathlib import Path

from coursekit.registry import Course, Exercise


class SelectionError(ValueError):
    """A word does not name exactly one exercise; the message says why and what would."""


def _name(ex: Exercise) -> str:
    return ex.id.rsplit("/", 1)[-1]


def resolve(course: Course, wanted: str, cwd: Path | None = None) -> Exercise:
    """The one exercise ``wanted`` names (see the module docstring for the accepted forms)."""
    word = wanted.strip()
    if not word:
        raise SelectionError("an empty name does not name an exercise")
    cwd = cwd or Path.cwd()
    as_path = (cwd / word) if not Path(word).is_absolute() else Path(word)
    if as_path.is_file():
        found = _by_file(course, as_path)
        if found is not None:
            return found
        raise SelectionError(f"{word!r} is a file, but not an exercise listed in {course.root / 'course.toml'}")
    if word.isdigit():
        number = int(word)
        if 1 <= number <= len(course.exercises):
            return course.exercises[number - 1]
        raise SelectionError(f"there is no exercise number {number}: the course has {len(course.exercises)} "
                             "(see `course list`)")
    key = word.replace("\\", "/").removeprefix("./").removesuffix(".py")
    key = key.split("exercises/", 1)[1] if "exercises/" in key else _without_tree(key)
    key = key.strip("/")
    for test in (lambda e: e.id == key, lambda e: _name(e) == key,
                 lambda e: e.id.startswith(key), lambda e: _name(e).startswith(key), lambda e: key in e.id):
        matches = _unique([e for e in course.exercises if test(e)])
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            listed = ", ".join(e.id for e in matches[:6]) + (" ..." if len(matches) > 6 else "")
            raise SelectionError(f"{wanted!r} fits {len(matches)} exercises ({listed}); type more of the name")
    return _suggest(course, wanted, key)


_OTHER_TREES = ("solutions/", "graders/")  # an exercise's other files mirror exercises/ (registry.py)


def _without_tree(key: str) -> str:
    """``solutions/threads/x`` or ``graders/threads/x`` -> ``threads/x`` (an instructor's way to name it)."""
    return next((key.removeprefix(tree) for tree in _OTHER_TREES if key.startswith(tree)), key)


def _by_file(course: Course, path: Path) -> Exercise | None:
    """The exercise whose stub, solution or grader is the file at ``path``."""
    found = course.by_path(path)
    if found is not None:
        return found
    resolved = path.resolve()
    return next((ex for ex in course.exercises
                 if resolved in (ex.solution_path.resolve(), ex.grader_path.resolve())), None)


def _unique(found: list[Exercise]) -> list[Exercise]:
    seen: dict[str, Exercise] = {}
    for ex in found:
        seen.setdefault(ex.id, ex)
    return list(seen.values())


def _suggest(course: Course, wanted: str, key: str) -> Exercise:
    words = {ex.id: ex.id for ex in course.exercises}
    words.update({_name(ex): ex.id for ex in course.exercises})
    close = difflib.get_close_matches(key, list(words), n=1, cutoff=0.4)
    hint = f" Did you mean {words[close[0]]!r}?" if close else " `course list` shows every exercise."
    raise SelectionError(f"no exercise is called {wanted!r}.{hint}")


def in_folder(course: Course, wanted: str, cwd: Path | None = None) -> list[Exercise]:
    """The exercises of the folder ``wanted`` names (``threads``, ``threads/``, ``exercises/threads``, or that
    folder's path from wherever the learner is), in course order; empty if it names no folder of exercises."""
    word = wanted.strip().replace("\\", "/")
    if not word or word.endswith(".py"):
        return []
    as_path = Path(word) if Path(word).is_absolute() else (cwd or Path.cwd()) / word
    exercises_dir = course.root / "exercises"
    if as_path.is_dir() and as_path.resolve() == exercises_dir.resolve():
        return list(course.exercises)
    try:
        key = as_path.resolve().relative_to(exercises_dir.resolve()).as_posix()
    except ValueError:  # not a folder of this course's exercises on disk: read the word itself
        key = word.removeprefix("./").strip("/")
        key = key.split("exercises/", 1)[1] if key.startswith("exercises/") else _without_tree(key)
    return [e for e in course.exercises if key and e.id.startswith(key + "/")]


def resolve_many(course: Course, words: Iterable[str], cwd: Path | None = None) -> list[Exercise]:
    """Each word resolved, in the order given, each exercise once; a folder's word stands for all of its
    exercises, in course order."""
    out: dict[str, Exercise] = {}
    for word in words:
        for ex in in_folder(course, word, cwd) or [resolve(course, word, cwd)]:
            out.setdefault(ex.id, ex)
    return list(out.values())


def select_exercises(course: Course, words: Iterable[str], cwd: Path | None = None) -> list[Exercise]:
    """The exercises that command-line ``words`` name: every exercise of the course, in course order, when there is
    no word; else each word resolved (any form of the module docstring: id, name, number, unique prefix, the path
    of its stub, solution or grader; a folder stands for all of its exercises), in the order given, each once.

    Raises ``SelectionError`` (a ``ValueError``) for the first word that names no exercise or several; its message
    names the word and the closest exercise (or the candidates), ready to show after the caller's own context
    (e.g. ``f"--exercise: {exc}"``).  Callers that want course order sort by ``Exercise.order``.
    """
    wanted = list(words)
    if not wanted:
        return list(course.exercises)
    return resolve_many(course, wanted, cwd)


def first_unsolved(course: Course, is_solved: Callable[[Exercise], bool],
                   after: Exercise | None = None) -> Exercise | None:
    """The first exercise in course order that is not solved (starting after ``after``, wrapping around)."""
    order = list(course.exercises)
    if after is not None and after in order:
        i = order.index(after) + 1
        order = order[i:] + order[:i]
    return next((ex for ex in order if not is_solved(ex)), None)
