"""Contact metrics: each defined once, here, with its formula in its docstring.

Every function takes an iterable of :class:`ContactOutcome` (any order) and returns a
number, or None when the ratio has nothing to count — never a division by zero. A contact
still waiting (neither answered nor abandoned) enters no ratio: its outcome is not known
yet. The wallboard, the API, reports and the simulator all call these; ``docs/metrics.md``
lists them.

>>> from frontline.metrics import ContactOutcome, service_level
>>> day = [
...     ContactOutcome(1, arrived_at=0, answered_at=10, ended_at=100, wrap_up_ended_at=110),
...     ContactOutcome(1, arrived_at=5, answered_at=45, ended_at=200, wrap_up_ended_at=200),
...     ContactOutcome(1, arrived_at=9, abandoned_at=12),
... ]
>>> service_level(day)
0.3333333333333333
>>> average_speed_of_answer(day), average_handle_time(day)
(25.0, 127.5)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from frontline.metrics.model import (
    DEFAULT_POLICY,
    AbandonTreatment,
    ContactOutcome,
    ServiceLevelPolicy,
)

__all__ = [
    "Policies",
    "abandoned",
    "abandonment_rate",
    "answered",
    "average_handle_time",
    "average_speed_of_answer",
    "average_wait",
    "contacts_waiting",
    "handled",
    "longest_wait",
    "offered",
    "service_level",
]


# One policy for every contact, or each queue's own (keyed by ``queue_id``): the wallboard's
# totals span queues whose goals differ, and each contact counts under its own queue's.
Policies = ServiceLevelPolicy | Mapping[int, ServiceLevelPolicy]


def _policy_of(policy: Policies) -> Callable[[ContactOutcome], ServiceLevelPolicy]:
    if isinstance(policy, ServiceLevelPolicy):
        return lambda _outcome: policy
    return lambda outcome: policy.get(outcome.queue_id, DEFAULT_POLICY)


def offered(outcomes: Iterable[ContactOutcome]) -> int:
    """Offered = every contact that arrived, whatever became of it."""
    return sum(1 for _ in outcomes)


def answered(outcomes: Iterable[ContactOutcome]) -> int:
    """Answered = contacts with ``answered_at``."""
    return sum(1 for outcome in outcomes if outcome.answered_at is not None)


def abandoned(outcomes: Iterable[ContactOutcome]) -> int:
    """Abandoned = contacts with ``abandoned_at`` (all of them, short ones too)."""
    return sum(1 for outcome in outcomes if outcome.abandoned_at is not None)


def handled(outcomes: Iterable[ContactOutcome]) -> int:
    """Handled = answered contacts whose wrap-up has ended (``wrap_up_ended_at`` set)."""
    return sum(1 for outcome in outcomes if outcome.wrap_up_ended_at is not None)


def service_level(
    outcomes: Iterable[ContactOutcome], policy: Policies = DEFAULT_POLICY
) -> float | None:
    """Share answered within T = ``policy.threshold_seconds`` (a wait of exactly T counts).

    With W = answered with wait <= T, A = answered, X = abandoned, X_N = abandoned after
    waiting at least N = ``policy.short_abandon_seconds``:

    * ``abandoned_count_against``: W / (A + X)
    * ``abandoned_excluded``: W / A
    * ``short_abandons_ignored``: W / (A + X_N)

    None when the denominator is 0. With a mapping of policies by queue, each contact
    counts under its own queue's policy (queues missing from it: the default policy).
    """
    within = counted = 0
    policy_of = _policy_of(policy)
    for outcome in outcomes:
        own = policy_of(outcome)
        if outcome.answered_at is not None:
            counted += 1
            within += outcome.answered_at - outcome.arrived_at <= own.threshold_seconds
        elif outcome.abandoned_at is not None:
            counted += own.counts_abandon(outcome.abandoned_at - outcome.arrived_at)
    return within / counted if counted else None


def abandonment_rate(
    outcomes: Iterable[ContactOutcome], policy: Policies = DEFAULT_POLICY
) -> float | None:
    """Abandonment rate = X / (A + X): abandoned among contacts answered or abandoned.

    Under ``short_abandons_ignored`` the short abandons (wait < N) are dropped from both:
    X_N / (A + X_N). The other policies count every abandon (``abandoned_excluded`` only
    keeps them out of the service level, not out of this rate). None when nothing ended
    waiting. A mapping of policies by queue applies each contact's own.
    """
    gone = counted = 0
    policy_of = _policy_of(policy)
    for outcome in outcomes:
        if outcome.answered_at is not None:
            counted += 1
        elif outcome.abandoned_at is not None:
            own = policy_of(outcome)
            wait = outcome.abandoned_at - outcome.arrived_at
            if own.treatment is not AbandonTreatment.SHORT_IGNORED or (
                wait >= own.short_abandon_seconds
            ):
                gone += 1
                counted += 1
    return gone / counted if counted else None


def average_speed_of_answer(outcomes: Iterable[ContactOutcome]) -> float | None:
    """ASA = sum over answered contacts of (answered_at - arrived_at) / A, in seconds."""
    total = 0.0
    count = 0
    for outcome in outcomes:
        if outcome.answered_at is not None:
            total += outcome.answered_at - outcome.arrived_at
            count += 1
    return total / count if count else None


def average_wait(outcomes: Iterable[ContactOutcome]) -> float | None:
    """Average wait = sum over answered and abandoned contacts of their wait / (A + X).

    Unlike ASA it counts the time abandoned callers waited; it is what Erlang A calls
    the mean wait of all offered calls.
    """
    total = 0.0
    count = 0
    for outcome in outcomes:
        wait = outcome.wait_seconds
        if wait is not None:
            total += wait
            count += 1
    return total / count if count else None


def average_handle_time(outcomes: Iterable[ContactOutcome]) -> float | None:
    """AHT = sum over handled contacts of talk + wrap-up / handled, in seconds, where
    talk = ended_at - answered_at and wrap-up = wrap_up_ended_at - ended_at."""
    total = 0.0
    count = 0
    for outcome in outcomes:
        if outcome.wrap_up_ended_at is not None and outcome.answered_at is not None:
            total += outcome.wrap_up_ended_at - outcome.answered_at
            count += 1
    return total / count if count else None


def _waiting_at(outcome: ContactOutcome, at: float) -> bool:
    if outcome.arrived_at > at:
        return False
    left = outcome.answered_at if outcome.answered_at is not None else outcome.abandoned_at
    return left is None or left > at


def contacts_waiting(outcomes: Iterable[ContactOutcome], at: float) -> int:
    """Contacts waiting at ``at``: arrived at or before it, not answered or abandoned by it."""
    return sum(1 for outcome in outcomes if _waiting_at(outcome, at))


def longest_wait(outcomes: Iterable[ContactOutcome], at: float) -> float | None:
    """Longest wait = max of (at - arrived_at) over contacts waiting at ``at``; None if none."""
    waits = [at - outcome.arrived_at for outcome in outcomes if _waiting_at(outcome, at)]
    return max(waits, default=None)
