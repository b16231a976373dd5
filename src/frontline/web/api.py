"""The ``/api/v1`` router: every domain's routes in one place."""

from __future__ import annotations

from fastapi import APIRouter

from frontline.assistant.views import router as assistant_router
from frontline.audit.views import router as audit_router
from frontline.auth.resources import USERS
from frontline.auth.views import router as auth_router
from frontline.channels.resources import MAIL_ACKNOWLEDGEMENTS, MAIL_SIGNATURES
from frontline.channels.views import router as channels_router
from frontline.contacts.resources import WRAP_UP_REASONS, WRAP_UP_TOPICS
from frontline.contacts.views import router as contacts_router
from frontline.cti.resources import CTI_INTEGRATIONS, DIAL_PLAN
from frontline.cti.views import router as cti_router
from frontline.customers.views import router as customers_router
from frontline.knowledge.views import router as knowledge_router
from frontline.org.resources import OVERFLOW_STEPS, PRODUCTS, QUEUES, SITES, SKILLS, TEAMS
from frontline.people.views import router as people_router
from frontline.remedies.resources import REMEDIES
from frontline.remedies.views import router as remedies_router
from frontline.schedules.views import router as schedules_router
from frontline.scripts.resources import CALL_SCRIPTS
from frontline.web.errors import ERROR_RESPONSES
from frontline.web.resource_api import resource_router

API_PREFIX = "/api/v1"


def api_router() -> APIRouter:
    router = APIRouter(prefix=API_PREFIX, responses=ERROR_RESPONSES)
    # Routes are matched in order: the PBX's call events, hundreds a second at peak,
    # come first so they are not tried against every other route before their own.
    router.include_router(cti_router)
    router.include_router(auth_router)
    for resource in (SITES, PRODUCTS, SKILLS, QUEUES, TEAMS):
        router.include_router(resource_router(resource, tag="organisation"))
    router.include_router(people_router)
    router.include_router(resource_router(USERS, tag="auth"))
    router.include_router(customers_router)
    router.include_router(audit_router)
    router.include_router(contacts_router)
    router.include_router(resource_router(OVERFLOW_STEPS, tag="routing"))
    for resource in (WRAP_UP_TOPICS, WRAP_UP_REASONS):
        router.include_router(resource_router(resource, tag="contacts"))
    for resource in (CTI_INTEGRATIONS, DIAL_PLAN):
        router.include_router(resource_router(resource, tag="cti"))
    router.include_router(knowledge_router)
    router.include_router(resource_router(REMEDIES, tag="remedies"))
    router.include_router(remedies_router)
    router.include_router(schedules_router)
    router.include_router(channels_router)
    for resource in (MAIL_ACKNOWLEDGEMENTS, MAIL_SIGNATURES):
        router.include_router(resource_router(resource, tag="channels"))
    router.include_router(resource_router(CALL_SCRIPTS, tag="scripts"))
    router.include_router(assistant_router)
    return router
