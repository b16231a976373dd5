"""Who may call what: every ``/api/v1`` route against anonymous callers and each role.

The table below is written by hand on purpose — it is the access policy in one place,
read by people reviewing it, not derived from the code it checks. A new route fails
``test_every_api_route_is_in_the_table`` until someone decides who may call it.

A role that may not call a route gets 403, except where the route names one object the
role may not see: then it gets 404, so that "not allowed" and "not there" look alike
(``get_row``/``get_customer``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient

from frontline.auth.models import Role
from tests.api.conftest import CallerOf
from tests.api.factories import World

AGENT, SUPERVISOR, PLANNER, QA, ADMIN = (
    Role.AGENT,
    Role.SUPERVISOR,
    Role.PLANNER,
    Role.QUALITY_ANALYST,
    Role.ADMIN,
)
EVERYONE = frozenset(Role)
ADMINS = frozenset({ADMIN})
PEOPLE_READERS = frozenset({SUPERVISOR, PLANNER, QA, ADMIN})
CUSTOMER_READERS = frozenset({AGENT, SUPERVISOR, QA, ADMIN})
CUSTOMER_EDITORS = frozenset({AGENT, SUPERVISOR, ADMIN})
CONTACT_READERS = frozenset({AGENT, SUPERVISOR, QA, ADMIN})
ALL_CONTACT_READERS = frozenset({SUPERVISOR, QA, ADMIN})
HANDLERS = frozenset({AGENT, SUPERVISOR, ADMIN})
SUPERVISORS = frozenset({SUPERVISOR, ADMIN})
WALLBOARD = frozenset({SUPERVISOR, PLANNER, QA, ADMIN})
TIME_OFF_READERS = frozenset({AGENT, SUPERVISOR, PLANNER, ADMIN})
SCHEDULERS = frozenset({PLANNER, ADMIN})
NOBODY: frozenset[Role] = frozenset()

Body = Callable[[World], dict[str, Any]]


@dataclass(frozen=True)
class Rule:
    allowed: frozenset[Role]
    # What a role outside ``allowed`` gets.
    denied: int = 403
    # A valid body for a caller who is allowed.
    body: Body | None = None
    # Statuses that mean "allowed, but refused for the state of things": a 409 for
    # accepting a contact nobody offered, or working without an agent record.
    refused: frozenset[int] = frozenset()
    # Roles denied with another status than ``denied`` (an agent asking about a
    # contact not theirs gets 404, other roles 403).
    denied_for: dict[Role, int] = field(default_factory=dict)


def _site(_: World) -> dict[str, Any]:
    return {
        "code": "EKB",
        "name": "Yekaterinburg",
        "city": "Yekaterinburg",
        "country": "RU",
        "time_zone": "Asia/Yekaterinburg",
    }


def _product(_: World) -> dict[str, Any]:
    return {"code": "LOANS", "name": "Loans"}


def _skill(w: World) -> dict[str, Any]:
    return {"product_id": w.product.id, "language": "en", "channel": "chat"}


def _queue(w: World) -> dict[str, Any]:
    return {"code": "CARDS-EN", "name": "Cards in English", "skill_id": w.skill.id}


def _team(w: World) -> dict[str, Any]:
    return {"name": "Gamma", "site_id": w.site.id}


def _agent(w: World) -> dict[str, Any]:
    return {
        "employee_number": "E-NEW",
        "full_name": "Olga Smirnova",
        "email": "olga@example.com",
        "site_id": w.site.id,
        "hire_date": "2025-06-02",
    }


def _user(_: World) -> dict[str, Any]:
    return {
        "email": "new.user@example.com",
        "full_name": "New User",
        "role": "planner",
        "password": "a long enough password",
    }


def _customer(_: World) -> dict[str, Any]:
    return {"name": "Anna Ivanova", "phones": ["8 (912) 345-67-00"], "emails": ["anna@example.ru"]}


def _rename(_: World) -> dict[str, Any]:
    return {"name": "Renamed"}


def _rename_person(_: World) -> dict[str, Any]:
    return {"full_name": "Renamed Person"}


def _language(_: World) -> dict[str, Any]:
    return {"language": "kk"}


def _skills(w: World) -> dict[str, Any]:
    return {"skills": [{"skill_id": w.skill.id, "proficiency": 4}]}


def _token(_: World) -> dict[str, Any]:
    return {"name": "laptop"}


def _contact(w: World) -> dict[str, Any]:
    return {"channel": "voice", "queue_id": w.queue.id, "address": "+79123450000"}


def _transfer(w: World) -> dict[str, Any]:
    return {"queue_id": w.queue.id}


def _escalation(w: World) -> dict[str, Any]:
    return {"agent_id": w.mentor.id, "mode": "warm"}


def _callback(_: World) -> dict[str, Any]:
    return {"number": "+79123450001"}


def _reply(_: World) -> dict[str, Any]:
    return {"text": "Thank you, we have fixed it."}


def _web_request(w: World) -> dict[str, Any]:
    return {"name": "Ivan", "email": "ivan@example.ru", "product_id": w.product.id}


def _acknowledgement(w: World) -> dict[str, Any]:
    return {"queue_id": w.queue.id, "text": "Registered as {reference}"}


def _signature(w: World) -> dict[str, Any]:
    return {"product_id": w.product.id, "text": "The cards team"}


def _new_text(_: World) -> dict[str, Any]:
    return {"text": "Thank you for writing"}


def _mail_template_rules(name: str, create: Body) -> dict[tuple[str, str], Rule]:
    """Like ``_resource_rules``; the world's queue and product already have one (409)."""
    rules = _resource_rules(name, EVERYONE, create, _new_text)
    rules[("POST", f"{V1}/{name}")] = Rule(ADMINS, body=create, refused=CONFLICT)
    return rules


