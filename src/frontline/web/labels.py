"""What the pages call fields, choices and tables, marked for the catalogs.

Schemas name fields for programs (``site_id``); people read "Site" or "Площадка".
Each text here is a message id, translated when a page is rendered for a viewer.
"""

from __future__ import annotations

from dataclasses import dataclass

from frontline.web.i18n import N_

FIELD_LABELS: dict[str, str] = {
    "code": N_("Code"),
    "name": N_("Name"),
    "city": N_("City"),
    "country": N_("Country"),
    "time_zone": N_("Time zone"),
    "description": N_("Description"),
    "product_id": N_("Product"),
    "language": N_("Language"),
    "channel": N_("Channel"),
    "skill_id": N_("Skill"),
    "min_proficiency": N_("Minimum proficiency"),
    "service_level_target": N_("Service level target"),
    "target_answer_seconds": N_("Target answer time, seconds"),
    "wrap_up_limit_seconds": N_("Wrap-up limit, seconds"),
    "site_id": N_("Site"),
    "supervisor_id": N_("Supervisor"),
    "employee_number": N_("Employee number"),
    "full_name": N_("Full name"),
    "email": N_("E-mail"),
    "team_id": N_("Team"),
    "level": N_("Level"),
    "hire_date": N_("Hire date"),
    "probation_end": N_("Probation ends"),
    "mentor_id": N_("Mentor"),
    "contract_hours_per_week": N_("Contract hours per week"),
    "user_id": N_("User account"),
    "role": N_("Role"),
    "password": N_("Password"),
    "locale": N_("Interface language"),
    "kind": N_("Kind"),
    "inn": N_("INN"),
    "phones": N_("Phones"),
    "emails": N_("E-mails"),
    "vulnerable": N_("Vulnerable customer"),
    "abusive": N_("Abusive customer"),
    "flag_note": N_("Note on the flags"),
    "external_ref": N_("External reference"),
    "active": N_("Active"),
    "queue_id": N_("Queue"),
    "campaign": N_("Campaign"),
    "body": N_("Script (YAML or JSON)"),
    "problem": N_("Problem"),
    "max_amount": N_("Maximum amount"),
    "agent_limit": N_("Agent may grant up to"),
    "text": N_("Text"),
}

# Hints under a field, where its format is not obvious.
FIELD_HINTS: dict[str, str] = {
    "code": N_("Latin letters, digits, “-” and “_”; stored in capitals"),
    "country": N_("Two-letter ISO code, e.g. RU"),
    "time_zone": N_("IANA name, e.g. Europe/Moscow"),
    "language": N_("ISO 639 code, e.g. ru"),
    "locale": N_("ISO 639 code, e.g. ru or en; empty means the browser's language"),
    "body": N_(
        "greetings: 1 to 7 variants; start: the first step; steps: name → say and choices "
        "(label, next). Variables: {customer_name}, {product}, {agent_name}"
    ),
    "service_level_target": N_("Share of contacts answered in time, from 0 to 1, e.g. 0.8"),
    "phones": N_("One per line; numbers without a country code are read as Russian"),
    "emails": N_("One per line"),
    "inn": N_("10 digits for a company, 12 for a person"),
    "text": N_(
        "In an acknowledgement, {reference} becomes the contact's number, {queue} the queue's name"
    ),
}

# Enum values as people read them; one map for every enum, as values do not collide.
CHOICE_LABELS: dict[str, str] = {
    # auth.models.Role
    "agent": N_("Agent"),
    "supervisor": N_("Supervisor"),
    "planner": N_("Planner"),
    "quality_analyst": N_("Quality analyst"),
    "admin": N_("Administrator"),
    # org.models.Channel
    "voice": N_("Voice"),
    "email": N_("E-mail"),
    "chat": N_("Chat"),
    "web": N_("Web form"),
    "fax": N_("Fax"),
    # people.models.AgentLevel
    "consultant": N_("Consultant"),
    "specialist": N_("Specialist"),
    "leading_specialist": N_("Leading specialist"),
    # customers.models.CustomerKind
    "person": N_("Person"),
    "company": N_("Company"),
    # knowledge.models.Visibility and ArticleStatus
    "internal": N_("Internal"),
    "public": N_("Public"),
    "draft": N_("Draft"),
    "review": N_("In review"),
    "published": N_("Published"),
    "archived": N_("Archived"),
    # routing.model.AgentState ("offered" and "wrap_up" are contact statuses too)
    "logged_out": N_("Logged out"),
    "ready": N_("Ready"),
    "not_ready": N_("Not ready"),
    "offered": N_("Offered"),
    "busy": N_("Busy"),
    "wrap_up": N_("Wrap-up"),
    # routing.model.NotReadyReason
    "login": N_("Just logged in"),
    "lunch": N_("Lunch"),
    "break": N_("Break"),
    "training": N_("Training"),
    "mentoring": N_("Mentoring"),
    "off_phone_work": N_("Off-phone work"),
    "missed_offer": N_("Missed an offer"),
    # contacts.models.ContactStatus
    "waiting": N_("Waiting"),
    "active": N_("In conversation"),
    "done": N_("Done"),
    "abandoned": N_("Abandoned"),
    # contacts.models.Outcome
    "resolved": N_("Resolved"),
    "escalated": N_("Escalated"),
    "callback": N_("Call back"),
    "order_taken": N_("Order taken"),
    "complaint": N_("Complaint"),
    # routing.model.EscalationMode
    "warm": N_("Warm (stay on the line)"),
    "cold": N_("Cold (hand over)"),
    # remedies.models.GrantStatus (the mail thread names its delivery states itself:
    # "pending" means another thing there)
    "pending": N_("Waiting for approval"),
    "granted": N_("Granted"),
    "declined": N_("Declined"),
}


@dataclass(frozen=True)
class Title:
    """How a table is named: the heading of its list and of the form for a new row.

    Whole phrases, not "New %(thing)s": Russian adjectives agree with the noun's gender.
    """

    plural: str
    new: str


RESOURCE_TITLES: dict[str, Title] = {
    "sites": Title(N_("Sites"), N_("New site")),
    "products": Title(N_("Products"), N_("New product")),
    "skills": Title(N_("Skills"), N_("New skill")),
    "queues": Title(N_("Queues"), N_("New queue")),
    "teams": Title(N_("Teams"), N_("New team")),
    "agents": Title(N_("Agents"), N_("New agent")),
    "users": Title(N_("Users"), N_("New user")),
    "customers": Title(N_("Customers"), N_("New customer")),
    "call-scripts": Title(N_("Call scripts"), N_("New call script")),
    "remedies": Title(N_("Standard solutions"), N_("New standard solution")),
    "mail-acknowledgements": Title(N_("Mail acknowledgements"), N_("New acknowledgement")),
    "mail-signatures": Title(N_("Mail signatures"), N_("New signature")),
}

# Messages that actions raise in English; listed here so the catalogs translate them.
ACTION_MESSAGES = (
    N_("Wrong e-mail or password"),
    N_("Too many sign-in attempts; wait a minute and try again"),
    N_("The account is locked after repeated failed sign-ins; try later"),
    N_("Your role does not allow this"),
    N_("Missing or wrong CSRF token; reload the page"),
    N_("Probation cannot end before the hire date"),
    N_("An agent cannot mentor themselves"),
    N_("The team belongs to another site"),
    N_("A person's INN has 12 digits"),
    N_("A company's INN has 10 digits"),
)


def field_label(name: str) -> str:
    """The message id of a field's label; unknown fields show their own name."""
    return FIELD_LABELS.get(name, name.replace("_", " ").capitalize())
