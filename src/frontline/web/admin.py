"""Admin pages of every reference table, generated from its :class:`Resource`.

One list (search, active filter, paging), one form (new and edit) and the
deactivate/reactivate buttons serve sites, products, skills, queues, teams, agents and
users alike. They call the same ``core.resources`` functions as the API, so the same
access checks, validation and audit rows apply. An agent's skills have their own panel
(``admin_skills.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse
from pydantic import ValidationError
from sqlalchemy.orm import Session

from frontline.auth.access import require
from frontline.auth.models import User
from frontline.auth.resources import USERS
from frontline.channels.resources import MAIL_ACKNOWLEDGEMENTS, MAIL_SIGNATURES
from frontline.core import resources
from frontline.core.errors import NotFound
from frontline.core.fields import Id
from frontline.core.resources import Reference, Resource
from frontline.org.resources import PRODUCTS, QUEUES, SITES, SKILLS, TEAMS
from frontline.people.resources import AGENTS
from frontline.remedies.resources import REMEDIES
from frontline.scripts.resources import CALL_SCRIPTS
from frontline.web.admin_skills import skills_panel
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
from frontline.web.i18n import N_, Viewer, time_zone_names
from frontline.web.labels import CHOICE_LABELS, RESOURCE_TITLES
from frontline.web.page_routes import FormFields, PageRoute, PageUser
from frontline.web.resource_api import list_query_model
from frontline.web.templating import flash, is_htmx, render, viewer_for

# The order of the admin menu and of the admin's home page.
ADMIN_RESOURCES: tuple[Resource, ...] = (
    SITES,
    PRODUCTS,
    SKILLS,
    QUEUES,
    TEAMS,
    AGENTS,
    USERS,
    CALL_SCRIPTS,
    REMEDIES,
    MAIL_ACKNOWLEDGEMENTS,
    MAIL_SIGNATURES,
)
_BY_NAME = {resource.name: resource for resource in ADMIN_RESOURCES}
_QUERY_MODELS = {resource.name: list_query_model(resource) for resource in ADMIN_RESOURCES}
# A list shows the first few fields; the rest are one click away, on the form.
LIST_COLUMNS = 5
PASSWORD_FIELDS = frozenset({"password"})

router = APIRouter(prefix="/admin", route_class=PageRoute, include_in_schema=False)


@dataclass(frozen=True)
class Cell:
    kind: Literal["text", "choice", "bool", "date", "number"]
    value: Any


@dataclass(frozen=True)
class TableRow:
    id: int
    label: str
    active: bool
    cells: list[Cell]


@dataclass(frozen=True)
class Pager:
    page: int
    pages: int
    total: int
    previous_url: str | None
    next_url: str | None


def managed_resource(name: str, user: User) -> Resource:
    """The table behind ``/admin/<name>``; its pages are for those who may change it."""
    resource = _BY_NAME.get(name)
    if resource is None:
        raise NotFound(f"No admin page for {name}")
    require(resource.can_write, user)
    return resource


def _secret(resource: Resource) -> frozenset[str]:
    return resource.secret_fields | PASSWORD_FIELDS


def _choices(
    session: Session, reference: Reference, current: int | None, viewer: Viewer
) -> list[tuple[int, str]]:
    """Active rows to choose from, plus the current one if it has been deactivated since."""
    choices = resources.options(session, reference)
    if current is not None and all(key != current for key, _ in choices):
        marker = viewer.gettext("inactive")
        stale = resources.reference_labels(session, reference, [current])
        choices += [(key, f"{label} ({marker})") for key, label in stale.items()]
    return choices


def form_specs(
    session: Session, resource: Resource, viewer: Viewer, row: Any | None = None
) -> list[FieldSpec]:
    """The inputs of the new (``row`` is None) or edit form; secrets stay empty on edit."""
    references = {
        name: _choices(session, reference, getattr(row, name, None), viewer)
        for name, reference in resource.references.items()
    }
    return field_specs(
        resource.create_schema,
        references=references,
        secret=_secret(resource),
        optional=_secret(resource) if row is not None else frozenset(),
    )


def list_columns(resource: Resource) -> list[FieldSpec]:
    specs = field_specs(resource.create_schema, secret=_secret(resource))
    return [spec for spec in specs if spec.widget != "password"][:LIST_COLUMNS]


def _cell(spec: FieldSpec, value: Any, labels: dict[str, dict[int, str]]) -> Cell:
    if spec.name in labels:
        return Cell("text", labels[spec.name].get(value, ""))
    if isinstance(value, Enum):
        return Cell("choice", CHOICE_LABELS.get(str(value.value), str(value.value)))
    if spec.widget == "checkbox":
        return Cell("bool", value)
    if spec.widget in ("date", "number"):
        return Cell(spec.widget, value)
    return Cell("text", value)


def table_rows(
    session: Session, resource: Resource, columns: Sequence[FieldSpec], rows: Sequence[Any]
) -> list[TableRow]:
    shown = {spec.name for spec in columns}
    labels = {
        name: resources.reference_labels(session, reference, [getattr(r, name) for r in rows])
        for name, reference in resource.references.items()
        if name in shown
    }
    return [
        TableRow(
            row.id,
            resource.label(row),
            row.active,
            [_cell(spec, getattr(row, spec.name, None), labels) for spec in columns],
        )
        for row in rows
    ]


def _list_query(resource: Resource, request: Request) -> Any:
    """The list's filters and page from the URL; a mangled URL shows the first page."""
    model = _QUERY_MODELS[resource.name]
    params = {key: value for key, value in request.query_params.items() if value != ""}
    try:
        return model.model_validate(params)
    except ValidationError:
        return model()


