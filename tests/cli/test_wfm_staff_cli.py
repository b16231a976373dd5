"""``frontline wfm staff``: the example, a forecast file with settings, the files it
writes, and one-line errors naming the field."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook  # type: ignore[import-untyped]  # no type hints
from typer.testing import CliRunner

from frontline.cli.main import app

runner = CliRunner()

SETTINGS = """
hours_per_week = 40

[defaults]
site = "Kazan"

[defaults.shrinkage]
breaks = 0.1
training = 0.05
absence = 0.15

[queues.chat]
method = "erlang_a"
patience_seconds = 120
pool = "front"

[queues.sales]
pool = "front"

[level_mix]
specialist = 1.0
"""


@pytest.fixture
def forecast_csv(tmp_path: Path) -> Path:
    """Two half hours of two queues, as `frontline wfm forecast --csv` writes them."""
    path = tmp_path / "forecast.csv"
    path.write_text(
        "interval_start,queue,volume,aht_seconds\n"
        "2026-11-09T06:00:00Z,sales,100,180\n"
        "2026-11-09T06:30:00Z,sales,0,\n"
        "2026-11-09T06:00:00Z,chat,400,180\n"
        "2026-11-09T06:30:00Z,chat,900,180\n",
        encoding="utf-8",
    )
    return path


def test_the_example_plans_every_queue() -> None:
    result = runner.invoke(app, ["wfm", "staff", "--example", "--json"])
    assert result.exit_code == 0, result.output
    plan = json.loads(result.output)
    assert {queue["queue"] for queue in plan["queues"]} == {"general", "tax-reporting", "billing"}
    assert all(len(queue["agents"]) == 48 for queue in plan["queues"])
    assert plan["sites"][0]["site"] == "Moscow"
    table = runner.invoke(app, ["wfm", "staff", "--example"])
    assert table.exit_code == 0, table.output
    assert "peak agents" in table.output
    assert "site Moscow:" in table.output


def test_a_forecast_file_with_settings(forecast_csv: Path, tmp_path: Path) -> None:
    settings = tmp_path / "staff.toml"
    settings.write_text(SETTINGS, encoding="utf-8")
    csv_out, xlsx_out = tmp_path / "plan.csv", tmp_path / "plan.xlsx"
    result = runner.invoke(
        app,
        [
            "wfm", "staff", "--forecast", str(forecast_csv), "--settings", str(settings),
            "--json", "--csv", str(csv_out), "--xlsx", str(xlsx_out),
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    plan = json.loads(result.stdout)
    queues = {queue["queue"]: queue for queue in plan["queues"]}
    # Published: 100 calls / 30 min at 3 min, 80/20 -> 14 agents, 20 at 30% shrinkage
    # (pyworkforce README); Erlang A with 120 s patience -> 41 and 87 (required_agents).
    assert queues["sales"]["agents"] == [14, 0]
    assert queues["sales"]["scheduled_agents"] == [20, 0]
    assert queues["chat"]["agents"] == [41, 87]
    assert plan["pools"][0]["separate_agents"] == [55, 87]
    assert plan["sites"][0]["site"] == "Kazan"
    with csv_out.open(encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    assert len(rows) == 4
    assert rows[0]["queue"] == "sales"
    assert rows[0]["agents"] == "14"
    book = load_workbook(xlsx_out)
    assert book.sheetnames == ["intervals", "pools", "sites", "salaries"]
    assert book["salaries"]["A2"].value == "Moscow"
    assert book["salaries"]["H2"].value == 30_000  # band IV low


@pytest.mark.parametrize(
    ("row", "field"),
    [
        ("2026-11-09T06:00:00Z,sales,lots,180", "volume"),
        ("2026-11-09T06:00:00Z,sales,-1,180", "volume"),
        ("2026-11-09T06:00:00Z,sales,10,", "aht_seconds"),
        ("yesterday,sales,10,180", "interval_start"),
        ("2026-11-09T06:00:00Z,,10,180", "queue"),
    ],
)
def test_a_bad_forecast_row_names_its_field(tmp_path: Path, row: str, field: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(f"interval_start,queue,volume,aht_seconds\n{row}\n", encoding="utf-8")
    result = runner.invoke(app, ["wfm", "staff", "--forecast", str(path)])
    assert result.exit_code != 0
    assert result.output.count("\n") == 1
    assert f"row 2: {field}" in result.output


@pytest.mark.parametrize(
    ("toml", "options", "message"),
    [
        ('[queues.sales]\nmethod = "erlang_b"\n', [], "queues.sales.method"),
        (
            "[queues.sales]\nservice_level_target = 'high'\n",
            [],
            "queues.sales.service_level_target",
        ),
        ("[defaults]\ncolour = 1\n", [], "defaults.colour"),
        ("[defaults.shrinkage]\nbreaks = 0.6\nabsence = 0.5\n", [], "defaults.shrinkage"),
        ("[level_mix]\nsupervisor = 1.0\n", [], "level_mix.supervisor"),
        ("", ["--method", "erlang_a"], "patience_seconds"),
        ("", ["--service-level", "1"], "service_level_target"),
        ("", ["--site", "Paris"], "defaults.site"),
        ("not = [toml", [], "not valid TOML"),
    ],
)
def test_bad_settings_give_one_line_naming_the_field(
    forecast_csv: Path, tmp_path: Path, toml: str, options: list[str], message: str
) -> None:
    settings = tmp_path / "staff.toml"
    settings.write_text(toml, encoding="utf-8")
    result = runner.invoke(
        app,
        ["wfm", "staff", "--forecast", str(forecast_csv), "--settings", str(settings), *options],
    )
    assert result.exit_code != 0
    assert result.output.count("\n") == 1
    assert message in result.output


def test_exactly_one_source_of_volumes(forecast_csv: Path) -> None:
    for arguments in (
        ["wfm", "staff"],
        ["wfm", "staff", "--example", "--forecast", str(forecast_csv)],
    ):
        result = runner.invoke(app, arguments)
        assert result.exit_code != 0
        assert "--forecast or --example" in result.output
