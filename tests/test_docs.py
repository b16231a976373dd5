"""Docstring examples are run, so the documentation cannot drift from the code.

Every module of the ``frontline`` package that shows an example (``>>> ``) is found
here and run with :func:`doctest.testmod`; a new module with examples is picked up
without touching this file. (pytest's ``--doctest-modules`` would only see modules
under ``testpaths``, which is ``tests``; running them here keeps one place for them.)
"""

from __future__ import annotations

import doctest
import importlib
from pathlib import Path

import pytest

import frontline

PACKAGE_DIR = Path(frontline.__file__).resolve().parent
# Alembic scripts run on import, and ``__main__`` starts the CLI.
SKIPPED = ("migrations", "__main__.py")


def _modules_with_examples() -> list[str]:
    return sorted(
        ".".join(("frontline", *path.relative_to(PACKAGE_DIR).with_suffix("").parts))
        for path in PACKAGE_DIR.rglob("*.py")
        if not any(part in SKIPPED for part in path.relative_to(PACKAGE_DIR).parts)
        and ">>> " in path.read_text(encoding="utf-8")
    )


MODULES = _modules_with_examples()


def test_the_examples_are_found() -> None:
    assert "frontline.customers.masking" in MODULES


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_hold(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0
    assert result.failed == 0
