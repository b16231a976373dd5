"""The Jinja2 environment, and rendering a page for one viewer.

Translations are per request: ``_``, ``ngettext`` and ``translate`` read the viewer
from the template's context, so two requests in two languages never share state
(nothing is installed into the environment or the process).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from pathlib import Path
from typing import Any

from babel.numbers import format_percent
from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context, select_autoescape
from jinja2.runtime import Context

from frontline.auth.models import User
from frontline.core.settings import Settings
from frontline.web.dependencies import csrf_token
from frontline.web.i18n import LANG_COOKIE, LOCALE_NAMES, Catalogs, Viewer, negotiate_locale
from frontline.web.i18n import time_zone as zone_named
from frontline.web.labels import CHOICE_LABELS

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
SESSION_FLASH = "flash"


def _viewer(context: Context) -> Viewer:
    viewer: Viewer = context["viewer"]
    return viewer


@pass_context
def _gettext(context: Context, message: str, **variables: Any) -> str:
    text = _viewer(context).gettext(message)
    return text % variables if variables else text


@pass_context
def _ngettext(context: Context, singular: str, plural: str, num: int, **variables: Any) -> str:
    return _viewer(context).ngettext(singular, plural, num) % {"num": num, **variables}


@pass_context
def _translate(context: Context, message: str) -> str:
    """A message id held in a variable (a label from ``labels.py``).

    Named apart from ``_`` so the extractor, which only sees literal strings, does not
    take the call for a message of its own.
    """
    return _viewer(context).gettext(message)


@pass_context
def _date(context: Context, value: date | None) -> str:
    return _viewer(context).format_date(value)


@pass_context
def _datetime(context: Context, value: datetime | None) -> str:
    return _viewer(context).format_datetime(value)


@pass_context
def _number(context: Context, value: float | None) -> str:
    return _viewer(context).format_number(value)


@pass_context
def _percent(context: Context, value: float | None) -> str:
    """A share (0.85) as the viewer writes a percentage; "—" when there is none."""
    if value is None:
        return "—"
    return format_percent(value, format="#,##0.#%", locale=_viewer(context).locale)


def _duration(value: float | None) -> str:
    """Seconds as m:ss, or h:mm:ss from an hour; "—" when there is none."""
    if value is None:
        return "—"
    minutes, seconds = divmod(round(value), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


@pass_context
def _choice(context: Context, value: Enum | str | None) -> str:
    """An enum value (a role, a level...) as the viewer reads it."""
    if value is None:
        return ""
    key = str(value.value) if isinstance(value, Enum) else value
    return _viewer(context).gettext(CHOICE_LABELS.get(key, key))


def build_environment() -> Environment:
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=select_autoescape(default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.globals.update(
        _=_gettext, ngettext=_ngettext, translate=_translate, locale_names=LOCALE_NAMES
    )
    environment.filters.update(
        date=_date,
        datetime=_datetime,
        number=_number,
        choice=_choice,
        percent=_percent,
        duration=_duration,
    )
    return environment


def viewer_for(request: Request, user: User | None) -> Viewer:
    """The viewer's language (see ``i18n.negotiate_locale``) and time zone."""
    settings: Settings = request.app.state.settings
    catalogs: Catalogs = request.app.state.catalogs
    locale = negotiate_locale(
        user_locale=user.locale if user else None,
        cookie=request.cookies.get(LANG_COOKIE),
        accept_language=request.headers.get("accept-language", ""),
        default=settings.default_locale,
    )
    zone = zone_named(user.time_zone if user else None, settings.default_time_zone)
    return Viewer(locale=locale, time_zone=zone, translations=catalogs.get(locale))


def is_htmx(request: Request) -> bool:
    """An htmx call that wants a fragment; history restores want the whole page."""
    return (
        request.headers.get("hx-request") == "true"
        and request.headers.get("hx-history-restore-request") != "true"
    )


@dataclass(frozen=True)
class Note:
    """A one-time note on the next page, e.g. "Saved" after a redirect."""

    text: str
    error: bool


def flash(request: Request, message: str, *, error: bool = False, **params: str) -> None:
    """Keep a note for the next page: a message id, translated when that page renders."""
    request.session[SESSION_FLASH] = {"message": message, "params": params, "error": error}


def _pop_flash(request: Request, viewer: Viewer) -> Note | None:
    note = request.session.pop(SESSION_FLASH, None)
    if not isinstance(note, dict):
        return None
    text = viewer.gettext(str(note.get("message", "")))
    params = note.get("params") or {}
    return Note(text % params if params else text, error=bool(note.get("error")))


def render(
    request: Request,
    template: str,
    context: Mapping[str, Any] | None = None,
    *,
    user: User | None,
    viewer: Viewer | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    viewer = viewer or viewer_for(request, user)
    environment: Environment = request.app.state.templates
    html = environment.get_template(template).render(
        {
            "request": request,
            "user": user,
            "viewer": viewer,
            "csrf_token": csrf_token(request),
            "flash": _pop_flash(request, viewer),
            **(context or {}),
        }
    )
    return HTMLResponse(html, status_code=status_code)
