"""Which exercise a word on the command line names, and which exercise comes next.

A learner may type an id (``threads/numbers_letters_threads``), its file path (``exercises/threads/x.py``, from
wherever they are), the name alone (``numbers_letters_threads``), its number in ``course list``, or any unique
prefix of these.  Where several exercises are wanted (``course check``), a folder (``threads/``) names all of its
exercises.  Anything else is an error that names the closest exercise, or every candidate when the word
fits several.
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
        found = course.by_path(as_path)
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
    key = key.split("exercises/", 1)[1] if "exercises/" in key else key
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
        key = key.split("exercises/", 1)[1] if key.startswith("exercises/") else key
    return [e for e in course.exercises if key and e.id.startswith(key + "/")]


def resolve_many(course: Course, words: Iterable[str], cwd: Path | None = None) -> list[Exercise]:
    """Each word resolved, in the order given, each exercise once; a folder's word stands for all of its
    exercises, in course order."""
    out: dict[str, Exercise] = {}
    for word in words:
        for ex in in_folder(course, word, cwd) or [resolve(course, word, cwd)]:
            out.setdefault(ex.id, ex)
    return list(out.values())


def first_unsolved(course: Course, is_solved: Callable[[Exercise], bool],
                   after: Exercise | None = None) -> Exercise | None:
    """The first exercise in course order that is not solved (starting after ``after``, wrapping around)."""
    order = list(course.exercises)
    if after is not None and after in order:
        i = order.index(after) + 1
        order = order[i:] + order[:i]
    return next((ex for ex in order if not is_solved(ex)), None)
