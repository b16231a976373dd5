"""Reference data as resources: one description drives the API routes and admin pages.

Sites, products, skills, queues, teams, agents and users share one life cycle — list
with search and paging, create, edit, deactivate — so it is written once here. A
domain describes its table with a :class:`Resource`; ``api.py`` turns that into
routes and ``web/admin.py`` into pages. Domains with more behaviour (customers) keep
their own services and actions and reuse the pieces below.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel
from sqlalchemy import ColumnElement, Select, String, or_, select, type_coerce
from sqlalchemy.orm import DeclarativeBase, InstrumentedAttribute, Session

from frontline.audit.actions import add_audit_entry
from frontline.auth.access import Check, require
from frontline.auth.models import User
from frontline.core.errors import Conflict, InvalidInput, NotFound
from frontline.core.paging import PageParams, fetch_page
from frontline.core.schemas import Input


class ListFilters(Input):
    """Query filters every resource accepts; resources extend it with their own."""

    q: str | None = None
    active: bool | None = None


@dataclass(frozen=True)
class Reference:
    """A field holding the id of another table's row."""

    model: type[DeclarativeBase]
    label: Callable[[Any], str]
    # Narrows which rows may be referenced (e.g. only supervisors lead a team).
    where: Callable[[], ColumnElement[bool]] | None = None

    def query(self) -> Select[Any]:
        model: Any = self.model
        query = select(model).where(model.active.is_(True))
        return query.where(self.where()) if self.where is not None else query


@dataclass(frozen=True)
class Resource:
    name: str  # URL segment, audit object type
    model: type[DeclarativeBase]
    read_schema: type[BaseModel]
    create_schema: type[BaseModel]
    update_schema: type[BaseModel]
    filter_schema: type[ListFilters]
    search_columns: tuple[InstrumentedAttribute[Any], ...]
    order_by: tuple[InstrumentedAttribute[Any], ...]
    can_read: Check
    can_write: Check
    # Columns that must be unique, alone or together, checked first for a clear message.
    unique: tuple[tuple[str, ...], ...] = ()
    references: Mapping[str, Reference] = field(default_factory=dict)
    # A check across fields or rows (e.g. probation after hire); raises InvalidInput.
    check_values: Callable[[Session, Mapping[str, Any]], None] | None = None
    # Turns validated input into column values (e.g. a password into its hash).
    to_columns: Callable[[dict[str, Any]], dict[str, Any]] | None = None
    # Input fields never written to the audit log.
    secret_fields: frozenset[str] = frozenset()

    def label(self, row: Any) -> str:
        return str(getattr(row, "name", None) or getattr(row, "full_name", None) or row.id)


# --- queries -------------------------------------------------------------------------


def list_query(resource: Resource, filters: ListFilters) -> Select[Any]:
    query = select(resource.model).order_by(*resource.order_by)
    # Only the resource's own filter fields: the object may also carry paging.
    names = set(resource.filter_schema.model_fields)
    values = filters.model_dump(include=names, exclude_none=True)
    text = str(values.pop("q", "")).strip()
    if text and resource.search_columns:  # a table with no text columns ignores q
        pattern = f"%{text}%"
        # Enum columns (a skill's channel) would check the pattern against their values;
        # matched as plain text they are searchable like any other column.
        matches = (type_coerce(column, String).ilike(pattern) for column in resource.search_columns)
        query = query.where(or_(*matches))
    for name, value in values.items():
        query = query.where(getattr(resource.model, name) == value)
    return query


def list_page(
    session: Session, user: User, resource: Resource, filters: ListFilters, params: PageParams
) -> tuple[Sequence[Any], int]:
    require(resource.can_read, user)
    return fetch_page(session, list_query(resource, filters), params)


def get_row(session: Session, user: User, resource: Resource, row_id: int) -> Any:
    """The one door to a named row: unknown and not-allowed look alike."""
    row = session.get(resource.model, row_id)
    if row is None or not resource.can_read(user):
        raise NotFound(f"No {resource.name} with id {row_id}", field="id")
    return row


