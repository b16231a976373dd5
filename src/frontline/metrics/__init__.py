"""Contact-center metrics, each defined once: service level under a per-queue policy,
ASA, abandonment, handle time, occupancy, and their buckets per interval.

A pure core (no database, no clock): frozen dataclasses in (``model.py``), numbers out.
The wallboard, the API, reports and the simulator all call these functions; the formulas
are in their docstrings and in ``docs/metrics.md``.
"""

from frontline.metrics.agents import agents_by_state, occupancy, utilisation
from frontline.metrics.contacts import (
    Policies,
    abandoned,
    abandonment_rate,
    answered,
    average_handle_time,
    average_speed_of_answer,
    average_wait,
    contacts_waiting,
    handled,
    longest_wait,
    offered,
    service_level,
)
from frontline.metrics.intervals import (
    DEFAULT_INTERVAL_SECONDS,
    ContactSummary,
    IntervalSummary,
    bucket,
    per_interval,
    summarise,
)
from frontline.metrics.model import (
    DEFAULT_POLICY,
    AbandonTreatment,
    AgentTime,
    ContactOutcome,
    MetricsArgumentError,
    ServiceLevelPolicy,
)

__all__ = [
    "DEFAULT_INTERVAL_SECONDS",
    "DEFAULT_POLICY",
    "AbandonTreatment",
    "AgentTime",
    "ContactOutcome",
    "ContactSummary",
    "IntervalSummary",
    "MetricsArgumentError",
    "Policies",
    "ServiceLevelPolicy",
    "abandoned",
    "abandonment_rate",
    "agents_by_state",
    "answered",
    "average_handle_time",
    "average_speed_of_answer",
    "average_wait",
    "bucket",
    "contacts_waiting",
    "handled",
    "longest_wait",
    "occupancy",
    "offered",
    "per_interval",
    "service_level",
    "summarise",
    "utilisation",
]
