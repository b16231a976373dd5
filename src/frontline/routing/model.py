"""The routing engine's vocabulary: configuration in, decisions out, snapshots to restart.

Everything here is a frozen dataclass or an enum of plain strings, so the engine imports
nothing from the ORM: channels are the values of ``frontline.org.models.Channel``
(``"voice"``, ``"email"``, ``"chat"``, ``"web"``, ``"fax"``), ids are the tables' integers.
Configuration validates itself on construction and raises :class:`RoutingArgumentError`
naming the field at fault.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Any, TypeVar

CHANNELS = frozenset({"voice", "email", "chat", "web", "fax"})
# The blocking matrix: work in hand on the key channel stops new offers on the listed ones.
# A call takes the agent's voice and attention, so no new chat starts during one (an agent
# already chatting keeps those chats). Nothing else blocks: e-mail, web forms and faxes
# wait in the agent's hands without demanding attention.
BLOCKED_BY: Mapping[str, tuple[str, ...]] = MappingProxyType({"chat": ("voice",)})
MIN_PROFICIENCY, MAX_PROFICIENCY = 1, 5


class RoutingArgumentError(ValueError):
    """A bad argument, or a request the engine's state refuses; ``argument`` names it."""

    def __init__(self, argument: str, message: str) -> None:
        super().__init__(f"{argument} {message}")
        self.argument = argument


class Presence(StrEnum):
    READY = "ready"
    NOT_READY = "not_ready"


class AgentState(StrEnum):
    """What a supervisor sees: presence, unless work in hand says more."""

    LOGGED_OUT = "logged_out"
    READY = "ready"
    NOT_READY = "not_ready"
    OFFERED = "offered"
    BUSY = "busy"
    WRAP_UP = "wrap_up"


class NotReadyReason(StrEnum):
    LOGIN = "login"
    LUNCH = "lunch"
    BREAK = "break"
    TRAINING = "training"
    MENTORING = "mentoring"
    OFF_PHONE_WORK = "off_phone_work"
    # Set by the engine: an agent who lets an offer time out is probably away.
    MISSED_OFFER = "missed_offer"


class Phase(StrEnum):
    OFFERED = "offered"
    BUSY = "busy"
    WRAP_UP = "wrap_up"


class OfferKind(StrEnum):
    QUEUE = "queue"
    TRANSFER = "transfer"
    WARM_ESCALATION = "warm_escalation"
    COLD_ESCALATION = "cold_escalation"


class EscalationMode(StrEnum):
    WARM = "warm"  # the agent stays on until the supervisor answers
    COLD = "cold"  # the agent lets go at once; the contact waits for the supervisor


def _check(condition: bool, argument: str, message: str) -> None:
    if not condition:
        raise RoutingArgumentError(argument, message)


def _check_channel(argument: str, channel: str) -> None:
    _check(channel in CHANNELS, argument, f"must be one of {sorted(CHANNELS)}, got {channel!r}")


@dataclass(frozen=True, slots=True)
class SkillRequirement:
    skill_id: int
    min_proficiency: int = MIN_PROFICIENCY

    def __post_init__(self) -> None:
        _check(
            MIN_PROFICIENCY <= self.min_proficiency <= MAX_PROFICIENCY,
            "min_proficiency",
            f"must be between 1 and 5, got {self.min_proficiency}",
        )


Group = tuple[SkillRequirement, ...]  # all must hold; an empty group admits anyone


@dataclass(frozen=True, slots=True)
class OverflowStep:
    """After ``after_seconds`` of waiting, agents meeting ``requirements`` may also take it."""

    after_seconds: float
    requirements: Group = ()

    def __post_init__(self) -> None:
        _check(self.after_seconds >= 0, "after_seconds", f"must be >= 0, got {self.after_seconds}")


