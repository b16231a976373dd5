"""The chart configurations pages hand to Chart.js."""

import pytest

from frontline.web.charts import Series, chart


def test_chart_carries_labels_and_one_dataset_per_series() -> None:
    config = chart(
        ["08:00", "08:30"],
        [Series("required", [3, 4]), Series("scheduled", [2, None], kind="bar", dashed=True)],
        y_title="agents",
    )
    assert config["data"]["labels"] == ["08:00", "08:30"]
    required, scheduled = config["data"]["datasets"]
    assert (required["label"], required["data"], required["type"]) == ("required", [3, 4], "line")
    assert (scheduled["data"], scheduled["type"], scheduled["borderDash"]) == (
        [2, None],
        "bar",
        [6, 4],
    )
    assert required["borderColor"] != scheduled["borderColor"]
    assert config["options"]["scales"]["y"]["title"]["text"] == "agents"


def test_series_of_the_wrong_length_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match="'required' has 1 values for 2 labels"):
        chart(["a", "b"], [Series("required", [1])])
