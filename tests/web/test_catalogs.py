"""Every text the sources mark for translation is translated into Russian.

The messages are extracted in-process with babel, as ``pybabel extract -F babel.cfg``
does, so a new ``_("...")`` in a template or an ``N_("...")`` in Python fails here
until the catalogs are refreshed (see ``frontline/web/i18n.py``) and translated.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

LOCALE_DIR = Path("src/frontline/locale")


def _catalog(repo_root: Path, locale: str) -> Catalog:
    with (repo_root / LOCALE_DIR / locale / "LC_MESSAGES" / "messages.po").open("rb") as po:
        # Merged catalogs can lose a line; a malformed entry must fail here, not be skipped
        # with a warning at start-up.
        return read_po(po, locale=locale, abort_invalid=True)


def _extracted(repo_root: Path) -> set[str]:
    """The message ids the sources use (the singular, for plural messages)."""
    with (repo_root / "babel.cfg").open(encoding="utf-8") as config:
        # babel's parse_mapping_cfg has no annotations.
        method_map, options_map = parse_mapping_cfg(config)  # type: ignore[no-untyped-call]
    found = extract_from_dir(str(repo_root / "src"), method_map, options_map)
    return {message if isinstance(message, str) else message[0] for _, _, message, _, _ in found}


def _message_id(message_id: str | tuple[str, ...] | list[str]) -> str:
    return message_id if isinstance(message_id, str) else message_id[0]


def test_every_source_message_has_a_russian_translation(repo_root: Path) -> None:
    extracted = _extracted(repo_root)
    catalog = _catalog(repo_root, "ru")
    translated = {
        _message_id(message.id)
        for message in catalog
        if message.id
        and all(message.string if isinstance(message.string, tuple) else [message.string])
    }
    assert len(extracted) > 100  # the extraction found the templates and the labels
    assert sorted(extracted - translated) == []


@pytest.mark.parametrize("locale", ["ru", "en"])
def test_catalog_is_current_and_has_no_fuzzy_entries(repo_root: Path, locale: str) -> None:
    catalog = _catalog(repo_root, locale)
    ids = {_message_id(message.id) for message in catalog if message.id}
    assert sorted(_extracted(repo_root) - ids) == []
    assert [message.id for message in catalog if message.id and message.fuzzy] == []


def test_russian_translations_keep_their_placeholders(repo_root: Path) -> None:
    problems = [
        (message.id, [str(error) for error in errors])
        for message, errors in _catalog(repo_root, "ru").check()
    ]
    assert problems == []


@pytest.mark.parametrize("locale", ["ru", "en"])
def test_each_message_appears_once(repo_root: Path, locale: str) -> None:
    # Catalogs grow by appended entries merged from parallel work; a message added twice
    # keeps only one translation at run time, silently, so two pages would disagree.
    text = (repo_root / LOCALE_DIR / locale / "LC_MESSAGES" / "messages.po").read_text("utf-8")
    glued = [block for block in text.split("\n\n") if len(re.findall(r"^msgid ", block, re.M)) > 1]
    assert glued == [], "entries must be separated by a blank line"
    entries = [
        (context.group(1) if context else None, message.group(1))
        for block in text.split("\n\n")
        if (message := re.search(r'^msgid "(.+)"$', block, re.MULTILINE))
        for context in [re.search(r'^msgctxt "(.*)"$', block, re.MULTILINE)]
    ]
    assert sorted(entry for entry, count in Counter(entries).items() if count > 1) == []
