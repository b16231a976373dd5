"""``POST /api/v1/cti/events``: any PBX reports calls here, signed with its shared key."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from sqlalchemy.orm import Session

from frontline.contacts.views import settle
from frontline.core.errors import InvalidInput
from frontline.cti import actions
from frontline.cti.schemas import CtiAnswer, CtiEvent
from frontline.web.dependencies import DbSession

router = APIRouter(prefix="/cti", tags=["cti"])


@router.post(
    "/events",
    response_model=CtiAnswer,
    summary="Report a call event (offered, answered, transferred, ended, abandoned, callback)",
    description=(
        f"Send the integration's code in `{actions.INTEGRATION_HEADER}` and "
        f"`sha256=<hex HMAC-SHA256 of the raw body with the shared key>` in "
        f"`{actions.SIGNATURE_HEADER}`. Repeats of an `event_id` change nothing and get "
        "the first answer. For `offered`, the answer says which extension to ring, or to "
        "queue the caller with the estimated wait."
    ),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": CtiEvent.model_json_schema()}},
        }
    },
)
async def receive_event(request: Request, session: DbSession) -> CtiAnswer:
    # The signature covers the raw bytes, so the body is read as-is; the rest blocks on
    # the database and the router, which is what the thread pool is for.
    body = await request.body()
    return await run_in_threadpool(_receive, request, session, body)


def _receive(request: Request, session: Session, body: bytes) -> CtiAnswer:
    integration = actions.verify(
        session,
        request.headers.get(actions.INTEGRATION_HEADER),
        body,
        request.headers.get(actions.SIGNATURE_HEADER),
    )
    try:
        event = CtiEvent.model_validate_json(body)
    except ValidationError as exc:
        raise RequestValidationError(
            [{**error, "loc": ("body", *error["loc"])} for error in exc.errors()]
        ) from None
    missing = event.missing()
    if missing is not None:
        raise InvalidInput(missing[1], field=missing[0])
    received = actions.receive(session, integration, event)
    if received.repeat and received.row.response is not None:
        return CtiAnswer.model_validate(received.row.response)
    routed = [settle(request, command_id) for command_id in received.commands]
    # A plain new call: the router's own decisions say where it went, no need to re-read.
    decided = routed[0] if event.type == "offered" and len(routed) == 1 else None
    answer = actions.answer_for(session, received.row, received.contact_id, decided)
    if not received.repeat:
        received.row.response = answer.model_dump(mode="json")
        session.commit()
    return answer
