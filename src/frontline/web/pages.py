"""The page shell: signing in and out, each role's home page, the language switch.

:func:`install` mounts every page router, the static files and the translations on
the app; ``admin.py`` and ``customer_pages.py`` hold the rest of the pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, Query, Request, Response
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles
from pydantic import ValidationError

from frontline.assistant.widget import assistant_in_chat
from frontline.auth import actions
from frontline.auth.access import (
    can_decide_time_off,
    can_handle_contacts,
    can_read_customers,
    can_read_knowledge,
    can_read_wallboard,
    can_request_time_off,
    can_run_what_if,
    can_schedule,
    can_supervise,
)
from frontline.auth.actions import LoginPolicy
from frontline.auth.models import User
from frontline.auth.schemas import Credentials
from frontline.core.clock import utcnow
from frontline.core.errors import NotAuthenticated, TooManyRequests
from frontline.core.security import new_csrf_token
from frontline.core.settings import Settings
from frontline.web import (
    adherence_pages,
    admin,
    admin_skills,
    assistant_pages,
    chat_ws,
    customer_pages,
    help_pages,
    kb_pages,
    mail_pages,
    planning_pages,
    remedy_pages,
    request_pages,
    schedule_pages,
    time_off_pages,
    wallboard_pages,
    whatif_pages,
    workspace_pages,
)
from frontline.web.dependencies import (
    SESSION_CSRF,
    SESSION_USER,
    AppSettings,
    DbSession,
    check_csrf,
    client_address,
)
from frontline.web.form_errors import FORM_ERROR, validation_errors
from frontline.web.forms import FormState
from frontline.web.home import HOME_PAGES
from frontline.web.i18n import LANG_COOKIE, N_, load_catalogs, supported_locale
from frontline.web.labels import RESOURCE_TITLES
from frontline.web.page_routes import (
    FormFields,
    MaybeUser,
    PageRoute,
    PageUser,
    safe_next,
)
from frontline.web.templating import build_environment, render, viewer_for

STATIC_DIR = Path(__file__).resolve().parent / "static"
LANG_COOKIE_SECONDS = 365 * 24 * 3600

router = APIRouter(route_class=PageRoute, include_in_schema=False)
CsrfChecked = [Depends(check_csrf)]


@dataclass(frozen=True)
class NavLink:
    href: str
    label: str  # a message id


def navigation(user: User | None) -> list[NavLink]:
    """The main menu: what the role may open, checked by the same rules as the pages."""
    if user is None:
        return []
    links = [NavLink("/", N_("Home"))]
    if can_handle_contacts(user):
        links.append(NavLink("/workspace", N_("Workspace")))
    if can_read_wallboard(user):
        links.append(NavLink("/wallboard", N_("Wallboard")))
        links.append(NavLink("/adherence", N_("Adherence")))
        links.append(NavLink("/assistant/report", N_("Assistant report")))
    if can_read_customers(user):
        links.append(NavLink("/customers", N_("Customers")))
    if can_read_knowledge(user):
        links.append(NavLink("/kb", N_("Knowledge base")))
    if can_request_time_off(user):
        links.append(NavLink("/my-schedule", N_("My schedule")))
        links.append(NavLink("/time-off", N_("Time off")))
    if can_decide_time_off(user):
        links.append(NavLink("/time-off/pending", N_("Time-off requests")))
    if can_supervise(user):
        links.append(NavLink("/remedies/pending", N_("Solutions to approve")))
    if can_schedule(user):
        links.append(NavLink("/schedule", N_("Schedule")))
        links.append(NavLink("/planning", N_("Planning")))
    if can_run_what_if(user):
        links.append(NavLink("/what-if", N_("What-if")))
    return links


def admin_navigation(user: User | None) -> list[NavLink]:
    if user is None:
        return []
    return [
        NavLink(f"/admin/{resource.name}", RESOURCE_TITLES[resource.name].plural)
        for resource in admin.ADMIN_RESOURCES
        if resource.can_write(user)
    ]


def install(app: FastAPI) -> None:
    """Mount the pages, their static files, templates and translations on ``app``."""
    app.state.catalogs = load_catalogs()
    if app.state.settings.chat_assistant:
        app.state.chat_assistant = assistant_in_chat(app.state.catalogs)
    templates = build_environment()
    templates.globals.update(navigation=navigation, admin_navigation=admin_navigation)
    app.state.templates = templates
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    page_routers = (
        router,
        admin_skills.router,
        admin.router,
        customer_pages.router,
        kb_pages.router,
        help_pages.router,
        workspace_pages.router,
        remedy_pages.router,
        wallboard_pages.router,
        time_off_pages.router,
        schedule_pages.router,
        adherence_pages.router,
        planning_pages.router,
        request_pages.router,
        mail_pages.router,
        assistant_pages.router,
        whatif_pages.router,
        chat_ws.router,
    )
    for page_router in page_routers:
        app.include_router(page_router)


def login_policy(settings: Settings) -> LoginPolicy:
    return LoginPolicy(
        max_failures=settings.login_max_failures,
        lockout_seconds=settings.login_lockout_seconds,
        attempts_per_minute=settings.login_rate_limit_per_minute,
    )


def _form_text(form: FormFields, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


@router.get("/login")
def login_page(
    request: Request, user: MaybeUser, next_url: Annotated[str, Query(alias="next")] = "/"
) -> Response:
    if user is not None:
        return RedirectResponse(safe_next(next_url), status_code=303)
    context = {"form": FormState(), "next": safe_next(next_url)}
    return render(request, "login.html", context, user=None)


def _start_session(request: Request, user: User) -> None:
    """A fresh session for the signed-in user, with a new CSRF token."""
    request.session.clear()
    request.session[SESSION_USER] = user.id
    request.session[SESSION_CSRF] = new_csrf_token()


@router.post("/login", dependencies=CsrfChecked)
def login(
    request: Request, session: DbSession, settings: AppSettings, form: FormFields
) -> Response:
    viewer = viewer_for(request, None)
    target = safe_next(_form_text(form, "next"))
    state = FormState(values={"email": _form_text(form, "email")})
    status_code = 422
    try:
        credentials = Credentials(
            email=_form_text(form, "email"), password=_form_text(form, "password")
        )
        user = actions.authenticate(
            session,
            login_policy(settings),
            email=credentials.email,
            password=credentials.password,
            address=client_address(request),
            now=utcnow(),
        )
    except ValidationError as exc:
        state.errors = validation_errors(exc, viewer)
    except (NotAuthenticated, TooManyRequests) as exc:
        # The same words whether the e-mail or the password was wrong.
        state.errors = {FORM_ERROR: viewer.gettext(exc.message)}
        status_code = exc.status_code
    else:
        _start_session(request, user)
        return RedirectResponse(target, status_code=303)
    context = {"form": state, "next": target}
    return render(request, "login.html", context, user=None, viewer=viewer, status_code=status_code)


@router.post("/logout")
def logout(request: Request, user: PageUser) -> Response:
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


@router.get("/")
def home(request: Request, user: PageUser, session: DbSession) -> Response:
    viewer = viewer_for(request, user)
    context = HOME_PAGES[user.role](session, user, viewer.today(utcnow()))
    return render(request, f"home/{user.role.value}.html", context, user=user, viewer=viewer)


@router.post("/language", dependencies=CsrfChecked)
def switch_language(
    request: Request,
    session: DbSession,
    user: MaybeUser,
    form: FormFields,
) -> Response:
    """Remember the language in a cookie, and on the account of whoever is signed in."""
    response = RedirectResponse(safe_next(_form_text(form, "next")), status_code=303)
    locale = supported_locale(_form_text(form, "lang"))
    if locale is None:
        return response
    response.set_cookie(
        LANG_COOKIE, locale, max_age=LANG_COOKIE_SECONDS, samesite="lax", httponly=True
    )
    if user is not None:
        actions.set_own_locale(session, user, locale)
    return response
