"""A what-if scenario: queues, agents and the day, as read from a TOML file.

The shapes are frozen pydantic models that refuse unknown keys, so a typo in a scenario
file is an error naming the key (``loading.py`` adds its line). Times of day are
``"HH:MM"`` strings (or seconds after midnight) and become seconds after midnight: the
simulator's clock. Skills are named; the names become the routing engine's integer ids
in order of first appearance.
"""

from __future__ import annotations

import math
import re
from typing import Annotated, Literal, Self

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    NonNegativeFloat,
    PositiveFloat,
    model_validator,
)

from frontline.metrics import AbandonTreatment, ServiceLevelPolicy
from frontline.routing.model import CHANNELS, MAX_PROFICIENCY, MIN_PROFICIENCY

__all__ = [
    "AgentGroup",
    "Break",
    "Distribution",
    "Overflow",
    "QueueSpec",
    "Retrial",
    "Scenario",
    "ServiceLevelSpec",
    "Shift",
    "SkillNeed",
    "clock_text",
]

_CLOCK = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?$")
_DAY_SECONDS = 24 * 3600


def _clock_seconds(value: object) -> object:
    """``"08:30"`` -> 30600.0; numbers pass through (seconds after midnight)."""
    if isinstance(value, str):
        match = _CLOCK.match(value.strip())
        if not match:
            raise ValueError(f"expected a time of day HH:MM, got {value!r}")
        hours, minutes, seconds = (int(part or 0) for part in match.groups())
        if minutes >= 60 or seconds >= 60:
            raise ValueError(f"expected a time of day HH:MM, got {value!r}")
        return float(hours * 3600 + minutes * 60 + seconds)
    return value


def clock_text(seconds: float) -> str:
    """Seconds after midnight as ``"HH:MM"``: the inverse of the scenario's times of day."""
    return f"{int(seconds // 3600):02d}:{int(seconds % 3600 // 60):02d}"


# Up to 48:00 so a night shift can run past midnight of the simulated day.
ClockTime = Annotated[float, BeforeValidator(_clock_seconds), Field(ge=0, le=2 * _DAY_SECONDS)]
Proficiency = Annotated[int, Field(ge=MIN_PROFICIENCY, le=MAX_PROFICIENCY)]


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SkillNeed(_Spec):
    skill: str
    min_proficiency: Proficiency = MIN_PROFICIENCY


def _skill_need(value: object) -> object:
    return {"skill": value} if isinstance(value, str) else value


Need = Annotated[SkillNeed, BeforeValidator(_skill_need)]


class Overflow(_Spec):
    """After ``after_seconds`` of waiting, agents with these skills may take the contact too."""

    after_seconds: NonNegativeFloat
    skills: tuple[Need, ...] = ()


class ServiceLevelSpec(_Spec):
    treatment: AbandonTreatment = AbandonTreatment.COUNT_AGAINST
    threshold_seconds: NonNegativeFloat = 20.0
    target: Annotated[float, Field(gt=0, le=1)] = 0.9
    short_abandon_seconds: NonNegativeFloat = 5.0

    def policy(self) -> ServiceLevelPolicy:
        return ServiceLevelPolicy(
            self.treatment, self.threshold_seconds, self.target, self.short_abandon_seconds
        )


class Distribution(_Spec):
    """A duration's distribution: ``exponential`` (mean), ``lognormal`` (mean and standard
    deviation, as measured; the log-space parameters are fitted from them) or ``empirical``
    (observed values, drawn with replacement)."""

    distribution: Literal["exponential", "lognormal", "empirical"]
    mean_seconds: PositiveFloat | None = None
    sd_seconds: PositiveFloat | None = None
    samples: tuple[NonNegativeFloat, ...] | None = None

    @model_validator(mode="after")
    def _parameters_match(self) -> Self:
        needed = {
            "exponential": ("mean_seconds",),
            "lognormal": ("mean_seconds", "sd_seconds"),
            "empirical": ("samples",),
        }[self.distribution]
        for name in ("mean_seconds", "sd_seconds", "samples"):
            given = getattr(self, name) is not None
            if given and name not in needed:
                raise ValueError(f"{name} does not apply to a {self.distribution} distribution")
            if not given and name in needed:
                raise ValueError(f"a {self.distribution} distribution needs {name}")
        if self.samples is not None and not self.samples:
            raise ValueError("samples must not be empty")
        return self


class Retrial(_Spec):
    """An abandoned caller calls again with ``probability`` after an exponential delay.

    ``priority`` is added to the queue's for the new attempt, as the routing engine adds a
    contact's own priority: a call-back the centre promised goes ahead of first calls.
    """

    probability: Annotated[float, Field(ge=0, le=1)]
    mean_delay_seconds: PositiveFloat
    priority: float = 0.0


