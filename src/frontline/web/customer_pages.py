"""Customer pages: search, view, create, edit, deactivate.

They call the customers domain's actions, as the API does: every page that shows a
customer's personal data writes its audit rows (``record_reads``), and viewers who may
not see contact details in full (agents without the customer's contact in hand) get
them masked, and cannot overwrite what they cannot see.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse
from pydantic import ValidationError
from sqlalchemy.orm import Session

from frontline.auth.access import can_edit_customers, can_read_customers, require
from frontline.auth.models import User
from frontline.core.fields import Id
from frontline.core.paging import fetch_page
from frontline.customers import actions, service
from frontline.customers.actions import DETAIL_LISTS
from frontline.customers.models import Customer
from frontline.customers.schemas import (
    CustomerCreate,
    CustomerListQuery,
    CustomerRead,
    CustomerUpdate,
)
from frontline.web.dependencies import DbSession
from frontline.web.form_errors import attempt
from frontline.web.forms import (
    FieldSpec,
    FormState,
    default_values,
    field_specs,
    form_data,
    stored_values,
    typed_values,
    validate_changes,
)
from frontline.web.i18n import N_, Viewer
from frontline.web.page_routes import FormFields, PageRoute, PageUser
from frontline.web.templating import flash, is_htmx, render, viewer_for

router = APIRouter(prefix="/customers", route_class=PageRoute, include_in_schema=False)


# A customer is a person or a company; "Name" alone reads as a company's name in Russian.
CUSTOMER_LABELS = {"name": N_("Full name or company name")}


def _list_query(request: Request) -> CustomerListQuery:
    params = {key: value for key, value in request.query_params.items() if value != ""}
    try:
        return CustomerListQuery.model_validate(params)
    except ValidationError:
        return CustomerListQuery()


def _page_url(query: CustomerListQuery, page: int) -> str:
    params = query.model_dump(include={"q", "phone", "email"}, exclude_none=True)
    return "/customers?" + urlencode({**params, "page": page})


@router.get("")
def list_customers(request: Request, user: PageUser, session: DbSession) -> Response:
    require(can_read_customers, user)
    query = _list_query(request)
    rows, total = fetch_page(session, service.customer_query(query), query)
    actions.record_reads(session, user, rows, purpose=query.purpose, action="customers.list")
    pages = max(1, -(-total // query.per_page))
    context = {
        "query": query,
        "customers": service.as_seen_by(session, user, rows),
        "total": total,
        "page": query.page,
        "pages": pages,
        "previous_url": _page_url(query, query.page - 1) if query.page > 1 else None,
        "next_url": _page_url(query, query.page + 1) if query.page < pages else None,
        "can_edit": can_edit_customers(user),
    }
    template = "customers/_rows.html" if is_htmx(request) else "customers/list.html"
    return render(request, template, context, user=user)


def _specs(masked: bool) -> list[FieldSpec]:
    # Masked details are not editable: saving "+7912*****89" would destroy the number.
    return field_specs(
        CustomerCreate,
        skip=frozenset(DETAIL_LISTS) if masked else frozenset(),
        labels=CUSTOMER_LABELS,
    )


def _form_page(
    request: Request,
    user: User,
    viewer: Viewer,
    state: FormState,
    *,
    customer: CustomerRead | None,
    specs: Sequence[FieldSpec],
    status_code: int = 200,
) -> Response:
    context = {
        "customer": customer,
        "specs": specs,
        "form": state,
        "action": f"/customers/{customer.id}/edit" if customer else "/customers/new",
    }
    return render(
        request, "customers/form.html", context, user=user, viewer=viewer, status_code=status_code
    )


@router.get("/new")
def new_customer(request: Request, user: PageUser) -> Response:
    require(can_edit_customers, user)
    specs = _specs(masked=False)
    state = FormState(values=default_values(CustomerCreate, specs))
    return _form_page(request, user, viewer_for(request, user), state, customer=None, specs=specs)


@router.post("/new")
def create_customer(
    request: Request, user: PageUser, session: DbSession, form: FormFields
) -> Response:
    require(can_edit_customers, user)
    viewer = viewer_for(request, user)
    specs = _specs(masked=False)

    def save() -> Customer:
        payload = CustomerCreate.model_validate(form_data(specs, form))
        return actions.create_customer(session, user, payload)

    customer, errors = attempt(save, session, viewer)
    if customer is not None:
        flash(request, N_("Saved: %(name)s"), name=customer.name)
        return RedirectResponse(f"/customers/{customer.id}", status_code=303)
    state = FormState(typed_values(specs, form), errors)
    return _form_page(request, user, viewer, state, customer=None, specs=specs, status_code=422)


def _read_one(session: Session, user: User, customer_id: Id, purpose: str | None) -> CustomerRead:
    """One customer as ``user`` may see it; the reading is written to the audit log."""
    customer = actions.get_customer(session, user, customer_id)
    actions.record_reads(session, user, [customer], purpose=purpose, action="customers.read")
    return service.as_seen_by(session, user, [customer])[0]


@router.get("/{customer_id}")
def view_customer(
    customer_id: Id, request: Request, user: PageUser, session: DbSession
) -> Response:
    purpose = request.query_params.get("purpose") or None
    customer = _read_one(session, user, customer_id, purpose[:200] if purpose else None)
    context: dict[str, Any] = {"customer": customer, "can_edit": can_edit_customers(user)}
    return render(request, "customers/view.html", context, user=user)


@router.get("/{customer_id}/edit")
def edit_customer_form(
    customer_id: Id, request: Request, user: PageUser, session: DbSession
) -> Response:
    require(can_edit_customers, user)
    customer = _read_one(session, user, customer_id, "edit")
    specs = _specs(customer.masked)
    state = FormState(values=stored_values(specs, customer))
    viewer = viewer_for(request, user)
    return _form_page(request, user, viewer, state, customer=customer, specs=specs)


@router.post("/{customer_id}/edit")
def edit_customer(
    customer_id: Id, request: Request, user: PageUser, session: DbSession, form: FormFields
) -> Response:
    require(can_edit_customers, user)
    shown = service.as_seen_by(session, user, [actions.get_customer(session, user, customer_id)])[0]
    viewer = viewer_for(request, user)
    specs = _specs(shown.masked)

    def save() -> Customer:
        payload = validate_changes(CustomerCreate, CustomerUpdate, specs, form)
        return actions.update_customer(session, user, customer_id, payload)

    customer, errors = attempt(save, session, viewer)
    if customer is not None:
        flash(request, N_("Saved: %(name)s"), name=shown.name)
        return RedirectResponse(f"/customers/{customer_id}", status_code=303)
    state = FormState(typed_values(specs, form), errors)
    return _form_page(request, user, viewer, state, customer=shown, specs=specs, status_code=422)


def _set_active(
    request: Request, session: Session, user: User, customer_id: Id, *, active: bool
) -> Response:
    customer = actions.set_customer_active(session, user, customer_id, active=active)
    message = N_("Reactivated: %(name)s") if active else N_("Deactivated: %(name)s")
    flash(request, message, name=customer.name)
    return RedirectResponse(f"/customers/{customer_id}", status_code=303)


@router.post("/{customer_id}/deactivate")
def deactivate_customer(
    customer_id: Id, request: Request, user: PageUser, session: DbSession
) -> Response:
    return _set_active(request, session, user, customer_id, active=False)


@router.post("/{customer_id}/reactivate")
def reactivate_customer(
    customer_id: Id, request: Request, user: PageUser, session: DbSession
) -> Response:
    return _set_active(request, session, user, customer_id, active=True)