def _wrap_up(w: World) -> dict[str, Any]:
    return {"reason_id": w.reason.id, "outcome": "resolved"}


def _remedy(w: World) -> dict[str, Any]:
    return {"product_id": w.product.id, "problem": "Card late", "name": "Free delivery"}


def _grant(w: World) -> dict[str, Any]:
    return {"remedy_id": w.remedy.id}


def _grant_decision(_: World) -> dict[str, Any]:
    return {"reason": "Within the policy"}


def _ready(_: World) -> dict[str, Any]:
    return {"state": "ready"}


def _lunch(_: World) -> dict[str, Any]:
    return {"state": "not_ready", "reason": "lunch"}


def _overflow(w: World) -> dict[str, Any]:
    return {"queue_id": w.queue.id, "after_seconds": 30}


def _later(_: World) -> dict[str, Any]:
    return {"after_seconds": 120}


def _topic(w: World) -> dict[str, Any]:
    return {"product_id": w.product.id, "name": "Billing"}


def _integration(_: World) -> dict[str, Any]:
    return {"code": "PBX2", "name": "Second PBX", "secret": "sixteen chars or more"}


def _dial_plan(w: World) -> dict[str, Any]:
    return {"dialled": "+74950000000", "queue_id": w.queue.id}


def _wrap_up_reason(w: World) -> dict[str, Any]:
    return {"topic_id": w.topic.id, "name": "Invoice question"}


def _choice(_: World) -> dict[str, Any]:
    return {"ivr_choice": "2"}


def _day_off(_: World) -> dict[str, Any]:
    return {"day": "2030-02-04", "reason": "Family wedding"}


def _decision(_: World) -> dict[str, Any]:
    return {"reason": "Coverage is thin that week"}


def _call_script(_: World) -> dict[str, Any]:
    body = '{"greetings": ["Hi"], "start": "a", "steps": {"a": {"say": "Bye"}}}'
    return {"name": "Campaign script", "campaign": "Spring offer", "body": body}


def _conversation(_: World) -> dict[str, Any]:
    return {"language": "en"}


def _message(_: World) -> dict[str, Any]:
    return {"text": "банкомат у Курской"}


def _schedule_run(_: World) -> dict[str, Any]:
    return {"start": "2030-01-07", "weeks": 1, "calls_per_day": 300, "time_limit_seconds": 1}


