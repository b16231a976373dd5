"""Account API: who am I, and my personal API tokens."""

from __future__ import annotations

from fastapi import APIRouter, status

from frontline.auth import actions, service
from frontline.auth.schemas import TokenCreate, TokenCreated, TokenRead, UserRead
from frontline.core.clock import utcnow
from frontline.core.fields import Id
from frontline.web.dependencies import CurrentUser, DbSession

router = APIRouter(tags=["auth"])


@router.get("/me", response_model=UserRead, summary="The signed-in user")
def me(user: CurrentUser) -> UserRead:
    return UserRead.model_validate(user)


@router.get("/tokens", response_model=list[TokenRead], summary="My API tokens")
def list_tokens(user: CurrentUser, session: DbSession) -> list[TokenRead]:
    return [TokenRead.model_validate(token) for token in service.tokens_of(session, user)]


@router.post(
    "/tokens",
    response_model=TokenCreated,
    status_code=status.HTTP_201_CREATED,
    summary="Create an API token; the token is shown only in this answer",
)
def create_token(user: CurrentUser, session: DbSession, payload: TokenCreate) -> TokenCreated:
    token, secret = actions.create_token(session, user, payload.name)
    return TokenCreated(**TokenRead.model_validate(token).model_dump(), token=secret)


@router.post("/tokens/{token_id}/revoke", response_model=TokenRead, summary="Revoke an API token")
def revoke_token(token_id: Id, user: CurrentUser, session: DbSession) -> TokenRead:
    return TokenRead.model_validate(actions.revoke_token(session, user, token_id, utcnow()))
