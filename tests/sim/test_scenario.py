"""Scenario files: the shipped example loads; bad ones fail naming the key and its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from frontline.sim import ScenarioError, load_scenario, parse_scenario

GOOD = """\
seed = 3
open = "08:00"
close = "09:00"

[[queues]]
name = "billing"
skills = ["billing"]
arrivals = [10, 10, 10, 10]
handle = { distribution = "exponential", mean_seconds = 180 }

[[queues]]
name = "sales"
skills = [{ skill = "sales", min_proficiency = 2 }]
daily_volume = 100
handle = { distribution = "lognormal", mean_seconds = 180, sd_seconds = 60 }
patience.distribution = "exponential"
patience.mean_seconds = 100

[[agents]]
name = "team"
count = 3
skills = { billing = 3, sales = 2 }
[agents.shift]
start = "08:00"
end = "09:30"
"""


def test_a_good_scenario_reads_times_skills_and_volumes() -> None:
    scenario = parse_scenario(GOOD)
    assert (scenario.open, scenario.close, scenario.intervals) == (28800.0, 32400.0, 4)
    assert scenario.skill_ids() == {"billing": 1, "sales": 2}
    # A daily volume with no profile is spread evenly over the day's intervals.
    assert scenario.expected_arrivals(scenario.queues[1]) == (25.0, 25.0, 25.0, 25.0)
    assert scenario.shift(scenario.agents[0]).end == 34200.0
    assert scenario.queues[0].service_level.policy().threshold_seconds == 20.0


def test_the_shipped_example_loads(repo_root: Path) -> None:
    scenario = load_scenario(repo_root / "docs" / "examples" / "two-queues.toml")
    assert [queue.name for queue in scenario.queues] == ["sales", "support"]


@pytest.mark.parametrize(
    ("old", "new", "key", "line", "message"),
    [
        ("patience.mean_seconds = 100", "patience.mean_seconds = 100\npatiense = 3",
         "queues[1].patiense", 18, "unknown key"),
        ("arrivals = [10, 10, 10, 10]", "arrivals = [10, -1, 10, 10]", "queues[0].arrivals[1]",
         8, "greater than or equal to 0"),
        ("daily_volume = 100", "daily_volume = -100", "queues[1].daily_volume", 14,
         "greater than or equal to 0"),
        ("patience.mean_seconds = 100", "patience.mean_seconds = 0",
         "queues[1].patience.mean_seconds", 17, "greater than 0"),
        ('end = "09:30"', 'end = "07:00"', "agents[0].shift", 23, "end must be after start"),
        ('start = "08:00"\nend', 'start = "8h"\nend', "agents[0].shift.start", 24, "HH:MM"),
        ("count = 3", "count = 3\ncolour = 1", "agents[0].colour", 22, "unknown key"),
        ("seed = 3", "seed = 3\nreplicatoins = 4", "replicatoins", 2, "unknown key"),
        ("arrivals = [10, 10, 10, 10]", "arrivals = [10, 10]", "scenario", None, "day has 4"),
        ("daily_volume = 100", 'arrivals = [1, 1, 1, 1]\ndaily_volume = 1', "queues[1]", 11,
         "either arrivals"),
    ],
)  # fmt: skip
def test_bad_scenarios_name_the_key_and_line(
    old: str, new: str, key: str, line: int | None, message: str
) -> None:
    assert old in GOOD
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(GOOD.replace(old, new, 1))
    assert (caught.value.key, caught.value.line) == (key, line)
    assert message in str(caught.value)


def test_missing_queues_are_named() -> None:
    text = GOOD[: GOOD.index("[[queues]]")] + GOOD[GOOD.index("[[agents]]") :]
    with pytest.raises(ScenarioError, match=r"^queues: Field required"):
        parse_scenario(text)


def test_broken_toml_gives_its_line() -> None:
    with pytest.raises(ScenarioError, match=r"line 2, column"):
        parse_scenario("seed = 1\nclose = = 3\n")
