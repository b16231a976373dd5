"""Agent metrics: occupancy, utilisation and the count of agents by state.

Each takes :class:`AgentTime` records (seconds per state over a period) or state names,
and returns None when there is no time to divide by.

>>> from frontline.metrics import AgentTime, occupancy
>>> team = [AgentTime(1, busy_seconds=600, wrap_up_seconds=60, ready_seconds=240),
...         AgentTime(2, busy_seconds=300, ready_seconds=600, not_ready_seconds=900)]
>>> occupancy(team)
0.5333333333333333
>>> utilisation(team[1])
0.16666666666666666
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from frontline.metrics.model import AgentTime

__all__ = ["agents_by_state", "occupancy", "utilisation"]


def occupancy(times: Iterable[AgentTime]) -> float | None:
    """Occupancy = sum(busy + wrap-up) / sum(busy + wrap-up + ready).

    Time spent not ready is left out: occupancy says how hard the agents who were
    available worked. None when nobody was busy, wrapping up or ready.
    """
    working = available = 0.0
    for time in times:
        engaged = time.busy_seconds + time.wrap_up_seconds
        working += engaged
        available += engaged + time.ready_seconds
    return working / available if available else None


def utilisation(time: AgentTime) -> float | None:
    """Utilisation of one agent = (busy + wrap-up) / (busy + wrap-up + ready + not ready):
    the share of their logged-in time spent on contacts. None when never logged in."""
    engaged = time.busy_seconds + time.wrap_up_seconds
    logged_in = engaged + time.ready_seconds + time.not_ready_seconds
    return engaged / logged_in if logged_in else None


def agents_by_state(states: Iterable[str]) -> dict[str, int]:
    """How many agents are in each state (``frontline.routing.AgentState`` values), by name.

    >>> agents_by_state(["ready", "busy", "busy", "wrap_up"])
    {'busy': 2, 'ready': 1, 'wrap_up': 1}
    """
    return dict(sorted(Counter(str(state) for state in states).items()))