def reference_labels(
    session: Session, reference: Reference, ids: Iterable[int | None]
) -> dict[int, str]:
    """Labels of the referenced rows with ``ids``, active or not (lists show history too)."""
    wanted = {ref_id for ref_id in ids if ref_id is not None}
    if not wanted:
        return {}
    model: Any = reference.model
    rows = session.scalars(select(model).where(model.id.in_(wanted)))
    return {row.id: reference.label(row) for row in rows}


def options(session: Session, reference: Reference) -> list[tuple[int, str]]:
    """Active rows of a referenced table, for select boxes."""
    rows = session.scalars(reference.query().order_by(reference.model.id))  # type: ignore[attr-defined]
    return [(row.id, reference.label(row)) for row in rows]


# --- checks --------------------------------------------------------------------------


def _check_references(session: Session, resource: Resource, values: Mapping[str, Any]) -> None:
    for name, reference in resource.references.items():
        ref_id = values.get(name)
        if ref_id is None:
            continue
        model: Any = reference.model
        found = session.scalar(reference.query().where(model.id == ref_id).limit(1))
        if found is None:
            raise InvalidInput(f"No active {name.removesuffix('_id')} with id {ref_id}", field=name)


def _check_unique(
    session: Session, resource: Resource, values: Mapping[str, Any], row_id: int | None
) -> None:
    model: Any = resource.model
    for columns in resource.unique:
        if any(values.get(column) is None for column in columns):
            continue
        query = select(model.id).where(*(getattr(model, c) == values[c] for c in columns))
        if row_id is not None:
            query = query.where(model.id != row_id)
        if session.scalar(query.limit(1)) is not None:
            raise Conflict(f"{' + '.join(columns)} is already taken", field=columns[-1])


def _validate(
    session: Session, resource: Resource, values: Mapping[str, Any], row_id: int | None
) -> None:
    if resource.check_values is not None:
        resource.check_values(session, values)
    _check_references(session, resource, values)
    _check_unique(session, resource, values, row_id)


# --- actions -------------------------------------------------------------------------


def create_row(session: Session, user: User, resource: Resource, payload: BaseModel) -> Any:
    require(resource.can_write, user)
    values = payload.model_dump()
    _validate(session, resource, values, None)
    row: Any = resource.model(**_columns(resource, values))
    session.add(row)
    session.flush()
    add_audit_entry(
        session,
        user,
        f"{resource.name}.create",
        resource.name,
        row.id,
        details=_jsonable(values, resource.secret_fields),
    )
    session.commit()
    return row


def update_row(
    session: Session, user: User, resource: Resource, row_id: int, payload: BaseModel
) -> Any:
    require(resource.can_write, user)
    row = get_row(session, user, resource, row_id)
    changes = payload.model_dump(exclude_unset=True)
    # Input-only fields (a password) have no column to read back.
    fields = [name for name in resource.create_schema.model_fields if hasattr(row, name)]
    current = {name: getattr(row, name) for name in fields}
    _validate(session, resource, {**current, **changes, "id": row_id}, row_id)
    for name, value in _columns(resource, changes).items():
        setattr(row, name, value)
    add_audit_entry(
        session,
        user,
        f"{resource.name}.update",
        resource.name,
        row.id,
        details=_jsonable(changes, resource.secret_fields),
    )
    session.commit()
    return row


def set_active(session: Session, user: User, resource: Resource, row_id: int, active: bool) -> Any:
    require(resource.can_write, user)
    row = get_row(session, user, resource, row_id)
    row.active = active
    action = "reactivate" if active else "deactivate"
    add_audit_entry(session, user, f"{resource.name}.{action}", resource.name, row.id)
    session.commit()
    return row


def _columns(resource: Resource, values: dict[str, Any]) -> dict[str, Any]:
    return resource.to_columns(values) if resource.to_columns else values


def _jsonable(values: Mapping[str, Any], secret: frozenset[str]) -> dict[str, Any]:
    return {
        key: "***"
        if key in secret
        else value
        if isinstance(value, int | float | None)
        else str(value)
        for key, value in values.items()
    }