class QueueSpec(_Spec):
    name: str
    channel: str = "voice"
    skills: tuple[Need, ...] = ()
    priority: float = 0.0
    aging_per_second: NonNegativeFloat = 0.0
    overflow: tuple[Overflow, ...] = ()
    service_level: ServiceLevelSpec = ServiceLevelSpec()
    # Expected arrivals per interval of the day, or a daily volume spread by a profile.
    arrivals: tuple[NonNegativeFloat, ...] | None = None
    daily_volume: NonNegativeFloat | None = None
    profile: tuple[NonNegativeFloat, ...] | None = None
    handle: Distribution
    wrap_up_seconds: NonNegativeFloat = 0.0
    patience: Distribution | None = None  # None: callers never hang up
    retrial: Retrial | None = None

    @model_validator(mode="after")
    def _one_volume(self) -> Self:
        if self.channel not in CHANNELS:
            raise ValueError(f"channel must be one of {sorted(CHANNELS)}, got {self.channel!r}")
        if (self.arrivals is None) == (self.daily_volume is None):
            raise ValueError("give either arrivals (per interval) or daily_volume")
        if self.arrivals is not None and self.profile is not None:
            raise ValueError("profile goes with daily_volume, not with arrivals")
        steps = [step.after_seconds for step in self.overflow]
        if steps != sorted(steps):
            raise ValueError("overflow steps must be in order of after_seconds")
        return self


class Break(_Spec):
    start: ClockTime
    minutes: PositiveFloat


class Shift(_Spec):
    start: ClockTime
    end: ClockTime

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.end <= self.start:
            raise ValueError("end must be after start")
        return self


class AgentGroup(_Spec):
    name: str
    count: Annotated[int, Field(ge=1)]
    skills: dict[str, Proficiency]
    capacity: dict[str, Annotated[int, Field(ge=0)]] = Field(default_factory=lambda: {"voice": 1})
    shift: Shift | None = None  # None: the scenario's opening hours
    breaks: tuple[Break, ...] = ()

    @model_validator(mode="after")
    def _known_channels(self) -> Self:
        for channel in self.capacity:
            if channel not in CHANNELS:
                raise ValueError(f"capacity: unknown channel {channel!r}")
        return self


class Scenario(_Spec):
    """The whole what-if: see ``docs/simulator.md`` for a commented example."""

    seed: Annotated[int, Field(ge=0)] = 0
    replications: Annotated[int, Field(ge=1)] = 10
    confidence: Annotated[float, Field(gt=0, lt=1)] = 0.95
    open: ClockTime = 8 * 3600.0
    close: ClockTime = 20 * 3600.0
    interval_minutes: PositiveFloat = 15.0
    warm_up_minutes: NonNegativeFloat = 0.0
    ring_seconds: NonNegativeFloat = 0.0
    profile: tuple[NonNegativeFloat, ...] | None = None  # for queues with a daily_volume
    queues: Annotated[tuple[QueueSpec, ...], Field(min_length=1)]
    agents: Annotated[tuple[AgentGroup, ...], Field(min_length=1)]

    @property
    def interval_seconds(self) -> float:
        return self.interval_minutes * 60.0

    @property
    def intervals(self) -> int:
        return math.ceil((self.close - self.open) / self.interval_seconds)

    def expected_arrivals(self, queue: QueueSpec) -> tuple[float, ...]:
        """Expected arrivals per interval: given, or the daily volume times the profile."""
        if queue.arrivals is not None:
            return queue.arrivals
        profile = queue.profile or self.profile or (1.0,) * self.intervals
        total = sum(profile)
        volume = queue.daily_volume or 0.0
        return tuple(volume * weight / total if total else 0.0 for weight in profile)

    def shift(self, group: AgentGroup) -> Shift:
        return group.shift or Shift(start=self.open, end=self.close)

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.close <= self.open:
            raise ValueError("close must be after open")
        names = [queue.name for queue in self.queues]
        if len(set(names)) != len(names):
            raise ValueError("queue names must be unique")
        for index, queue in enumerate(self.queues):
            profile = queue.arrivals or queue.profile or self.profile
            if profile is not None and len(profile) != self.intervals:
                raise ValueError(
                    f"queues[{index}] ({queue.name}): {len(profile)} intervals of arrivals or "
                    f"profile, but the day has {self.intervals}"
                )
        for index, group in enumerate(self.agents):
            shift = self.shift(group)
            for pause in group.breaks:
                if not shift.start <= pause.start < pause.start + pause.minutes * 60 <= shift.end:
                    raise ValueError(f"agents[{index}] ({group.name}): a break outside the shift")
        return self

    def skill_ids(self) -> dict[str, int]:
        """Skill names -> the engine's ids, in order of first appearance."""
        ids: dict[str, int] = {}
        for queue in self.queues:
            for need in (*queue.skills, *(s for step in queue.overflow for s in step.skills)):
                ids.setdefault(need.skill, len(ids) + 1)
        for group in self.agents:
            for skill in group.skills:
                ids.setdefault(skill, len(ids) + 1)
        return ids
