"""Reading a scenario file: TOML in, a validated :class:`Scenario` out, or one error
naming the key and its line.

``tomllib`` keeps no positions, so the line of a bad key is found again in the text by
following the table headers (``[[queues]]`` counts array entries) and the ``key =``
lines; a key inside an inline table or array points at the line that opens it.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from pydantic import ValidationError

from frontline.sim.scenario import Scenario

__all__ = ["ScenarioError", "load_scenario", "parse_scenario"]

Location = tuple[str | int, ...]

_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(
    r"""^\s*((?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*'))*)\s*="""
)


class ScenarioError(ValueError):
    """A scenario file the simulator cannot run: ``key`` (dotted) and ``line`` say where."""

    def __init__(self, message: str, key: str | None = None, line: int | None = None) -> None:
        where = ": ".join(part for part in (f"line {line}" if line else "", key or "") if part)
        super().__init__(f"{where}: {message}" if where else message)
        self.key, self.line = key, line


def load_scenario(path: Path) -> Scenario:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ScenarioError(f"cannot read {path}: {exc.strerror}") from None
    return parse_scenario(text)


def parse_scenario(text: str) -> Scenario:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"not valid TOML: {exc}") from None
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        location: Location = tuple(error["loc"])
        message = "unknown key" if error["type"] == "extra_forbidden" else error["msg"]
        message = message.removeprefix("Value error, ")
        raise ScenarioError(message, _dotted(location), _line_of(text, location)) from None


def _dotted(location: Location) -> str:
    text = ""
    for part in location:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text or "scenario"


def _split_key(key: str) -> tuple[str, ...]:
    return tuple(
        part.strip().strip("\"'")
        for part in re.split(r"\.(?=(?:[^\"']*[\"'][^\"']*[\"'])*[^\"']*$)", key)
    )


def _line_of(text: str, location: Location) -> int | None:
    """The line that best matches ``location``: the longest prefix of it found, first wins."""
    best_line, best_length = None, 0
    table: Location = ()
    counts: dict[tuple[str, ...], int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        header = _HEADER.match(line)
        if header:
            names = _split_key(header.group(2))
            if header.group(1) == "[[":
                # Entries of an array of tables are numbered in order (under their parent).
                index = counts[names] = counts.get(names, -1) + 1
                table = (*_numbered(names[:-1], counts), names[-1], index)
            else:
                table = _numbered(names, counts)
            path: Location = table
        else:
            key = _KEY.match(line)
            if not key:
                continue
            path = (*table, *_split_key(key.group(1)))
        length = _common_prefix(path, location)
        if length > best_length:
            best_line, best_length = number, length
    return best_line


def _numbered(names: tuple[str, ...], counts: dict[tuple[str, ...], int]) -> Location:
    """``queues.handle`` after the third ``[[queues]]`` is ``("queues", 2, "handle")``."""
    path: Location = ()
    for depth, name in enumerate(names):
        path = (*path, name)
        index = counts.get(names[: depth + 1])
        if index is not None:
            path = (*path, index)
    return path


def _common_prefix(path: Location, location: Location) -> int:
    if len(path) > len(location) or location[: len(path)] != path:
        return 0
    return len(path)