CONFLICT = frozenset({409})
# The world's product has no web queue: the form refuses it, past any access check.
NO_WEB_QUEUE = frozenset({422})
NOT_THEIRS = {AGENT: 404}


def _resource_rules(
    name: str, read: frozenset[Role], create: Body, edit: Body
) -> dict[tuple[str, str], Rule]:
    """The generic life cycle of a reference resource, as for sites and queues."""
    path = f"{V1}/{name}"
    return {
        ("GET", path): Rule(read),
        ("POST", path): Rule(ADMINS, body=create),
        ("GET", f"{path}/{{row_id}}"): Rule(read, denied=404),
        ("PATCH", f"{path}/{{row_id}}"): Rule(ADMINS, body=edit),
        ("POST", f"{path}/{{row_id}}/deactivate"): Rule(ADMINS),
        ("POST", f"{path}/{{row_id}}/reactivate"): Rule(ADMINS),
    }


V1 = "/api/v1"
RULES: dict[tuple[str, str], Rule] = {
    ("GET", f"{V1}/me"): Rule(EVERYONE),
    ("GET", f"{V1}/tokens"): Rule(EVERYONE),
    ("POST", f"{V1}/tokens"): Rule(EVERYONE, body=_token),
    ("POST", f"{V1}/tokens/{{token_id}}/revoke"): Rule(EVERYONE),
    ("GET", f"{V1}/sites"): Rule(EVERYONE),
    ("POST", f"{V1}/sites"): Rule(ADMINS, body=_site),
    ("GET", f"{V1}/sites/{{row_id}}"): Rule(EVERYONE),
    ("PATCH", f"{V1}/sites/{{row_id}}"): Rule(ADMINS, body=_rename),
    ("POST", f"{V1}/sites/{{row_id}}/deactivate"): Rule(ADMINS),
    ("POST", f"{V1}/sites/{{row_id}}/reactivate"): Rule(ADMINS),
    ("GET", f"{V1}/products"): Rule(EVERYONE),
    ("POST", f"{V1}/products"): Rule(ADMINS, body=_product),
    ("GET", f"{V1}/products/{{row_id}}"): Rule(EVERYONE),
    ("PATCH", f"{V1}/products/{{row_id}}"): Rule(ADMINS, body=_rename),
    ("POST", f"{V1}/products/{{row_id}}/deactivate"): Rule(ADMINS),
    ("POST", f"{V1}/products/{{row_id}}/reactivate"): Rule(ADMINS),
    ("GET", f"{V1}/skills"): Rule(EVERYONE),
    ("POST", f"{V1}/skills"): Rule(ADMINS, body=_skill),
    ("GET", f"{V1}/skills/{{row_id}}"): Rule(EVERYONE),
    ("PATCH", f"{V1}/skills/{{row_id}}"): Rule(ADMINS, body=_language),
    ("POST", f"{V1}/skills/{{row_id}}/deactivate"): Rule(ADMINS),
    ("POST", f"{V1}/skills/{{row_id}}/reactivate"): Rule(ADMINS),
    ("GET", f"{V1}/queues"): Rule(EVERYONE),
    ("POST", f"{V1}/queues"): Rule(ADMINS, body=_queue),
    ("GET", f"{V1}/queues/{{row_id}}"): Rule(EVERYONE),
    ("PATCH", f"{V1}/queues/{{row_id}}"): Rule(ADMINS, body=_rename),
    ("POST", f"{V1}/queues/{{row_id}}/deactivate"): Rule(ADMINS),
    ("POST", f"{V1}/queues/{{row_id}}/reactivate"): Rule(ADMINS),
    ("GET", f"{V1}/teams"): Rule(EVERYONE),
    ("POST", f"{V1}/teams"): Rule(ADMINS, body=_team),
    ("GET", f"{V1}/teams/{{row_id}}"): Rule(EVERYONE),
    ("PATCH", f"{V1}/teams/{{row_id}}"): Rule(ADMINS, body=_rename),
    ("POST", f"{V1}/teams/{{row_id}}/deactivate"): Rule(ADMINS),
    ("POST", f"{V1}/teams/{{row_id}}/reactivate"): Rule(ADMINS),
    ("GET", f"{V1}/agents"): Rule(PEOPLE_READERS),
    ("POST", f"{V1}/agents"): Rule(ADMINS, body=_agent),
    ("GET", f"{V1}/agents/{{row_id}}"): Rule(PEOPLE_READERS, denied=404),
    ("PATCH", f"{V1}/agents/{{row_id}}"): Rule(ADMINS, body=_rename_person),
    ("POST", f"{V1}/agents/{{row_id}}/deactivate"): Rule(ADMINS),
    ("POST", f"{V1}/agents/{{row_id}}/reactivate"): Rule(ADMINS),
    ("GET", f"{V1}/agents/{{row_id}}/skills"): Rule(PEOPLE_READERS, denied=404),
    ("PUT", f"{V1}/agents/{{row_id}}/skills"): Rule(ADMINS, body=_skills),
    ("GET", f"{V1}/users"): Rule(ADMINS),
    ("POST", f"{V1}/users"): Rule(ADMINS, body=_user),
    ("GET", f"{V1}/users/{{row_id}}"): Rule(ADMINS, denied=404),
    ("PATCH", f"{V1}/users/{{row_id}}"): Rule(ADMINS, body=_rename_person),
    ("POST", f"{V1}/users/{{row_id}}/deactivate"): Rule(ADMINS),
    ("POST", f"{V1}/users/{{row_id}}/reactivate"): Rule(ADMINS),
    ("GET", f"{V1}/customers"): Rule(CUSTOMER_READERS),
    ("POST", f"{V1}/customers"): Rule(CUSTOMER_EDITORS, body=_customer),
    ("GET", f"{V1}/customers/{{customer_id}}"): Rule(CUSTOMER_READERS, denied=404),
    ("PATCH", f"{V1}/customers/{{customer_id}}"): Rule(CUSTOMER_EDITORS, body=_rename),
    ("POST", f"{V1}/customers/{{customer_id}}/deactivate"): Rule(CUSTOMER_EDITORS),
    ("POST", f"{V1}/customers/{{customer_id}}/reactivate"): Rule(CUSTOMER_EDITORS),
    ("GET", f"{V1}/audit"): Rule(ADMINS),
    ("GET", f"{V1}/contacts"): Rule(CONTACT_READERS),
    ("POST", f"{V1}/contacts"): Rule(SUPERVISORS, body=_contact),
    ("GET", f"{V1}/contacts/{{contact_id}}"): Rule(ALL_CONTACT_READERS, denied=404),
    ("POST", f"{V1}/contacts/{{contact_id}}/accept"): Rule(
        SUPERVISORS, refused=CONFLICT, denied_for=NOT_THEIRS
    ),
    ("POST", f"{V1}/contacts/{{contact_id}}/reject"): Rule(
        SUPERVISORS, refused=CONFLICT, denied_for=NOT_THEIRS
    ),
    ("POST", f"{V1}/contacts/{{contact_id}}/end"): Rule(
        SUPERVISORS, refused=CONFLICT, denied_for=NOT_THEIRS
    ),
    ("POST", f"{V1}/contacts/{{contact_id}}/transfer"): Rule(
        SUPERVISORS, body=_transfer, refused=CONFLICT, denied_for=NOT_THEIRS
    ),
    ("POST", f"{V1}/contacts/{{contact_id}}/escalate"): Rule(
        SUPERVISORS, body=_escalation, refused=CONFLICT, denied_for=NOT_THEIRS
    ),
    ("POST", f"{V1}/contacts/{{contact_id}}/callback"): Rule(SUPERVISORS, body=_callback),
    ("POST", f"{V1}/contacts/{{contact_id}}/wrap-up"): Rule(
        SUPERVISORS, body=_wrap_up, refused=CONFLICT, denied_for=NOT_THEIRS
    ),
    ("GET", f"{V1}/customers/{{customer_id}}/contacts"): Rule(CUSTOMER_READERS, denied=404),
    # The world's contact is a call: replying to it is refused once access is granted.
    ("POST", f"{V1}/contacts/{{contact_id}}/reply"): Rule(
        SUPERVISORS, body=_reply, refused=CONFLICT, denied_for=NOT_THEIRS
    ),
    ("GET", f"{V1}/contacts/{{contact_id}}/messages"): Rule(ALL_CONTACT_READERS, denied=404),
    # The public request form: no sign-in, so no token is needed or checked.
    ("POST", f"{V1}/web-requests"): Rule(EVERYONE, body=_web_request, refused=NO_WEB_QUEUE),
    ("GET", f"{V1}/workspace"): Rule(HANDLERS, refused=CONFLICT),
    ("POST", f"{V1}/workspace/state"): Rule(HANDLERS, body=_ready, refused=CONFLICT),
    ("GET", f"{V1}/routing/agents"): Rule(WALLBOARD),
    ("GET", f"{V1}/wallboard"): Rule(WALLBOARD),
    ("POST", f"{V1}/routing/agents/{{agent_id}}/state"): Rule(SUPERVISORS, body=_lunch),
    ("GET", f"{V1}/routing/queues/{{queue_id}}/wait-estimate"): Rule(EVERYONE),
    # Signed by the PBX's key, not by a user's token: every token holder gets 401.
    ("POST", f"{V1}/cti/events"): Rule(NOBODY, denied=401),
    # An agent files for themself: the matrix's agent account has no agent record (409).
    ("POST", f"{V1}/time-off"): Rule(frozenset({AGENT}), body=_day_off, refused=CONFLICT),
    ("GET", f"{V1}/time-off"): Rule(TIME_OFF_READERS),
    ("POST", f"{V1}/time-off/{{row_id}}/approve"): Rule(SUPERVISORS, body=_decision),
    ("POST", f"{V1}/time-off/{{row_id}}/decline"): Rule(SUPERVISORS, body=_decision),
    ("POST", f"{V1}/schedule-runs"): Rule(SCHEDULERS, body=_schedule_run, refused=CONFLICT),
    ("GET", f"{V1}/schedule-runs"): Rule(SCHEDULERS),
    ("GET", f"{V1}/schedule-runs/{{row_id}}"): Rule(SCHEDULERS),
    ("GET", f"{V1}/schedule-runs/{{row_id}}/shifts"): Rule(SCHEDULERS),
    # The world's run failed: publishing it is refused after the access check.
    ("POST", f"{V1}/schedule-runs/{{row_id}}/publish"): Rule(SCHEDULERS, refused=CONFLICT),
    ("GET", f"{V1}/my-schedule"): Rule(EVERYONE),
    ("GET", f"{V1}/wfm/adherence"): Rule(WALLBOARD),
    **_resource_rules("overflow-steps", EVERYONE, _overflow, _later),
    **_resource_rules("wrap-up-topics", EVERYONE, _topic, _rename),
    **_resource_rules("wrap-up-reasons", EVERYONE, _wrap_up_reason, _rename),
    **_resource_rules("cti-integrations", ADMINS, _integration, _rename),
    **_resource_rules("dial-plan", EVERYONE, _dial_plan, _choice),
    ("GET", f"{V1}/kb/search"): Rule(EVERYONE),
    ("GET", f"{V1}/kb/contacts/{{contact_id}}/suggestions"): Rule(ALL_CONTACT_READERS, denied=404),
    ("GET", f"{V1}/kb/reports/resolving"): Rule(frozenset({SUPERVISOR, QA, ADMIN})),
    **_resource_rules("remedies", EVERYONE, _remedy, _rename),
    # The world's contact waits: granting on it is refused once access is granted.
    ("POST", f"{V1}/contacts/{{contact_id}}/remedies"): Rule(
        SUPERVISORS, body=_grant, refused=CONFLICT, denied_for=NOT_THEIRS
    ),
    ("GET", f"{V1}/contacts/{{contact_id}}/remedies"): Rule(ALL_CONTACT_READERS, denied=404),
    ("GET", f"{V1}/remedy-grants"): Rule(SUPERVISORS),
    ("POST", f"{V1}/remedy-grants/{{row_id}}/approve"): Rule(SUPERVISORS, body=_grant_decision),
    ("POST", f"{V1}/remedy-grants/{{row_id}}/decline"): Rule(SUPERVISORS, body=_grant_decision),
    **_mail_template_rules("mail-acknowledgements", _acknowledgement),
    **_mail_template_rules("mail-signatures", _signature),
    **_resource_rules("call-scripts", EVERYONE, _call_script, _rename),
    # The assistant is for customers: no token is needed or checked.
    ("POST", f"{V1}/assistant/conversations"): Rule(EVERYONE, body=_conversation),
    ("GET", f"{V1}/assistant/conversations/{{conversation_id}}"): Rule(EVERYONE),
    ("POST", f"{V1}/assistant/conversations/{{conversation_id}}/messages"): Rule(
        EVERYONE, body=_message
    ),
    ("GET", f"{V1}/assistant/report"): Rule(WALLBOARD),
}

