"""``frontline erlang``: the published 80/20 example, JSON keys, and one-line errors."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from frontline.cli.main import app

runner = CliRunner()
BASE = ["erlang", "--volume", "100", "--interval-seconds", "1800", "--aht-seconds", "180"]


def test_metrics_for_given_agents_match_published_erlang_c() -> None:
    # pyworkforce's README example: 14 agents, P(wait) 0.1741, service level 0.8884.
    result = runner.invoke(app, [*BASE, "--agents", "14", "--target", "0.8/20", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["agents"] == 14
    assert report["p_wait"] == pytest.approx(0.1741319335950498, rel=1e-9)
    assert report["service_level"] == pytest.approx(0.8883500191794669, rel=1e-9)
    assert report["p_abandon"] is None


def test_target_finds_the_fewest_agents() -> None:
    result = runner.invoke(app, [*BASE, "--target", "80%/20", "--json"])
    assert json.loads(result.output)["agents"] == 14


def test_patience_switches_to_erlang_a() -> None:
    result = runner.invoke(
        app, [*BASE, "--target", "0.8/20", "--patience-seconds", "120", "--json"]
    )
    report = json.loads(result.output)
    assert set(report) == {
        "agents",
        "p_wait",
        "service_level",
        "asa_seconds",
        "occupancy",
        "p_abandon",
    }
    assert 0 < report["p_abandon"] < 1
    assert report["agents"] < 14


@pytest.mark.parametrize(
    ("arguments", "names"),
    [
        (["--volume", "-1", "--aht-seconds", "180", "--agents", "3"], "--volume"),
        (["--volume", "10", "--aht-seconds", "0", "--agents", "3"], "--aht-seconds"),
        (["--volume", "10", "--aht-seconds", "180", "--target", "2/20"], "--target"),
        (["--volume", "10", "--aht-seconds", "180", "--target", "x/20"], "--target"),
        (["--volume", "10", "--aht-seconds", "180"], "--agents"),
    ],
)
def test_bad_input_is_one_line_and_non_zero(arguments: list[str], names: str) -> None:
    result = runner.invoke(app, ["erlang", *arguments])
    assert result.exit_code != 0
    lines = result.output.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("error:")
    assert names in lines[0]
