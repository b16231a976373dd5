"""Reading history CSV files: queues, time zones, aggregation, and row-and-column errors."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from frontline.wfm.forecast import IntervalSeries
from frontline.wfm.history import (
    HistoryFileError,
    holiday_dates,
    read_history,
    read_history_file,
    select_queue,
    write_history,
)

HEADER = "interval_start,queue,volume,aht_seconds\n"


def read(text: str, interval_seconds: int = 1800) -> dict[str, IntervalSeries]:
    return read_history(io.StringIO(HEADER + text), interval_seconds=interval_seconds)


def test_rows_are_split_by_queue_and_sorted_in_utc() -> None:
    history = read(
        "2025-03-03T09:30:00+03:00,tax,5,300\n"
        "2025-03-03T06:00:00Z,tax,4,200\n"
        "2025-03-03T06:00:00Z,billing,0,\n"
    )
    assert sorted(history) == ["billing", "tax"]
    tax = history["tax"]
    assert tax.interval_start.tolist() == [1740981600, 1740983400]
    assert tax.volume.tolist() == [4.0, 5.0]
    assert np.isnan(history["billing"].aht_seconds[0])


def test_finer_intervals_are_summed_with_a_volume_weighted_aht() -> None:
    history = read("2025-03-03T06:00:00Z,tax,1,100\n2025-03-03T06:15:00Z,tax,3,200\n")
    assert history["tax"].volume.tolist() == [4.0]
    assert history["tax"].aht_seconds.tolist() == [175.0]


def test_coarser_history_than_the_interval_is_refused() -> None:
    hourly = "2025-03-03T06:00:00Z,tax,1,100\n2025-03-03T07:00:00Z,tax,3,200\n"
    assert read(hourly, interval_seconds=3600)["tax"].volume.tolist() == [1.0, 3.0]
    with pytest.raises(HistoryFileError, match="'tax' has 60-minute intervals; cannot forecast 30"):
        read(hourly, interval_seconds=1800)


@pytest.mark.parametrize(
    ("rows", "where", "words"),
    [
        ("2025-03-03 06:00,tax,1,100\n", "row 2, column interval_start", "UTC offset"),
        ("yesterday,tax,1,100\n", "row 2, column interval_start", "ISO 8601"),
        ("2025-03-03T06:00Z,tax,-1,100\n", "row 2, column volume", ">= 0"),
        ("2025-03-03T06:00Z,tax,many,100\n", "row 2, column volume", "'many'"),
        ("2025-03-03T06:00Z,tax,3,\n", "row 2, column aht_seconds", ">= 0"),
        ("2025-03-03T06:00Z,tax,3,nan\n", "row 2, column aht_seconds", ">= 0"),
        ("2025-03-03T06:00Z,,3,100\n", "row 2, column queue", "empty"),
        (
            "2025-03-03T06:00Z,tax,1,100\n2025-03-03T09:00+03:00,tax,1,100\n",
            "row 3, column interval_start",
            "duplicate interval for queue 'tax', also on row 2",
        ),
    ],
)
def test_bad_rows_name_their_row_and_column(rows: str, where: str, words: str) -> None:
    with pytest.raises(HistoryFileError) as caught:
        read(rows)
    assert str(caught.value).startswith(where)
    assert words in str(caught.value)


def test_missing_columns_and_empty_files_are_refused() -> None:
    with pytest.raises(HistoryFileError, match="missing column"):
        read_history(io.StringIO("interval_start,queue,volume\n"), interval_seconds=1800)
    with pytest.raises(HistoryFileError, match="no rows"):
        read("")


def test_a_missing_file_is_a_history_error(tmp_path: Path) -> None:
    with pytest.raises(HistoryFileError, match="cannot read"):
        read_history_file(tmp_path / "absent.csv", interval_seconds=1800)


def test_written_history_reads_back_the_same(tmp_path: Path) -> None:
    series = IntervalSeries.from_volumes(
        first_start=1_740_981_600,
        interval_seconds=1800,
        volume=[3, 0, 7],
        aht_seconds=[210.5, np.nan, 95.0],
    )
    path = tmp_path / "history.csv"
    assert write_history(path, {"tax": series}) == 3
    back = read_history_file(path, interval_seconds=1800)["tax"]
    np.testing.assert_array_equal(back.interval_start, series.interval_start)
    np.testing.assert_array_equal(back.volume, series.volume)
    np.testing.assert_array_equal(back.aht_seconds, series.aht_seconds)


def test_an_unknown_queue_lists_the_known_ones() -> None:
    history = read("2025-03-03T06:00:00Z,tax,1,100\n")
    with pytest.raises(HistoryFileError, match="unknown queue 'sales'; the history has: tax"):
        select_queue(history, "sales")


def test_holidays_come_from_the_country_calendar() -> None:
    assert date(2025, 11, 4) in holiday_dates("RU", [2025])
    with pytest.raises(HistoryFileError, match="no holiday calendar"):
        holiday_dates("XX", [2025])
