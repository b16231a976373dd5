"""The README's promises hold: its quick start targets exist and its commands run."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from frontline.cli.main import app

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
COMMANDS = sorted(
    set(re.findall(r"^\| `frontline ([a-z]+(?: [a-z][a-z-]*)?)", README, re.MULTILINE))
)


def test_quick_start_is_two_make_targets_that_exist() -> None:
    block = README.split("## Quick start", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    targets = [line.split()[1] for line in block.strip().splitlines()]
    assert targets == ["demo", "test"]
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert all(re.search(rf"^{target}:", makefile, re.MULTILINE) for target in targets)


def test_ci_runs_the_readme_test_command() -> None:
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r"^make test\b", script, re.MULTILINE)


def test_the_readme_lists_commands() -> None:
    assert len(COMMANDS) >= 6


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_in_the_readme_exists(command: str) -> None:
    words = [word for word in command.split() if not word.isupper()]
    result = CliRunner().invoke(app, [*words, "--help"])
    assert result.exit_code == 0, result.output