ROUTES = sorted(RULES)
PUBLIC_ROUTES = frozenset(
    {
        ("POST", f"{V1}/web-requests"),
        ("POST", f"{V1}/assistant/conversations"),
        ("GET", f"{V1}/assistant/conversations/{{conversation_id}}"),
        ("POST", f"{V1}/assistant/conversations/{{conversation_id}}/messages"),
    }
)
ALLOWED = "2xx"


def _route_id(route: tuple[str, str]) -> str:
    return f"{route[0]} {route[1]}"


def _path(template: str, world: World, own_token_id: int) -> str:
    """Fill the template with ids of rows that exist; ``{token_id}`` is the caller's own."""
    resource = template.removeprefix(f"{V1}/").split("/")[0]
    row_id = world.ids.get(resource, 0)
    return template.format(
        row_id=row_id,
        customer_id=world.customer.id,
        contact_id=world.contact.id,
        agent_id=world.agent.id,
        queue_id=world.queue.id,
        token_id=own_token_id,
        conversation_id=world.conversation.public_id,
    )


def _call(client: TestClient, route: tuple[str, str], world: World, token_id: int) -> int:
    method, template = route
    rule = RULES[route]
    body = rule.body(world) if rule.body else None
    answer = client.request(method, _path(template, world, token_id), json=body)
    return answer.status_code


