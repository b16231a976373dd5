"""HTTP routes for a :class:`~frontline.core.resources.Resource`, built from its schemas."""

# No ``from __future__ import annotations`` here: FastAPI reads the endpoint
# annotations at run time, and they are set from the resource's schema classes.

from typing import Annotated, Any

from fastapi import APIRouter, Query, status
from pydantic import BaseModel

from frontline.core import resources
from frontline.core.fields import Id
from frontline.core.paging import Page, PageParams
from frontline.core.resources import Resource
from frontline.web.dependencies import CurrentUser, DbSession


def list_query_model(resource: Resource) -> type[BaseModel]:
    """The resource's filters and the paging parameters as one query model."""
    name = f"{resource.name.title()}ListQuery"
    model: type[BaseModel] = type(name, (resource.filter_schema, PageParams), {})
    return model


def resource_router(resource: Resource, *, tag: str) -> APIRouter:
    router = APIRouter(prefix=f"/{resource.name}", tags=[tag])
    read = resource.read_schema
    query_model = list_query_model(resource)

    def list_rows(user: CurrentUser, session: DbSession, query: Any) -> Any:
        rows, total = resources.list_page(session, user, resource, query, query)
        items = [read.model_validate(row) for row in rows]
        return {"items": items, "total": total, "page": query.page, "per_page": query.per_page}

    list_rows.__annotations__["query"] = Annotated[query_model, Query()]

    def get_one(row_id: Id, user: CurrentUser, session: DbSession) -> Any:
        return resources.get_row(session, user, resource, row_id)

    def create(user: CurrentUser, session: DbSession, payload: Any) -> Any:
        return resources.create_row(session, user, resource, payload)

    create.__annotations__["payload"] = resource.create_schema

    def update(row_id: Id, user: CurrentUser, session: DbSession, payload: Any) -> Any:
        return resources.update_row(session, user, resource, row_id, payload)

    update.__annotations__["payload"] = resource.update_schema

    def deactivate(row_id: Id, user: CurrentUser, session: DbSession) -> Any:
        return resources.set_active(session, user, resource, row_id, active=False)

    def reactivate(row_id: Id, user: CurrentUser, session: DbSession) -> Any:
        return resources.set_active(session, user, resource, row_id, active=True)

    router.add_api_route(
        "",
        list_rows,
        methods=["GET"],
        response_model=Page[read],  # type: ignore[valid-type]
        summary=f"List {resource.name}",
    )
    router.add_api_route(
        "",
        create,
        methods=["POST"],
        response_model=read,
        status_code=status.HTTP_201_CREATED,
        summary=f"Create one of {resource.name}",
    )
    item = "/{row_id}"
    router.add_api_route(
        item, get_one, methods=["GET"], response_model=read, summary=f"Read one of {resource.name}"
    )
    router.add_api_route(
        item,
        update,
        methods=["PATCH"],
        response_model=read,
        summary=f"Change one of {resource.name}",
    )
    router.add_api_route(
        item + "/deactivate",
        deactivate,
        methods=["POST"],
        response_model=read,
        summary=f"Deactivate one of {resource.name}",
    )
    router.add_api_route(
        item + "/reactivate",
        reactivate,
        methods=["POST"],
        response_model=read,
        summary=f"Reactivate one of {resource.name}",
    )
    return router
