"""``frontline wfm``: forecast, backtest and example data, and one-line errors."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from frontline.cli.main import app
from frontline.wfm.example_data import example_history
from frontline.wfm.forecast import IntervalSeries
from frontline.wfm.history import write_history

runner = CliRunner()
INTERVALS_PER_WEEK = 7 * 48


def last_weeks(series: IntervalSeries, weeks: int) -> IntervalSeries:
    keep = slice(-weeks * INTERVALS_PER_WEEK, None)
    return IntervalSeries(
        series.interval_start[keep],
        series.volume[keep],
        series.aht_seconds[keep],
        series.interval_seconds,
    )


@pytest.fixture(scope="module")
def history_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example's last twelve weeks of two queues, small enough to read quickly."""
    path = tmp_path_factory.mktemp("wfm") / "history.csv"
    history = example_history()
    recent = {name: last_weeks(history[name], 12) for name in ("general", "billing")}
    write_history(path, recent)
    return path


def test_the_backtest_prints_both_errors_and_beats_seasonal_naive() -> None:
    result = runner.invoke(app, ["wfm", "backtest"])
    assert result.exit_code == 0, result.output
    assert "MAE   model" in result.output
    assert "WAPE  model" in result.output
    assert "WAPE ratio (model / naive)" in result.output
    report = json.loads(runner.invoke(app, ["wfm", "backtest", "--json"]).output)
    assert report["model"]["wape"] < report["naive"]["wape"]
    assert report["model"]["mae"] < report["naive"]["mae"]
    assert set(report["queues"]) == {"general", "tax-reporting", "billing"}
    assert report["holdout_start"] == "2026-10-12"


def test_the_backtest_reads_a_history_file(history_csv: Path) -> None:
    result = runner.invoke(
        app, ["wfm", "backtest", "--history", str(history_csv), "--holdout-days", "14", "--json"]
    )
    assert result.exit_code == 0, result.output
    assert set(json.loads(result.output)["queues"]) == {"general", "billing"}


def test_forecast_prints_json_per_interval(history_csv: Path) -> None:
    arguments = ["--history", str(history_csv), "--start", "2026-11-09", "--days", "2"]
    result = runner.invoke(app, ["wfm", "forecast", *arguments, "--queue", "general", "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert len(rows) == 2 * 48
    # Moscow's Monday 9 November starts at 21:00 UTC on the Sunday.
    assert rows[0]["interval_start"] == "2026-11-08T21:00:00Z"
    assert {row["queue"] for row in rows} == {"general"}
    assert sum(row["volume"] for row in rows) > 1000


def test_forecast_writes_csv(history_csv: Path, tmp_path: Path) -> None:
    out = tmp_path / "forecast.csv"
    arguments = ["--history", str(history_csv), "--start", "2026-11-09", "--days", "1"]
    result = runner.invoke(app, ["wfm", "forecast", *arguments, "--csv", str(out)])
    assert result.exit_code == 0, result.output
    with out.open(newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert len(rows) == 2 * 48
    assert set(rows[0]) == {"interval_start", "queue", "volume", "aht_seconds"}


def test_example_data_writes_two_years_of_three_queues(tmp_path: Path) -> None:
    out = tmp_path / "example.csv"
    result = runner.invoke(app, ["wfm", "example-data", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"wrote {3 * 728 * 48} rows to {out}"


@pytest.mark.parametrize(
    ("arguments", "words"),
    [
        (["--queue", "sales"], "unknown queue 'sales'"),
        (["--start", "9 Nov"], "--start"),
        (["--days", "0"], "--days"),
        (["--interval-minutes", "7"], "--interval-minutes"),
        (["--time-zone", "Mars/Olympus"], "time_zone"),
        (["--country", "XX"], "country"),
        (["--json", "--csv", "out.csv"], "not both"),
        (["--interval-minutes", "15"], "cannot forecast 15-minute intervals"),
    ],
)
def test_bad_forecast_input_is_one_line_and_non_zero(
    history_csv: Path, arguments: list[str], words: str
) -> None:
    base = ["--history", str(history_csv), "--start", "2026-11-09", "--days", "1"]
    result = runner.invoke(app, ["wfm", "forecast", *base, *arguments])
    assert result.exit_code != 0
    lines = result.output.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("error:")
    assert words in lines[0]


BAD_ROW = "interval_start,queue,volume,aht_seconds\n2026-01-01T00:00Z,tax,-3,100\n"


@pytest.mark.parametrize(
    ("arguments", "words"),
    [
        (["forecast", "--history", "{bad}", "--start", "2026-01-02", "--days", "1"], "row 2"),
        (["backtest", "--history", "{bad}"], "row 2, column volume"),
        (["backtest", "--history", "{absent}"], "cannot read"),
        (["backtest", "--holdout-days", "800"], "holdout_days"),
    ],
)
def test_bad_files_are_one_line_and_non_zero(
    tmp_path: Path, arguments: list[str], words: str
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(BAD_ROW, encoding="utf-8")
    paths = {"bad": bad, "absent": tmp_path / "absent.csv"}
    result = runner.invoke(app, ["wfm", *(argument.format(**paths) for argument in arguments)])
    assert result.exit_code != 0
    lines = result.output.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("error:")
    assert words in lines[0]
