"""API shapes of call scripts and of a script as shown for one contact."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import Field

from frontline.core.fields import Id, Name
from frontline.core.resources import ListFilters
from frontline.core.schemas import Input, partial_model
from frontline.org.schemas import Read

MAX_SCRIPT_CHARS = 20_000


class ScriptCreate(Input):
    name: Name
    queue_id: Id | None = None
    campaign: str | None = Field(default=None, min_length=1, max_length=200)
    body: str = Field(
        min_length=1,
        max_length=MAX_SCRIPT_CHARS,
        description="YAML or JSON: greetings (1-7), start, steps with say and choices",
    )


class ScriptRead(Read, ScriptCreate):
    pass


class ScriptFilters(ListFilters):
    queue_id: Id | None = None


ScriptUpdate = partial_model(ScriptCreate, "ScriptUpdate")


@dataclass(frozen=True)
class ShownChoice:
    label: str
    next: str


@dataclass(frozen=True)
class ShownStep:
    name: str
    say: str  # variables filled in
    choices: tuple[ShownChoice, ...]


@dataclass(frozen=True)
class ShownScript:
    """A script with one contact's values in it: the greeting picked and every step."""

    script_id: int
    name: str
    greeting: str
    variant: int  # 0-based
    start: str
    steps: tuple[ShownStep, ...]
