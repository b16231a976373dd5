"""Named access checks shared by the API and the pages.

Each check answers one question about a user; views call :func:`require` with it so
that the same rule guards a page and its API route.
"""

from __future__ import annotations

from collections.abc import Callable

from frontline.auth.models import Role, User
from frontline.core.errors import PermissionDenied

Check = Callable[[User], bool]

STAFF_WITH_CUSTOMER_ACCESS = frozenset(
    {Role.AGENT, Role.SUPERVISOR, Role.QUALITY_ANALYST, Role.ADMIN}
)
# Roles that see contact details in full; agents see them only on contacts they handle.
UNMASKED_CONTACT_DETAILS = frozenset({Role.SUPERVISOR, Role.QUALITY_ANALYST, Role.ADMIN})
PEOPLE_READERS = frozenset({Role.SUPERVISOR, Role.PLANNER, Role.QUALITY_ANALYST, Role.ADMIN})
KNOWLEDGE_EDITORS = frozenset({Role.AGENT, Role.SUPERVISOR, Role.QUALITY_ANALYST, Role.ADMIN})
# Review is a second pair of eyes: the agents who write drafts cannot publish them.
KNOWLEDGE_REVIEWERS = frozenset({Role.SUPERVISOR, Role.QUALITY_ANALYST, Role.ADMIN})


def can_read_reference_data(user: User) -> bool:
    """Sites, products, skills, queues and teams: every signed-in role needs them."""
    return user.active


def can_manage_reference_data(user: User) -> bool:
    return user.role is Role.ADMIN


def can_read_agents(user: User) -> bool:
    return user.role in PEOPLE_READERS


def can_manage_agents(user: User) -> bool:
    return user.role is Role.ADMIN


def can_read_customers(user: User) -> bool:
    """Planners work on volumes, never on who called: least privilege keeps them out."""
    return user.role in STAFF_WITH_CUSTOMER_ACCESS


def can_edit_customers(user: User) -> bool:
    return user.role in {Role.AGENT, Role.SUPERVISOR, Role.ADMIN}


def sees_full_contact_details(user: User) -> bool:
    """Without a contact in hand, only these roles see phones and e-mails unmasked."""
    return user.role in UNMASKED_CONTACT_DETAILS


def can_read_knowledge(user: User) -> bool:
    """Every staff role reads the knowledge base, internal articles and drafts included."""
    return user.active


def can_edit_knowledge(user: User) -> bool:
    return user.role in KNOWLEDGE_EDITORS


def can_review_knowledge(user: User) -> bool:
    """Publish, send back, archive; edits by others go back to review first."""
    return user.role in KNOWLEDGE_REVIEWERS


def can_manage_users(user: User) -> bool:
    return user.role is Role.ADMIN


def can_read_audit_log(user: User) -> bool:
    return user.role is Role.ADMIN


def require(check: Check, user: User) -> None:
    """Raise :class:`PermissionDenied` unless ``check`` allows ``user``."""
    if not check(user):
        raise PermissionDenied("Your role does not allow this")


CONTACT_HANDLERS = frozenset({Role.AGENT, Role.SUPERVISOR, Role.ADMIN})
CONTACT_READERS = frozenset({Role.AGENT, Role.SUPERVISOR, Role.QUALITY_ANALYST, Role.ADMIN})
SUPERVISORS = frozenset({Role.SUPERVISOR, Role.ADMIN})


def can_handle_contacts(user: User) -> bool:
    """Take offers, talk, transfer and wrap up; also go ready and not ready."""
    return user.role in CONTACT_HANDLERS


def can_read_contacts(user: User) -> bool:
    """Agents read the contacts they handled; the other roles read all of them."""
    return user.role in CONTACT_READERS


def can_read_all_contacts(user: User) -> bool:
    return user.role in {Role.SUPERVISOR, Role.QUALITY_ANALYST, Role.ADMIN}


def can_supervise(user: User) -> bool:
    """Change other agents' states, act on any contact, create contacts by hand."""
    return user.role in SUPERVISORS


def can_read_wallboard(user: User) -> bool:
    return user.role in {Role.SUPERVISOR, Role.PLANNER, Role.QUALITY_ANALYST, Role.ADMIN}


SCHEDULERS = frozenset({Role.PLANNER, Role.ADMIN})


def can_request_time_off(user: User) -> bool:
    """Agents ask for their own days off (and see their own schedule)."""
    return user.role is Role.AGENT


def can_decide_time_off(user: User) -> bool:
    return user.role in SUPERVISORS


def can_schedule(user: User) -> bool:
    """Start scheduling runs and publish their rosters."""
    return user.role in SCHEDULERS


def can_read_time_off(user: User) -> bool:
    """Agents read their own requests; supervisors and planners read everyone's."""
    return user.role in {Role.AGENT, Role.SUPERVISOR, Role.PLANNER, Role.ADMIN}


def can_run_what_if(user: User) -> bool:
    """Simulate what-if days: planners and supervisors."""
    return user.role in {Role.SUPERVISOR, Role.PLANNER, Role.ADMIN}
