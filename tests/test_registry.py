"""``course.toml`` is read in one place, and every mistake in it is an error that says what, where and what to write.

Each test writes a small registry into a temporary folder (the registry reads only ``course.toml``: no exercise
file is needed to load it) and checks one rule.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from coursekit import registry
from coursekit.models import MODELS
from coursekit.registry import (
    FORMAT_VERSION,
    Limits,
    MutantAcceptance,
    RegistryError,
    Visibility,
    folder_model,
    load_course,
)

ENTRY = '''
[[exercise]]
id = "threads/x"
title = "An exercise"
points = { runs = 1, join = 2 }
hints = ["one", "two"]
'''


def _course(tmp_path: Path, text: str, *, head: str = '[course]\nid = "tmp"\ntitle = "T"\n') -> Path:
    (tmp_path / "course.toml").write_text(head + text, encoding="utf-8")
    return tmp_path


def _error(tmp_path: Path, text: str, **kw: str) -> str:
    with pytest.raises(RegistryError) as info:
        load_course(_course(tmp_path, text, **kw))
    return str(info.value)


def test_a_plain_entry_loads_with_its_defaults(tmp_path):
    course = load_course(_course(tmp_path, ENTRY))
    (ex,) = course.exercises
    assert (course.id, course.title) == ("tmp", "T")
    assert (ex.id, ex.model, ex.order, ex.points, ex.hints) == ("threads/x", "threads", 1, {"runs": 1.0, "join": 2.0},
                                                                 ("one", "two"))
    assert ex.limits == Limits()
    assert ex.visibility == {"runs": Visibility.VISIBLE, "join": Visibility.VISIBLE}
    assert ex.accept_mutants == ()


# --- unknown keys ------------------------------------------------------------------------------------------------


def test_an_unknown_exercise_key_names_the_key_the_exercise_and_the_nearest_known_key(tmp_path):
    message = _error(tmp_path, ENTRY.replace("points =", "pionts ="))
    assert "unknown key 'pionts' in exercise threads/x (did you mean 'points'?)" in message
    assert str(tmp_path / "course.toml") in message


def test_a_misspelt_key_is_named_even_when_the_real_key_would_also_be_missing(tmp_path):
    # `hint` for `hints`: loading used to give the exercise no hints, silently
    message = _error(tmp_path, ENTRY.replace("hints =", "hint ="))
    assert "unknown key 'hint' in exercise threads/x (did you mean 'hints'?)" in message


def test_an_exercise_without_an_id_is_named_by_its_position(tmp_path):
    message = _error(tmp_path, ENTRY + ENTRY.replace('id = "threads/x"\n', "").replace("title =", "titel ="))
    assert "unknown key 'titel' in exercise #2 (it has no valid id) (did you mean 'title'?)" in message


def test_an_unknown_top_level_or_course_key_is_an_error_too(tmp_path):
    message = _error(tmp_path, ENTRY, head='[corse]\nid = "tmp"\n')
    assert "unknown key 'corse' at the top level (did you mean 'course'?)" in message
    message = _error(tmp_path, ENTRY, head='[course]\nid = "tmp"\ntitel = "T"\n')
    assert "unknown key 'titel' in [course] (did you mean 'title'?)" in message


def test_a_key_near_nothing_lists_the_known_keys(tmp_path):
    message = _error(tmp_path, ENTRY + 'colour = "red"\n')
    assert "unknown key 'colour' in exercise threads/x (the known keys are id, title, model, points" in message


def test_the_unknown_key_check_is_what_rejects_a_typo(tmp_path, monkeypatch):
    """Without the check, the same typo loads: so the tests above test the check, not an accident."""
    text = ENTRY + 'pionts = { runs = 1 }\n'
    with pytest.raises(RegistryError, match="unknown key 'pionts'"):
        load_course(_course(tmp_path, text))
    monkeypatch.setattr(registry, "_known_keys", lambda *args: None)
    assert load_course(_course(tmp_path, text)).exercises[0].points == {"runs": 1.0, "join": 2.0}


def test_an_unknown_limit_is_an_error(tmp_path):
    message = _error(tmp_path, ENTRY + "limits = { wal_s = 3 }\n")
    assert "unknown limit(s) ['wal_s']" in message and "threads/x" in message


# --- format_version ----------------------------------------------------------------------------------------------


def test_format_version_is_1_when_absent_and_may_be_written(tmp_path):
    assert FORMAT_VERSION == 1
    assert load_course(_course(tmp_path, ENTRY, head="format_version = 1\n")).exercises[0].id == "threads/x"


@pytest.mark.parametrize("value", ["2", '"1"', "true", "0"])
def test_any_other_format_version_says_which_versions_the_kit_reads(tmp_path, value):
    message = _error(tmp_path, ENTRY, head=f"format_version = {value}\n")
    assert f"format_version = {value.replace(chr(34), chr(39)).replace('true', 'True')} is not a version this kit " \
           "reads (it reads 1)" in message


# --- models, limits -----------------------------------------------------------------------------------------------


def test_the_model_defaults_from_the_folder_and_must_be_known(tmp_path):
    assert {folder_model(m.folder) for m in MODELS.values()} == set(registry.MODELS)
    assert folder_model("elsewhere") is None
    assert load_course(_course(tmp_path, ENTRY.replace("threads/x", "coroutines/x"))).exercises[0].model == \
        "coroutines"
    message = _error(tmp_path, ENTRY.replace('title =', 'model = "fibers"\ntitle ='))
    assert "model 'fibers' must be one of ('threads', 'processes', 'coroutines')" in message


def test_limits_merge_the_course_defaults_with_the_exercise(tmp_path):
    text = "[limits]\nwall_s = 10\nvirtual_s = 50\n" + ENTRY + "limits = { wall_s = 3 }\n"
    ex = load_course(_course(tmp_path, text)).exercises[0]
    assert (ex.limits.wall_s, ex.limits.virtual_s, ex.limits.stall_s) == (3, 50, Limits().stall_s)


# --- visibility ---------------------------------------------------------------------------------------------------


def test_visibility_names_checks_of_the_points_with_gradescope_values(tmp_path):
    ex = load_course(_course(tmp_path, ENTRY + 'visibility = { join = "after_due_date" }\n')).exercises[0]
    assert ex.visibility == {"runs": Visibility.VISIBLE, "join": Visibility.AFTER_DUE_DATE}
    assert [v.value for v in Visibility] == ["visible", "hidden", "after_due_date", "after_published"]
    assert f"{ex.visibility['join']}" == "after_due_date"


def test_visibility_of_a_check_that_is_not_in_the_points_is_an_error(tmp_path):
    message = _error(tmp_path, ENTRY + 'visibility = { jion = "hidden" }\n')
    assert "visibility names check 'jion', which is not in its points (did you mean 'join'?)" in message


def test_visibility_must_be_one_of_gradescopes_values(tmp_path):
    message = _error(tmp_path, ENTRY + 'visibility = { join = "secret" }\n')
    assert ("visibility of check 'join' must be one of visible, hidden, after_due_date, after_published, not "
            "'secret'") in message


# --- accept_mutants ------------------------------------------------------------------------------------------------


def test_accept_mutants_is_parsed_by_the_registry(tmp_path):
    text = ENTRY + ('accept_mutants = [\n  { op = "drop-join", code = "t.join()", reason = " harmless " },\n'
                    '  { op = "one-after-another", reason = "any order" },\n]\n')
    ex = load_course(_course(tmp_path, text)).exercises[0]
    assert ex.accept_mutants == (MutantAcceptance("drop-join", "t.join()", "harmless"),
                                 MutantAcceptance("one-after-another", None, "any order"))
    assert ex.accept_mutants[1].where.endswith("exercise 'threads/x', accept_mutants #2")


@pytest.mark.parametrize(("entry", "words"), [
    ('"drop-join"', "must be a list of"),
    ('[ { code = "t.join()", reason = "r" } ]', "accept_mutants #1: 'op' must name a mutation operator"),
    ('[ { op = "drop-join" } ]', "accept_mutants #1: say why this mutant is acceptable"),
    ('[ { op = "drop-join", reason = "r", code = 3 } ]', "'code' must be the line of the solution"),
    ('[ { op = "drop-join", reason = "r", line = 3 } ]', "unknown key(s) ['line']; use op, code, reason"),
])
def test_a_malformed_accept_mutants_entry_is_named(tmp_path, entry, words):
    assert words in _error(tmp_path, ENTRY + f"accept_mutants = {entry}\n")


# --- the rest of the entry ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("change", "words"), [
    (('id = "threads/x"', 'id = "Threads/X"'), "id 'Threads/X' must look like 'threads/my_exercise'"),
    (('points = { runs = 1, join = 2 }', 'points = { runs = -1 }'), "points for check 'runs' must be a number >= 0"),
    (('points = { runs = 1, join = 2 }', 'points = {}'), "'points' must map each check name to its points"),
    (('hints = ["one", "two"]', 'hints = ["one", ""]'), "'hints' must be a list of non-empty strings"),
    (('title = "An exercise"', 'title = ""'), "'title' is missing"),
])
def test_each_bad_value_is_named_with_its_exercise(tmp_path, change, words):
    message = _error(tmp_path, ENTRY.replace(*change))
    assert words in message and "exercise #1" in message


def test_an_id_listed_twice_is_an_error(tmp_path):
    assert "id 'threads/x' is listed twice" in _error(tmp_path, ENTRY + ENTRY)


def test_the_course_registry_itself_loads():
    course = load_course(Path(__file__).resolve().parent.parent)
    assert len(course.exercises) >= 3 and all(ex.visibility.keys() == ex.points.keys() for ex in course.exercises)
