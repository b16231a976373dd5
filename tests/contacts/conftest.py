"""Fixtures of the core-loop tests: a small center with one voice queue and its agent."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from frontline.auth.models import Role
from frontline.contacts.models import WrapUpReason, WrapUpTopic
from frontline.org.models import Channel, Queue
from frontline.people.models import Agent
from tests.api import factories
from tests.api.conftest import Caller, CallerOf, caller_of

__all__ = ["Center", "caller_of", "center"]


@dataclass(frozen=True)
class Center:
    queue: Queue
    chat_queue: Queue
    reason: WrapUpReason
    agent: Agent
    agent_caller: Caller
    supervisor: TestClient
    customer_id: int

    @property
    def agent_api(self) -> TestClient:
        return self.agent_caller.client


@pytest.fixture
def center(db: Session, caller_of: CallerOf) -> Center:
    agent_caller = caller_of(Role.AGENT)
    supervisor = caller_of(Role.SUPERVISOR).client
    with factories.one_commit(db):
        site = factories.site(db)
        product = factories.product(db)
        voice = factories.skill(db, product)
        chat = factories.skill(db, product, channel=Channel.CHAT)
        queue = factories.queue(db, voice)
        chat_queue = factories.queue(db, chat)
        agent = factories.agent(db, site, user_id=agent_caller.user.id, extension="1001")
        factories.grant(db, agent, voice)
        factories.grant(db, agent, chat)
        topic = WrapUpTopic(product_id=product.id, name="Billing")
        db.add(topic)
        db.flush()
        reason = WrapUpReason(topic_id=topic.id, name="Invoice question")
        db.add(reason)
        customer = factories.customer(db, phones=("+79123456789",))
    return Center(queue, chat_queue, reason, agent, agent_caller, supervisor, customer.id)
