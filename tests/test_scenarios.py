"""coursekit.scenarios: the same scenarios on every run, smallest first, one outcome per scenario, and the
marker line that lets checks name the scenario a run stopped in."""

from __future__ import annotations

import asyncio
import random

import pytest

from coursekit import scenarios
from coursekit.scenarios import MARK, Scenario


def make(rng: random.Random) -> Scenario:
    items = scenarios.numbers(rng, rng.randint(0, 6))
    return Scenario(f"items {items}", {"items": items}, size=len(items))


def test_draw_is_deterministic_and_smallest_first() -> None:
    first = scenarios.draw(make, seed=3, count=20)
    again = scenarios.draw(make, seed=3, count=20)
    assert first == again
    sizes = [s.size for s in first]
    assert sizes == sorted(sizes)
    assert [s.number for s in first] == list(range(1, len(first) + 1))
    assert len({s.label for s in first}) == len(first)  # duplicates dropped


def test_fixed_scenarios_come_first_among_equals_and_are_kept() -> None:
    fixed = (Scenario("items []", {"items": []}, 0), Scenario("items [0]", {"items": [0]}, 1))
    drawn = scenarios.draw(make, seed=1, count=5, fixed=fixed)
    assert drawn[0].label == "items []"
    assert "items [0]" in [s.label for s in drawn]


def test_draw_rejects_what_is_not_a_scenario_and_a_negative_count() -> None:
    with pytest.raises(TypeError, match="not a Scenario"):
        scenarios.draw(lambda rng: "x", seed=0, count=1)  # type: ignore[arg-type, return-value]
    with pytest.raises(ValueError, match="count=-1"):
        scenarios.draw(make, seed=0, count=-1)


def test_numbers_give_zeros_and_repeats() -> None:
    values = scenarios.numbers(random.Random(0), 200)  # noqa: S311
    assert 0 in values and len(set(values)) < len(values)


def test_a_missing_parameter_names_the_scenario() -> None:
    with pytest.raises(KeyError, match="'items \\[\\]' has no parameter 'workers'"):
        Scenario("items []", {"items": []})["workers"]


def test_run_each_records_values_and_exceptions_and_announces(capsys: pytest.CaptureFixture[str]) -> None:
    cases = scenarios.draw(make, seed=0, count=0, fixed=(Scenario("a", {"x": 1}, 0), Scenario("b", {"x": 0}, 1)))
    results = scenarios.run_each(cases, lambda s: 10 // s["x"])
    assert results == {"a": 10, "b": {"raised": "ZeroDivisionError", "message": "integer division or modulo by zero"}}
    lines = capsys.readouterr().out.splitlines()
    assert [m.group(2) for line in lines if (m := MARK.match(line))] == ["a", "b"]


def test_not_implemented_is_not_an_outcome() -> None:
    def stub(s: Scenario) -> None:
        raise NotImplementedError("write me")

    with pytest.raises(NotImplementedError):
        scenarios.run_each([Scenario("a")], stub)


def test_cancelled_after_gives_the_cancellation_or_the_value() -> None:
    async def slow(seconds: float) -> str:
        await asyncio.sleep(seconds)
        return "done"

    async def both() -> tuple[object, object]:
        return (await scenarios.cancelled_after(0.01, slow(10)), await scenarios.cancelled_after(1, slow(0)))

    cancelled, finished = asyncio.run(both())
    assert cancelled == {"raised": "CancelledError", "message": ""}
    assert finished == "done"


def test_labels_read_as_sentences() -> None:
    assert scenarios.plural(1, "worker") == "1 worker" and scenarios.plural(3, "worker") == "3 workers"
    assert scenarios.show([1, 2]) == "[1, 2]"
    assert scenarios.show(list(range(10)), limit=3) == "[0, 1, 2, ...] (10 items)"
