"""Translations, and the viewer's language and time zone.

Every text a person reads goes through the gettext catalogs
``frontline/locale/<lang>/LC_MESSAGES/messages.po`` (message ids in English). They are
compiled in memory at start-up, so no ``.mo`` file is kept in the repository.

After adding or changing any text, refresh the catalogs and translate the new Russian
entries (``test_catalogs`` fails until every one is translated and none is fuzzy; add
``--no-fuzzy-matching`` to the update to keep guesses out):

    .venv/bin/pybabel extract -F babel.cfg -o /tmp/messages.pot src && \
        .venv/bin/pybabel update -i /tmp/messages.pot -d src/frontline/locale
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from gettext import GNUTranslations, NullTranslations
from io import BytesIO
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from babel.dates import format_date as babel_format_date
from babel.dates import format_datetime as babel_format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

from frontline.core.clock import as_utc

LOCALES = ("ru", "en")
LOCALE_NAMES = {"ru": "Русский", "en": "English"}  # each in its own language, never translated
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
LANG_COOKIE = "lang"
DOMAIN = "messages"


def N_(message: str) -> str:  # noqa: N802 - the name babel's extractor looks for
    """Mark ``message`` for the catalog; it is translated later, where the viewer is known."""
    return message


def compile_catalog(path: Path, locale: str) -> GNUTranslations:
    """A ``.po`` file as ready translations; fuzzy entries are left out, as gettext does."""
    with path.open("rb") as po_file:
        catalog = read_po(po_file, locale=locale, domain=DOMAIN)
    buffer = BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return GNUTranslations(buffer)


@dataclass(frozen=True)
class Catalogs:
    """The compiled catalog of every supported language."""

    by_locale: Mapping[str, NullTranslations]

    def get(self, locale: str) -> NullTranslations:
        return self.by_locale.get(locale) or NullTranslations()


def load_catalogs(directory: Path = LOCALE_DIR) -> Catalogs:
    return Catalogs(
        {
            locale: compile_catalog(directory / locale / "LC_MESSAGES" / f"{DOMAIN}.po", locale)
            for locale in LOCALES
        }
    )


def accepted_languages(header: str) -> list[str]:
    """Language tags of an ``Accept-Language`` header, most wanted first.

    >>> accepted_languages("en-GB;q=0.8, ru-RU, de;q=0")
    ['ru-RU', 'en-GB']
    """
    weighted: list[tuple[float, int, str]] = []
    for index, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        name, _, value = params.strip().partition("=")
        if name.strip() == "q":
            try:
                quality = float(value)
            except ValueError:
                quality = 0.0
        if tag.strip() and quality > 0:
            weighted.append((-quality, index, tag.strip()))
    return [tag for _, _, tag in sorted(weighted)]


def supported_locale(tag: str | None) -> str | None:
    """``"en-US"`` → ``"en"`` when English is supported; ``None`` for anything else."""
    if not tag:
        return None
    code = tag.replace("_", "-").split("-")[0].lower()
    return code if code in LOCALES else None


def negotiate_locale(
    *, user_locale: str | None, cookie: str | None, accept_language: str, default: str
) -> str:
    """The user's own choice, then the browser's switch, then its languages, then the default.

    >>> negotiate_locale(user_locale=None, cookie="en", accept_language="ru", default="ru")
    'en'
    >>> negotiate_locale(user_locale="de", cookie=None, accept_language="de, en", default="ru")
    'en'
    """
    candidates = [user_locale, cookie, *accepted_languages(accept_language), default]
    for candidate in candidates:
        locale = supported_locale(candidate)
        if locale is not None:
            return locale
    return LOCALES[0]


@lru_cache(maxsize=1)
def time_zone_names() -> tuple[str, ...]:
    """Every IANA zone name, for the suggestions of time-zone inputs."""
    return tuple(sorted(available_timezones()))


def time_zone(name: str | None, default: str) -> ZoneInfo:
    """The zone called ``name``, else ``default``; a stale name never breaks a page."""
    for candidate in (name, default):
        if candidate:
            try:
                return ZoneInfo(candidate)
            except (ZoneInfoNotFoundError, ValueError):
                continue
    return ZoneInfo("UTC")


@dataclass(frozen=True)
class Viewer:
    """Whom a page is rendered for: the language, its translations and the time zone."""

    locale: str
    time_zone: ZoneInfo
    translations: NullTranslations

    def gettext(self, message: str) -> str:
        return self.translations.gettext(message)

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        return self.translations.ngettext(singular, plural, count)

    def today(self, now: datetime) -> date:
        """The viewer's calendar date at ``now``."""
        return as_utc(now).astimezone(self.time_zone).date()

    def format_date(self, value: date | None) -> str:
        return "" if value is None else babel_format_date(value, "medium", locale=self.locale)

    def format_datetime(self, value: datetime | None) -> str:
        """An aware UTC moment shown on the viewer's wall clock."""
        if value is None:
            return ""
        return babel_format_datetime(
            as_utc(value), "medium", tzinfo=self.time_zone, locale=self.locale
        )

    def format_number(self, value: float | None) -> str:
        return "" if value is None else format_decimal(value, locale=self.locale)