def _pager(base_url: str, query: Any, total: int) -> Pager:
    pages = max(1, -(-total // query.per_page))

    def url(page: int) -> str:
        params = {"q": query.q or "", "active": "" if query.active is None else query.active}
        kept = {key: str(value).lower() for key, value in params.items() if value != ""}
        return f"{base_url}?{urlencode({**kept, 'page': page})}"

    return Pager(
        page=query.page,
        pages=pages,
        total=total,
        previous_url=url(query.page - 1) if query.page > 1 else None,
        next_url=url(query.page + 1) if query.page < pages else None,
    )


@router.get("/{name}")
def list_page(name: str, request: Request, user: PageUser, session: DbSession) -> Response:
    resource = managed_resource(name, user)
    query = _list_query(resource, request)
    rows, total = resources.list_page(session, user, resource, query, query)
    columns = list_columns(resource)
    context = {
        "resource": resource,
        "title": RESOURCE_TITLES[resource.name],
        "query": query,
        "columns": columns,
        "rows": table_rows(session, resource, columns, rows),
        "pager": _pager(f"/admin/{resource.name}", query, total),
    }
    template = "admin/_rows.html" if is_htmx(request) else "admin/list.html"
    return render(request, template, context, user=user)


@dataclass(frozen=True)
class AdminCall:
    """One admin request: who asks, about which table, and in which language."""

    request: Request
    session: Session
    user: User
    viewer: Viewer
    resource: Resource


def _call(name: str, request: Request, user: User, session: Session) -> AdminCall:
    resource = managed_resource(name, user)
    return AdminCall(request, session, user, viewer_for(request, user), resource)


def _form_page(
    call: AdminCall,
    specs: Sequence[FieldSpec],
    state: FormState,
    *,
    row: Any | None,
    status_code: int = 200,
) -> Response:
    resource = call.resource
    context = {
        "resource": resource,
        "title": RESOURCE_TITLES[resource.name],
        "specs": specs,
        "form": state,
        "row": row,
        "row_label": resource.label(row) if row is not None else "",
        "action": f"/admin/{resource.name}/{row.id if row is not None else 'new'}",
        "time_zones": time_zone_names() if any(s.name == "time_zone" for s in specs) else (),
        "skills": skills_panel(call.session, row)
        if row is not None and resource is AGENTS
        else None,
    }
    return render(
        call.request,
        "admin/form.html",
        context,
        user=call.user,
        viewer=call.viewer,
        status_code=status_code,
    )


def _save(call: AdminCall, specs: Sequence[FieldSpec], form: FormFields, row: Any | None) -> Any:
    """Create (``row`` is None) or change a row through the resource's one door."""
    resource = call.resource
    if row is None:
        payload = resource.create_schema.model_validate(form_data(specs, form))
        return resources.create_row(call.session, call.user, resource, payload)
    payload = validate_changes(
        resource.create_schema, resource.update_schema, specs, form, optional=_secret(resource)
    )
    return resources.update_row(call.session, call.user, resource, row.id, payload)


def _submit(call: AdminCall, form: FormFields, row: Any | None) -> Response:
    """Save the form; on refusal, show it again with the input kept and the errors beside."""
    specs = form_specs(call.session, call.resource, call.viewer, row)
    saved, errors = attempt(
        lambda: _save(call, specs, form, row),
        call.session,
        call.viewer,
        reference_fields=call.resource.references,
    )
    if not errors:
        flash(call.request, N_("Saved: %(name)s"), name=call.resource.label(saved))
        return RedirectResponse(f"/admin/{call.resource.name}", status_code=303)
    state = FormState(typed_values(specs, form), errors)
    return _form_page(call, specs, state, row=row, status_code=422)


@router.get("/{name}/new")
def new_form(name: str, request: Request, user: PageUser, session: DbSession) -> Response:
    call = _call(name, request, user, session)
    specs = form_specs(session, call.resource, call.viewer)
    state = FormState(values=default_values(call.resource.create_schema, specs))
    return _form_page(call, specs, state, row=None)


@router.post("/{name}/new")
def create(
    name: str, request: Request, user: PageUser, session: DbSession, form: FormFields
) -> Response:
    return _submit(_call(name, request, user, session), form, row=None)


@router.get("/{name}/{row_id}")
def edit_form(
    name: str, row_id: Id, request: Request, user: PageUser, session: DbSession
) -> Response:
    call = _call(name, request, user, session)
    row = resources.get_row(session, user, call.resource, row_id)
    specs = form_specs(session, call.resource, call.viewer, row)
    return _form_page(call, specs, FormState(values=stored_values(specs, row)), row=row)


@router.post("/{name}/{row_id}")
def update(
    name: str,
    row_id: Id,
    *,
    request: Request,
    user: PageUser,
    session: DbSession,
    form: FormFields,
) -> Response:
    call = _call(name, request, user, session)
    row = resources.get_row(session, user, call.resource, row_id)
    return _submit(call, form, row=row)


def _set_active(call: AdminCall, row_id: Id, *, active: bool) -> Response:
    resource = call.resource
    row = resources.set_active(call.session, call.user, resource, row_id, active=active)
    if is_htmx(call.request):
        # The list swaps the one row it was clicked in.
        table_row = table_rows(call.session, resource, list_columns(resource), [row])[0]
        context = {"resource": resource, "row": table_row}
        return render(call.request, "admin/_row.html", context, user=call.user)
    message = N_("Reactivated: %(name)s") if active else N_("Deactivated: %(name)s")
    flash(call.request, message, name=resource.label(row))
    return RedirectResponse(f"/admin/{resource.name}/{row_id}", status_code=303)


@router.post("/{name}/{row_id}/deactivate")
def deactivate(
    name: str, row_id: Id, request: Request, user: PageUser, session: DbSession
) -> Response:
    return _set_active(_call(name, request, user, session), row_id, active=False)


@router.post("/{name}/{row_id}/reactivate")
def reactivate(
    name: str, row_id: Id, request: Request, user: PageUser, session: DbSession
) -> Response:
    return _set_active(_call(name, request, user, session), row_id, active=True)
