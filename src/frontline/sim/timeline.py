"""Time spent in states, recorded as segments during a run and binned per interval after.

The event loop only appends ``(key, start, end, weight)`` — an agent group's state, or a
queue's count of waiting contacts — which costs far less than splitting every segment at
the interval edges as it happens; :meth:`Segments.binned` does that for all of them at
once with NumPy.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

__all__ = ["Segments"]


class Segments:
    def __init__(self, keys: int, open_at: float, close_at: float, length: float) -> None:
        self.keys, self.open, self.close, self.length = keys, open_at, close_at, length
        self.intervals = int(np.ceil((close_at - open_at) / length))
        self.rows: list[tuple[int, float, float, float]] = []

    def add(self, key: int, start: float, end: float, weight: float = 1.0) -> None:
        self.rows.append((key, start, end, weight))

    def binned(self) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Per key and interval: the sum of weight x overlap in seconds, and the largest
        weight of a segment overlapping the interval for a positive time."""
        total = np.zeros((self.keys, self.intervals))
        peak = np.zeros((self.keys, self.intervals))
        if not self.rows:
            return total, peak
        keys, starts, ends, weights = (
            np.asarray(column) for column in zip(*self.rows, strict=True)
        )
        starts = np.maximum(starts, self.open)
        ends = np.minimum(ends, self.close)
        inside = ends > starts
        keys, starts, ends, weights = keys[inside], starts[inside], ends[inside], weights[inside]
        first = ((starts - self.open) // self.length).astype(np.int64)
        # The interval holding the segment's last instant (its end is excluded).
        last = np.minimum(
            np.ceil((ends - self.open) / self.length).astype(np.int64) - 1, self.intervals - 1
        )
        last = np.maximum(last, first)
        spans = last - first + 1
        row = np.repeat(np.arange(keys.size), spans)
        index = first[row] + np.arange(row.size) - np.repeat(np.cumsum(spans) - spans, spans)
        edge_start = self.open + index * self.length
        overlap = np.minimum(ends[row], edge_start + self.length) - np.maximum(
            starts[row], edge_start
        )
        flat = keys[row] * self.intervals + index
        size = self.keys * self.intervals
        total += np.bincount(flat, weights=overlap * weights[row], minlength=size).reshape(
            total.shape
        )
        positive = overlap > 0
        np.maximum.at(peak.reshape(-1), flat[positive], weights[row][positive])
        return total, peak
