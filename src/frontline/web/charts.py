"""Chart configurations for the pages: built here, drawn by Chart.js in the browser.

A page puts ``<canvas data-chart="{{ chart|tojson|forceescape }}">`` and includes
``/static/vendor/chart.umd.min.js`` and ``/static/charts.js`` in its ``scripts`` block.
Keeping the configuration in Python means a test can check what a chart shows without a
browser, and every chart looks alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

# Colour-blind-safe palette (Okabe & Ito), so series stay apart for every reader.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")


@dataclass(frozen=True, slots=True)
class Series:
    """One line or set of bars: its legend label and one value per x label (None = gap)."""

    label: str
    values: Sequence[float | None]
    kind: Literal["line", "bar"] = "line"
    dashed: bool = False


def chart(
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    y_title: str = "",
    x_title: str = "",
    stacked: bool = False,
    y_min: float | None = 0,
) -> dict[str, Any]:
    """The Chart.js configuration of a chart over ``labels`` with the given series."""
    for item in series:
        if len(item.values) != len(labels):
            raise ValueError(
                f"series {item.label!r} has {len(item.values)} values for {len(labels)} labels"
            )
    datasets = []
    for index, item in enumerate(series):
        colour = PALETTE[index % len(PALETTE)]
        dataset: dict[str, Any] = {
            "type": item.kind,
            "label": item.label,
            "data": list(item.values),
            "borderColor": colour,
            "backgroundColor": colour + ("33" if item.kind == "line" else "cc"),
            "pointRadius": 0,
            "borderWidth": 2,
            "spanGaps": False,
        }
        if item.dashed:
            dataset["borderDash"] = [6, 4]
        datasets.append(dataset)
    y_axis: dict[str, Any] = {
        "stacked": stacked,
        "title": {"display": bool(y_title), "text": y_title},
    }
    if y_min is not None:
        y_axis["min"] = y_min
    return {
        "type": "line",
        "data": {"labels": list(labels), "datasets": datasets},
        "options": {
            "animation": False,
            "responsive": True,
            "interaction": {"mode": "index", "intersect": False},
            "scales": {
                "x": {"stacked": stacked, "title": {"display": bool(x_title), "text": x_title}},
                "y": y_axis,
            },
        },
    }
