"""Fixtures of the API tests: a world of related rows and callers of each role."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from frontline.auth.models import Role, User
from tests.api import factories


@dataclass(frozen=True)
class Caller:
    """A bearer-token client and who is behind it."""

    client: TestClient
    user: User
    token_id: int


CallerOf = Callable[[Role], Caller]


@pytest.fixture
def world(db: Session) -> factories.World:
    return factories.world(db)


@pytest.fixture
def caller_of(app: FastAPI, client: TestClient, db: Session) -> Iterator[CallerOf]:
    """Like ``api_as``, but also tells the user and the token id (and hashes faster)."""
    opened: list[TestClient] = []

    def make(role: Role) -> Caller:
        with factories.one_commit(db):
            user = factories.user(db, role)
            token_id, secret = factories.token(db, user)
        role_client = TestClient(app, headers={"Authorization": f"Bearer {secret}"})
        opened.append(role_client)
        return Caller(role_client, user, token_id)

    yield make
    for role_client in opened:
        role_client.close()


@pytest.fixture
def admin(caller_of: CallerOf) -> TestClient:
    return caller_of(Role.ADMIN).client
