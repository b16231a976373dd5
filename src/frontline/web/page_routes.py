"""What sets page routes apart from API routes: errors become pages, not JSON.

A page that needs a signed-in user sends a stranger to the login page (an htmx call
gets ``HX-Redirect``, whatever its ``Accept`` header says); a refused or unknown
object gets a page with the same status the API would answer.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Depends, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse
from fastapi.routing import APIRoute
from starlette.datastructures import FormData

from frontline.auth.models import User
from frontline.core.errors import FrontlineError, NotAuthenticated, NotFound, PermissionDenied
from frontline.web.dependencies import SESSION_USER, DbSession, current_user
from frontline.web.i18n import N_
from frontline.web.templating import is_htmx, render

ERROR_TITLES = {
    403: N_("Not allowed"),
    404: N_("Not found"),
    409: N_("Conflict"),
    422: N_("Invalid input"),
    429: N_("Too many requests"),
}


async def page_user(request: Request, session: DbSession) -> User:
    """The signed-in user (CSRF-checked on unsafe methods), kept for the error page's nav."""
    user = await current_user(request, session)
    request.state.user = user
    return user


def optional_user(request: Request, session: DbSession) -> User | None:
    """The signed-in user, if any; for pages open to everyone (login, language switch)."""
    user_id = request.session.get(SESSION_USER)
    user = session.get(User, user_id) if isinstance(user_id, int) else None
    return user if user is not None and user.active else None


async def read_form(request: Request) -> FormData:
    """The posted form, read once here so sync handlers get it without blocking."""
    return await request.form()


PageUser = Annotated[User, Depends(page_user)]
MaybeUser = Annotated[User | None, Depends(optional_user)]
FormFields = Annotated[FormData, Depends(read_form)]


def safe_next(target: str | None) -> str:
    """Only a path on this site: an open redirect would help phishing."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def sign_in_redirect(request: Request) -> Response:
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    location = "/login?" + urlencode({"next": here if request.method == "GET" else "/"})
    if is_htmx(request):
        return Response(status_code=204, headers={"HX-Redirect": location})
    return RedirectResponse(location, status_code=303)


def error_page(request: Request, exc: FrontlineError) -> Response:
    user: User | None = getattr(request.state, "user", None)
    if isinstance(exc, PermissionDenied):
        return render(request, "errors/403.html", {"error": exc}, user=user, status_code=403)
    title = ERROR_TITLES.get(exc.status_code, N_("Something is wrong with the request"))
    return render(
        request,
        "errors/error.html",
        {"error": exc, "title": title},
        user=user,
        status_code=exc.status_code,
    )


class PageRoute(APIRoute):
    """A route whose errors are answered with pages (see the module's docstring)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def page_handler(request: Request) -> Response:
            try:
                return await handler(request)
            except NotAuthenticated:
                return sign_in_redirect(request)
            except FrontlineError as exc:
                return error_page(request, exc)
            except RequestValidationError:
                # Only the URL is parsed by FastAPI here (``/admin/sites/abc``).
                return error_page(request, NotFound("No such page"))

        return page_handler
