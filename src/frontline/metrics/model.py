"""The metrics' inputs: what happened to each contact, how each agent spent their time,
and the per-queue service-level policy.

Times are float seconds on any one clock: the live service passes UTC epoch seconds, the
simulator its own clock. Every shape validates itself on construction and raises
:class:`MetricsArgumentError` naming the field at fault.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

__all__ = [
    "DEFAULT_POLICY",
    "AbandonTreatment",
    "AgentTime",
    "ContactOutcome",
    "MetricsArgumentError",
    "ServiceLevelPolicy",
]


class MetricsArgumentError(ValueError):
    """A bad argument; ``argument`` names the field or parameter at fault."""

    def __init__(self, argument: str, message: str) -> None:
        super().__init__(f"{argument} {message}")
        self.argument = argument


def _check(condition: bool, argument: str, message: str) -> None:
    if not condition:
        raise MetricsArgumentError(argument, message)


def _not_before(later: float | None, earlier: float | None, argument: str, what: str) -> None:
    if later is not None and earlier is not None:
        _check(later >= earlier, argument, f"must not be before {what}, got {later} < {earlier}")


@dataclass(frozen=True, slots=True)
class ContactOutcome:
    """One contact offered to a queue, as far as it has gone.

    ``answered_at``: an agent accepted it. ``abandoned_at``: the customer left while it
    waited (never both). ``ended_at``: the conversation ended (answered contacts only).
    ``wrap_up_ended_at``: the agent finished the after-contact work; from then on the
    contact counts as *handled*. A contact with neither ``answered_at`` nor
    ``abandoned_at`` is still waiting.
    """

    queue_id: int
    arrived_at: float
    answered_at: float | None = None
    abandoned_at: float | None = None
    ended_at: float | None = None
    wrap_up_ended_at: float | None = None

    def __post_init__(self) -> None:
        arrived, answered, abandoned = self.arrived_at, self.answered_at, self.abandoned_at
        ended, wrapped = self.ended_at, self.wrap_up_ended_at
        # One pass of comparisons for the good case: the simulator builds thousands a day.
        if (
            (answered is None or (abandoned is None and answered >= arrived))
            and (abandoned is None or abandoned >= arrived)
            and (ended is None or (answered is not None and ended >= answered))
            and (wrapped is None or (ended is not None and wrapped >= ended))
        ):
            return
        self._refuse()

    def _refuse(self) -> None:
        """Raise the error naming the first field at fault."""
        _check(
            self.answered_at is None or self.abandoned_at is None,
            "abandoned_at",
            "must be None for an answered contact",
        )
        _not_before(self.answered_at, self.arrived_at, "answered_at", "arrived_at")
        _not_before(self.abandoned_at, self.arrived_at, "abandoned_at", "arrived_at")
        _check(
            self.ended_at is None or self.answered_at is not None,
            "ended_at",
            "needs answered_at (an abandoned contact ends at abandoned_at)",
        )
        _not_before(self.ended_at, self.answered_at, "ended_at", "answered_at")
        _check(
            self.wrap_up_ended_at is None or self.ended_at is not None,
            "wrap_up_ended_at",
            "needs ended_at",
        )
        _not_before(self.wrap_up_ended_at, self.ended_at, "wrap_up_ended_at", "ended_at")

    @property
    def wait_seconds(self) -> float | None:
        """Time in queue until answered or abandoned; None while still waiting."""
        left = self.answered_at if self.answered_at is not None else self.abandoned_at
        return None if left is None else left - self.arrived_at


@dataclass(frozen=True, slots=True)
class AgentTime:
    """Seconds one agent spent in each state over some period (logged-out time excluded).

    ``busy_seconds``: talking or otherwise handling a contact; ``wrap_up_seconds``:
    after-contact work; ``ready_seconds``: available and idle; ``not_ready_seconds``:
    logged in but unavailable (breaks, training). An agent doing several contacts at once
    (chats) counts the time once, in the most engaged state.
    """

    agent_id: int
    busy_seconds: float = 0.0
    wrap_up_seconds: float = 0.0
    ready_seconds: float = 0.0
    not_ready_seconds: float = 0.0

    def __post_init__(self) -> None:
        for name in ("busy_seconds", "wrap_up_seconds", "ready_seconds", "not_ready_seconds"):
            value = getattr(self, name)
            _check(value >= 0, name, f"must be >= 0, got {value}")


class AbandonTreatment(StrEnum):
    """How abandoned contacts enter the service level; vendors disagree, so it is a policy."""

    # answered within T / (answered + abandoned)
    COUNT_AGAINST = "abandoned_count_against"
    # answered within T / answered
    EXCLUDED = "abandoned_excluded"
    # answered within T / (answered + abandoned after N s): short abandons dropped from both
    SHORT_IGNORED = "short_abandons_ignored"


@dataclass(frozen=True, slots=True)
class ServiceLevelPolicy:
    """A queue's service-level goal: ``target`` of contacts answered within
    ``threshold_seconds``, abandoned contacts treated as ``treatment`` says.

    ``short_abandon_seconds`` (N) is used by :attr:`AbandonTreatment.SHORT_IGNORED` only:
    a contact abandoned after waiting less than N seconds is dropped (a caller who hung up
    at once was most likely a wrong number). The defaults, 90 % within 20 s, abandons
    counted against, short abandon 5 s, are the issue's.
    """

    treatment: AbandonTreatment = AbandonTreatment.COUNT_AGAINST
    threshold_seconds: float = 20.0
    target: float = 0.9
    short_abandon_seconds: float = 5.0

    def __post_init__(self) -> None:
        _check(self.threshold_seconds >= 0, "threshold_seconds", "must be >= 0")
        _check(0 < self.target <= 1, "target", f"must be in (0, 1], got {self.target}")
        _check(self.short_abandon_seconds >= 0, "short_abandon_seconds", "must be >= 0")
        # A plain string from a settings form or a TOML file is accepted and converted.
        object.__setattr__(self, "treatment", AbandonTreatment(self.treatment))

    def counts_abandon(self, wait_seconds: float) -> bool:
        """Whether a contact abandoned after ``wait_seconds`` enters this policy's ratios."""
        if self.treatment is AbandonTreatment.EXCLUDED:
            return False
        if self.treatment is AbandonTreatment.SHORT_IGNORED:
            return wait_seconds >= self.short_abandon_seconds
        return True


DEFAULT_POLICY = ServiceLevelPolicy()