@dataclass(frozen=True, slots=True)
class QueueConfig:
    """One queue; effective priority = ``priority`` + ``aging_per_second`` x seconds waited."""

    queue_id: int
    channel: str
    requirements: Group = ()
    priority: float = 0.0
    aging_per_second: float = 0.0
    overflow: tuple[OverflowStep, ...] = ()
    wrap_up_limit_seconds: float = 120.0
    offer_timeout_seconds: float = 20.0
    # Stage 0 is the queue's own requirements, stage k the k-th overflow step's.
    groups: tuple[Group, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        _check_channel("channel", self.channel)
        _check(self.aging_per_second >= 0, "aging_per_second", "must be >= 0")
        _check(self.wrap_up_limit_seconds > 0, "wrap_up_limit_seconds", "must be > 0")
        _check(self.offer_timeout_seconds > 0, "offer_timeout_seconds", "must be > 0")
        times = [step.after_seconds for step in self.overflow]
        _check(times == sorted(times), "overflow", "steps must be in order of after_seconds")
        # Computed once: routing reads it on every decision.
        groups = (self.requirements, *(step.requirements for step in self.overflow))
        object.__setattr__(self, "groups", groups)


@dataclass(frozen=True, slots=True)
class AgentConfig:
    """Skills (skill id -> proficiency 1-5) and contacts at once per channel (0 if absent)."""

    agent_id: int
    skills: Mapping[int, int] = field(default_factory=dict)
    capacity: Mapping[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for skill_id, proficiency in self.skills.items():
            _check(
                MIN_PROFICIENCY <= proficiency <= MAX_PROFICIENCY,
                "skills",
                f"proficiency must be between 1 and 5, got {proficiency} for skill {skill_id}",
            )
        for channel, limit in self.capacity.items():
            _check_channel("capacity", channel)
            _check(limit >= 0, "capacity", f"must be >= 0, got {limit} for {channel}")
        # Copies, so a caller's later change to its dict cannot alter the engine's view.
        object.__setattr__(self, "skills", MappingProxyType(dict(self.skills)))
        object.__setattr__(self, "capacity", MappingProxyType(dict(self.capacity)))

    def meets(self, group: Group) -> bool:
        return all(self.skills.get(r.skill_id, 0) >= r.min_proficiency for r in group)


@dataclass(frozen=True, slots=True)
class Contact:
    """A contact to route; ``priority`` is added to its queue's (a VIP, a callback)."""

    contact_id: int
    queue_id: int
    priority: float = 0.0


# --- decisions ------------------------------------------------------------------------

_Frozen = TypeVar("_Frozen")


def _quick_init(cls: type[_Frozen]) -> type[_Frozen]:
    """Give a frozen dataclass an ``__init__`` that holds ``object.__setattr__`` in a local
    instead of looking it up on ``object`` for every field, as the generated one does: the
    engine makes a few decisions per contact, and that look-up was a third of each.

    Same signature, defaults and checks (none): only the frozen fields' setting is faster.
    """
    fields = dataclasses.fields(cls)  # type: ignore[arg-type]  # decorating dataclasses only
    assert all(f.init and f.default_factory is dataclasses.MISSING for f in fields)
    params = ", ".join(
        f.name if f.default is dataclasses.MISSING else f"{f.name}=_default_{f.name}"
        for f in fields
    )
    body = "".join(f"  _set(self, {f.name!r}, {f.name})\n" for f in fields)
    defaults = {f"_default_{f.name}": f.default for f in fields}
    source = (
        f"def _make({', '.join(['_set', *defaults])}):\n"
        f" def __init__(self, {params}):\n{body}"
        " return __init__\n"
    )
    namespace: dict[str, Any] = {}
    exec(source, {}, namespace)  # noqa: S102 - built from field names, as dataclasses does
    make: Callable[..., Callable[..., None]] = namespace["_make"]
    init = make(object.__setattr__, *defaults.values())
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__module__ = cls.__module__
    cls.__init__ = init  # type: ignore[method-assign]
    return cls


@_quick_init
@dataclass(frozen=True, slots=True)
class Offer:
    contact_id: int
    agent_id: int
    queue_id: int
    at: float
    kind: OfferKind = OfferKind.QUEUE


@_quick_init
@dataclass(frozen=True, slots=True)
class OfferTimedOut:
    contact_id: int
    agent_id: int
    at: float


@_quick_init
@dataclass(frozen=True, slots=True)
class Requeued:
    """The contact waits again, at its original place (sequence and enqueue time kept)."""

    contact_id: int
    queue_id: int
    at: float


@_quick_init
@dataclass(frozen=True, slots=True)
class Overflowed:
    contact_id: int
    queue_id: int
    step: int  # 1 = the first overflow step
    at: float


@_quick_init
@dataclass(frozen=True, slots=True)
class WrapUpStarted:
    agent_id: int
    contact_id: int
    at: float
    limit_seconds: float


@_quick_init
@dataclass(frozen=True, slots=True)
class WrapUpEnded:
    agent_id: int
    contact_id: int
    at: float
    forced: bool  # the queue's wrap-up limit ran out


@_quick_init
@dataclass(frozen=True, slots=True)
class AgentStateChanged:
    """A change the engine made on its own (the agent did not ask for it)."""

    agent_id: int
    presence: Presence
    reason: NotReadyReason | None
    at: float


Decision = (
    Offer | OfferTimedOut | Requeued | Overflowed | WrapUpStarted | WrapUpEnded | AgentStateChanged
)


# --- snapshots ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class WorkSnapshot:
    contact_id: int
    channel: str
    queue_id: int
    phase: Phase
    since: float
    deadline: float | None  # offer time-out or wrap-up limit; None while busy


@dataclass(frozen=True, slots=True)
class AgentSnapshot:
    config: AgentConfig
    presence: Presence
    reason: NotReadyReason | None
    idle_since: float
    busy_seconds_today: float
    work: tuple[WorkSnapshot, ...]


@dataclass(frozen=True, slots=True)
class ContactSnapshot:
    """A contact not yet finished: waiting, offered, or in an agent's hands."""

    contact_id: int
    queue_id: int
    priority: float  # the contact's own, added to its queue's
    seq: int
    enqueued_at: float
    kind: OfferKind
    stage: int  # overflow steps reached
    target_agent_id: int | None  # waits for this agent only (transfer, escalation)
    handler_id: int | None  # the agent talking to the customer
    offered_to: int | None
    rejected_by: frozenset[int]
    waiting: bool


@dataclass(frozen=True, slots=True)
class Snapshot:
    agents: tuple[AgentSnapshot, ...]
    contacts: tuple[ContactSnapshot, ...]
    next_seq: int
