"""``ExerciseResult.to_dict`` and ``from_dict`` round-trip exactly, pictures included, through JSON too."""

from __future__ import annotations

import json

import pytest

from coursekit.results import RESULTS_VERSION, CheckResult, ExerciseResult, Status

LANES = {"version": 1, "runs": [{"label": "your program", "lanes": [{"id": "t1", "marks": [[1.0, "o"]]}]}],
         "divergence": {"t": 5.0, "text": "'Done!'"}}


def _result() -> ExerciseResult:
    return ExerciseResult("threads/x", [
        CheckResult("runs", "it runs", Status.PASSED, 1.0, 1.0),
        CheckResult("join", "main waits", Status.FAILED, 0.0, 2.0, "main() returned early", "a drawing", LANES),
        CheckResult("order", "could not be judged", Status.ERROR, 0.0, 2.5, "the grader broke"),
    ], {"timeouts": 0, "protections": ["uid", "network"]})


def test_to_dict_then_from_dict_gives_the_same_result():
    result = _result()
    assert ExerciseResult.from_dict(result.to_dict()) == result


def test_from_dict_then_to_dict_gives_the_same_data_through_json():
    data = json.loads(json.dumps(_result().to_dict()))
    again = ExerciseResult.from_dict(data)
    assert again.to_dict() == data
    assert again.checks[1].lanes == LANES and again.checks[1].status is Status.FAILED
    assert (data["version"], data["score"], data["max_score"]) == (RESULTS_VERSION, 1.0, 5.5)


def test_the_data_shares_nothing_with_the_result_and_keeps_the_fields_order():
    result = _result()
    before = json.dumps([result.checks[1].lanes, result.run_info])
    data = result.to_dict()
    data["checks"][1]["lanes"]["runs"][0]["lanes"].clear()
    data["run_info"]["protections"].append("changed")
    assert json.dumps([result.checks[1].lanes, result.run_info]) == before
    assert list(data) == ["exercise", "checks", "run_info", "version", "score", "max_score"]
    assert list(data["checks"][0]) == ["name", "title", "status", "points", "max_points", "message", "timeline",
                                       "lanes", "findings"]


def test_a_check_round_trips_on_its_own():
    check = _result().checks[1]
    assert CheckResult.from_dict(check.to_dict()) == check
    assert check.to_dict()["status"] == "failed"


@pytest.mark.parametrize(("change", "words"), [
    ({"version": 99}, "results version 99; this kit reads version 1"),
    ({"checks": None}, "needs 'exercise' (a string) and 'checks' (a list)"),
])
def test_a_result_from_elsewhere_is_refused_with_where_it_came_from(change, words):
    data = {**_result().to_dict(), **change}
    with pytest.raises(ValueError, match=r"results\.json: ") as info:
        ExerciseResult.from_dict(data, "results.json")
    assert words in str(info.value)


@pytest.mark.parametrize(("change", "words"), [
    ({"status": "ok"}, "check #2: status 'ok' is not one of passed, failed, error"),
    ({"points": "1"}, "check #2: 'points' is '1', not a number"),
    ({"lanes": []}, "check #2: 'lanes' is [], not a table"),
])
def test_a_bad_check_is_named_by_its_position(change, words):
    data = _result().to_dict()
    data["checks"][1].update(change)
    with pytest.raises(ValueError) as info:
        ExerciseResult.from_dict(data)
    assert words in str(info.value)


def test_a_missing_field_is_named():
    data = _result().to_dict()
    del data["checks"][0]["max_points"]
    with pytest.raises(ValueError, match="check #1: no 'max_points'"):
        ExerciseResult.from_dict(data)