def _outcome(status: int) -> int | str:
    """2xx statuses compare as one; anything else as itself, so failures show it."""
    return ALLOWED if 200 <= status < 300 else status


def _cases() -> list[Any]:
    return [
        pytest.param(
            route,
            role,
            ALLOWED
            if role in RULES[route].allowed
            else RULES[route].denied_for.get(role, RULES[route].denied),
            id=f"{_route_id(route)} as {role.value}",
        )
        for route in ROUTES
        for role in Role
    ]


def _served_api_routes(app: FastAPI) -> set[tuple[str, str]]:
    # ``app.routes`` holds included routers unexpanded since FastAPI 0.137;
    # ``iter_route_contexts`` is the public way to see the routes behind them.
    return {
        (method, str(route.path))
        for route in iter_route_contexts(app.routes)
        if str(route.path).startswith(f"{V1}/")
        for method in route.methods or ()
        if method != "HEAD"
    }


def test_every_api_route_is_in_the_table(app: FastAPI) -> None:
    served = _served_api_routes(app)
    assert len(served) > 50, "route enumeration went quiet; the check below would be vacuous"
    assert sorted(served - RULES.keys()) == [], "add these routes to RULES"
    assert sorted(RULES.keys() - served) == [], "these routes are gone; remove them from RULES"


@pytest.mark.parametrize("route", sorted(RULES.keys() - PUBLIC_ROUTES), ids=_route_id)
def test_anonymous_callers_are_refused(
    client: TestClient, world: World, route: tuple[str, str]
) -> None:
    assert _call(client, route, world, world.token_id) == 401


@pytest.mark.parametrize(("route", "role", "expected"), _cases())
def test_role_access(
    caller_of: CallerOf, world: World, route: tuple[str, str], role: Role, expected: int | str
) -> None:
    caller = caller_of(role)
    status = _call(caller.client, route, world, caller.token_id)
    if status in RULES[route].refused:
        status = 200  # past the access check; the state of things said no
    assert _outcome(status) == expected
