"""A call script's text parsed and checked: pure, text in, a :class:`Script` or an error out.

A script is YAML (JSON is YAML too)::

    greetings:
      - "Здравствуйте, {customer_name}! Меня зовут {agent_name}."
      - "Добрый день, {customer_name}, {agent_name} слушает."
    start: ask
    steps:
      ask:
        say: "Чем помочь с {product}?"
        choices:
          - {label: "Доставка опоздала", next: redelivery}
      redelivery:
        say: "Бесплатно доставим в другое время."

A step without choices ends the call. A step that points to a missing step, or from
which no end can be reached (a loop with no way out), is refused with its name.

>>> script = parse_script('{"greetings": ["Hi {customer_name}"], "start": "a", '
...                       '"steps": {"a": {"say": "Bye"}}}')
>>> script.greetings[0].format_map(Variables(customer_name="Ann"))
'Hi Ann'
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import yaml

VARIABLES = ("customer_name", "product", "agent_name")
MAX_GREETINGS = 7
MAX_STEPS = 200


class ScriptError(ValueError):
    """What is wrong with a script; ``step`` names the step at fault when there is one."""

    def __init__(self, message: str, *, step: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.step = step


@dataclass(frozen=True)
class Choice:
    label: str
    next: str


@dataclass(frozen=True)
class Step:
    name: str
    say: str
    choices: tuple[Choice, ...]

    @property
    def ends(self) -> bool:
        return not self.choices


@dataclass(frozen=True)
class Script:
    greetings: tuple[str, ...]
    start: str
    steps: Mapping[str, Step]


class Variables(dict[str, str]):
    """The values a script's ``{name}`` placeholders take; an empty one reads as a dash."""

    def __init__(self, **values: str) -> None:
        super().__init__({name: values.get(name) or "—" for name in VARIABLES})


def _placeholders(text: str, where: str, step: str | None) -> None:
    try:
        names = [name for _, name, _, _ in string.Formatter().parse(text) if name is not None]
    except ValueError as exc:
        raise ScriptError(f"{where}: {exc}", step=step) from exc
    for name in names:
        if name not in VARIABLES:
            known = ", ".join(f"{{{v}}}" for v in VARIABLES)
            raise ScriptError(f"{where}: unknown variable {{{name}}} (known: {known})", step=step)


def _text(value: Any, where: str, step: str | None) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ScriptError(f"{where} must be a non-empty text", step=step)
    _placeholders(value, where, step)
    return value.strip()


def _step(name: str, raw: Any) -> Step:
    if not isinstance(raw, dict):
        raise ScriptError(f"Step '{name}' must be a mapping with 'say'", step=name)
    choices_raw = raw.get("choices") or []
    if not isinstance(choices_raw, list):
        raise ScriptError(f"Step '{name}': 'choices' must be a list", step=name)
    choices = []
    for number, choice in enumerate(choices_raw, start=1):
        if not isinstance(choice, dict) or not isinstance(choice.get("next"), str):
            raise ScriptError(
                f"Step '{name}': choice {number} needs a 'label' and a 'next' step", step=name
            )
        label = _text(choice.get("label"), f"Step '{name}', choice {number}", name)
        choices.append(Choice(label=label, next=choice["next"]))
    return Step(
        name=name, say=_text(raw.get("say"), f"Step '{name}': 'say'", name), choices=tuple(choices)
    )


def _check_graph(steps: Mapping[str, Step]) -> None:
    for step in steps.values():
        for choice in step.choices:
            if choice.next not in steps:
                raise ScriptError(
                    f"Step '{step.name}' leads to a missing step '{choice.next}'", step=step.name
                )
    # Steps that can reach an end, grown backwards from the ends until nothing changes.
    finishing = {name for name, step in steps.items() if step.ends}
    grown = True
    while grown:
        grown = False
        for name, step in steps.items():
            if name not in finishing and any(c.next in finishing for c in step.choices):
                finishing.add(name)
                grown = True
    for name in steps:
        if name not in finishing:
            raise ScriptError(
                f"Step '{name}' loops: no choice from it ever reaches an end step", step=name
            )


def parse_script(text: str) -> Script:
    """The checked script in ``text`` (YAML or JSON); :class:`ScriptError` names what is wrong."""
    try:
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:
        raise ScriptError(f"Not valid YAML or JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise ScriptError("A script is a mapping with 'greetings', 'start' and 'steps'")
    greetings_raw = data.get("greetings") or []
    if not isinstance(greetings_raw, list) or not 1 <= len(greetings_raw) <= MAX_GREETINGS:
        raise ScriptError(f"'greetings' must list 1 to {MAX_GREETINGS} variants")
    greetings = tuple(
        _text(g, f"Greeting {number}", None) for number, g in enumerate(greetings_raw, start=1)
    )
    steps_raw = data.get("steps")
    if not isinstance(steps_raw, dict) or not steps_raw:
        raise ScriptError("'steps' must map step names to steps")
    if len(steps_raw) > MAX_STEPS:
        raise ScriptError(f"A script has at most {MAX_STEPS} steps")
    steps = {str(name): _step(str(name), raw) for name, raw in steps_raw.items()}
    start = data.get("start")
    if not isinstance(start, str) or start not in steps:
        raise ScriptError(f"'start' names a missing step '{start}'", step=str(start))
    _check_graph(steps)
    return Script(greetings=greetings, start=start, steps=steps)


def next_greeting(count: int, previous: int | None, seed: int) -> int:
    """The greeting variant (0-based) for a contact: never the caller's previous one.

    A first-time caller gets ``seed % count`` (the contact id spreads them); a returning
    one the variant after their last, so regular callers walk through all of them.

    >>> next_greeting(5, None, 12), next_greeting(5, 2, 12), next_greeting(5, 4, 12)
    (2, 3, 0)
    """
    if count < 1:
        raise ValueError("count must be at least 1")
    if previous is None:
        return seed % count
    return (previous + 1) % count
