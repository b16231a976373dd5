"""The public request form: orders and requests from the web, no sign-in.

It validates with the API's own schema (``WebRequestCreate``) and calls the same action
as ``POST /api/v1/web-requests``; the confirmation page shows the reference number.
"""

from __future__ import annotations

import re

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import RedirectResponse
from pydantic import ValidationError
from sqlalchemy import select

from frontline.channels import web_form
from frontline.channels.schemas import CONTACT_NEEDED, WebRequestCreate
from frontline.core.errors import InvalidInput, TooManyRequests
from frontline.org.models import Channel, Product, Queue, Skill
from frontline.web.dependencies import AppSettings, DbSession, check_csrf, client_address
from frontline.web.form_errors import FORM_ERROR, validation_errors
from frontline.web.i18n import N_
from frontline.web.page_routes import FormFields, PageRoute
from frontline.web.templating import render, viewer_for

router = APIRouter(prefix="/request", route_class=PageRoute, include_in_schema=False)
FIELDS = ("name", "address", "phone", "email", "product_id", "preferred_at", "comment", "website")
REFERENCE = re.compile(r"FL-\d{1,12}")


def _products(session: DbSession) -> list[Product]:
    """Products that take web requests: those with an active web queue."""
    query = (
        select(Product)
        .join(Skill, Skill.product_id == Product.id)
        .join(Queue, Queue.skill_id == Skill.id)
        .where(Product.active.is_(True), Queue.active.is_(True), Skill.channel == Channel.WEB)
        .distinct()
        .order_by(Product.name)
    )
    return list(session.scalars(query))


def _page(
    request: Request,
    session: DbSession,
    values: dict[str, str],
    errors: dict[str, str],
    status_code: int = 200,
) -> Response:
    context = {"values": values, "errors": errors, "products": _products(session)}
    return render(request, "request/form.html", context, user=None, status_code=status_code)


@router.get("")
def request_form(request: Request, session: DbSession) -> Response:
    return _page(request, session, {}, {})


@router.post("", dependencies=[Depends(check_csrf)])
def send_request(
    request: Request, session: DbSession, settings: AppSettings, form: FormFields
) -> Response:
    values = {name: str(form.get(name, "")).strip() for name in FIELDS}
    viewer = viewer_for(request, None)
    data = {name: value for name, value in values.items() if value != ""}
    try:
        payload = WebRequestCreate.model_validate(data)
        number, _ = web_form.submit(
            session,
            payload,
            client_address=client_address(request),
            per_hour=settings.web_requests_per_hour,
        )
    except ValidationError as exc:
        errors = validation_errors(exc, viewer)
        if any(error["type"] == CONTACT_NEEDED for error in exc.errors()):
            errors["email"] = viewer.gettext(N_("Give a phone or an e-mail so that we can answer"))
        return _page(request, session, values, errors, status_code=422)
    except InvalidInput as exc:
        session.rollback()
        errors = {exc.field or FORM_ERROR: viewer.gettext(N_("Choose a product from the list"))}
        return _page(request, session, values, errors, status_code=422)
    except TooManyRequests:
        errors = {FORM_ERROR: viewer.gettext(N_("Too many requests; please try again later"))}
        return _page(request, session, values, errors, status_code=429)
    return RedirectResponse(f"/request/sent?ref={number}", status_code=303)


@router.get("/sent")
def request_sent(request: Request) -> Response:
    asked = request.query_params.get("ref", "")
    number = asked if REFERENCE.fullmatch(asked) else ""
    return render(request, "request/sent.html", {"reference": number}, user=None)
