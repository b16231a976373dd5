"""``frontline simulate``: JSON on stdout, a table for people, one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from frontline.cli.main import app

runner = CliRunner()


def test_json_has_every_queue_interval_and_agent(repo_root: Path) -> None:
    scenario = repo_root / "docs" / "examples" / "two-queues.toml"
    result = runner.invoke(app, ["simulate", str(scenario), "--replications", "2", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["replications"] == 2
    sales = report["queues"][0]
    assert sales["name"] == "sales"
    assert sales["policy"]["treatment"] == "abandoned_count_against"
    assert len(sales["intervals"]) == 16
    assert set(sales["day"]["service_level"]) == {"mean", "low", "high", "replications"}
    assert len(report["agents"]) == 24


def test_table_for_people(repo_root: Path) -> None:
    scenario = repo_root / "docs" / "examples" / "two-queues.toml"
    result = runner.invoke(app, ["simulate", str(scenario), "-n", "2"])
    assert result.exit_code == 0, result.output
    assert "sales" in result.stdout
    assert "occupancy" in result.stdout


def test_bad_scenario_is_one_line_naming_key_and_line(repo_root: Path, tmp_path: Path) -> None:
    example = (repo_root / "docs" / "examples" / "two-queues.toml").read_text(encoding="utf-8")
    assert example.splitlines()[4] == "replications = 10"
    scenario = tmp_path / "bad.toml"
    scenario.write_text(example.replace("replications =", "replicatons ="), encoding="utf-8")
    result = runner.invoke(app, ["simulate", str(scenario)])
    assert result.exit_code == 1
    assert result.stderr.strip().count("\n") == 0
    assert "line 5: replicatons: unknown key" in result.stderr


def test_missing_file_and_bad_count(tmp_path: Path) -> None:
    missing = runner.invoke(app, ["simulate", str(tmp_path / "none.toml")])
    assert missing.exit_code == 1
    assert "cannot read" in missing.stderr
    bad = runner.invoke(app, ["simulate", str(tmp_path / "none.toml"), "-n", "0"])
    assert "--replications: must be >= 1" in bad.stderr
