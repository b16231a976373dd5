"""``frontline wfm schedule``: the example, input files, and one-line errors."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from typer.testing import CliRunner

from frontline.cli.main import app

runner = CliRunner()
SMALL = ["wfm", "schedule", "--weeks", "1", "--time-limit", "5"]


def test_the_example_prints_a_json_summary_and_writes_the_roster(tmp_path: Path) -> None:
    out = tmp_path / "roster.csv"
    result = runner.invoke(
        app, [*SMALL, "--example", "--example-agents", "12", "--json", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["publishable"] is True
    assert summary["under_staffing"] >= summary["lp_lower_bound"]
    with out.open(encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    assert len(rows) == summary["shifts"]
    assert set(rows[0]) == {"agent_id", "site", "template", "start", "end", "breaks", "off_phone"}


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def requirement_csv(path: Path, agents: int) -> Path:
    lines = ["site,interval_start,agents"]
    for day in range(7):
        for half_hour in range(48):
            clock = f"{half_hour // 2:02d}:{30 * (half_hour % 2):02d}"
            lines.append(f"north,2026-12-{7 + day:02d}T{clock},{agents}")
    return write(path, "\n".join(lines) + "\n")


def files(tmp_path: Path, agents_text: str) -> list[str]:
    return [
        "--agents",
        str(write(tmp_path / "agents.csv", agents_text)),
        "--requirement",
        str(requirement_csv(tmp_path / "requirement.csv", 1)),
        "--start",
        "2026-12-07",
    ]


def test_files_in_roster_out(tmp_path: Path) -> None:
    agents = (
        "id,site,contract_hours_per_week,on_probation,mentor_id,off_phone\n"
        "A,north,40,no,,training:60\n"
        "B,north,40,,,\n"
    )
    result = runner.invoke(app, [*SMALL, *files(tmp_path, agents)])
    assert result.exit_code == 0, result.output
    assert "rules verified: yes" in result.stdout


def test_a_bad_field_is_one_line_naming_it(tmp_path: Path) -> None:
    agents = "id,site,contract_hours_per_week\nA,north,forty\n"
    result = runner.invoke(app, [*SMALL, *files(tmp_path, agents)])
    assert result.exit_code != 0
    assert result.stderr.strip() == (
        "error: agents.csv line 2: contract_hours_per_week: expected a number, got 'forty'"
    )


def test_impossible_rules_are_one_line_naming_the_constraint(tmp_path: Path) -> None:
    # A probationer works weekdays only: 8-12 h shifts on five days cannot reach 64 ± 4 h.
    agents = (
        "id,site,contract_hours_per_week,on_probation,mentor_id\nM,north,40,no,\nP,north,68,yes,M\n"
    )
    result = runner.invoke(app, [*SMALL, *files(tmp_path, agents)])
    assert result.exit_code != 0
    assert len(result.stderr.strip().splitlines()) == 1
    assert "agent P: cannot meet" in result.stderr
    assert "weekly hours (68 ± 4 h by contract)" in result.stderr


def test_neither_example_nor_files_is_refused() -> None:
    result = runner.invoke(app, ["wfm", "schedule"])
    assert result.exit_code != 0
    assert "give --example, or --agents, --requirement and --start" in result.stderr
