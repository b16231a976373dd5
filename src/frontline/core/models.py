"""Imports every domain's tables so the metadata is complete (Alembic, tests)."""

from frontline.assistant.models import AssistantConversation, AssistantTurn
from frontline.audit.models import AuditEntry
from frontline.auth.models import ApiToken, LoginAttempt, User
from frontline.channels.models import (
    MailAcknowledgement,
    MailAttachment,
    MailMessage,
    MailSignature,
    OutboxMail,
    WebRequest,
)
from frontline.contacts.models import Contact, ContactEvent, WrapUpReason, WrapUpTopic
from frontline.core.db import Base
from frontline.cti.models import CtiCall, CtiEvent, CtiIntegration, DialPlanEntry
from frontline.customers.models import Customer, CustomerEmail, CustomerPhone
from frontline.knowledge.models import (
    KbArticle,
    KbArticleLink,
    KbArticleVersion,
    KbAttachment,
    KbCategory,
    KbTerm,
)
from frontline.org.models import Product, Queue, QueueOverflowStep, Site, Skill, Team
from frontline.people.models import Agent, AgentSkill
from frontline.remedies.models import Remedy, RemedyGrant
from frontline.routing.models import AgentPresence, AgentStateSpan, RoutingCommand
from frontline.schedules.models import ScheduledShift, ScheduleRun, TimeOffRequest
from frontline.scripts.models import CallScript, ContactGreeting

__all__ = [
    "Agent",
    "AgentPresence",
    "AgentSkill",
    "AgentStateSpan",
    "ApiToken",
    "AssistantConversation",
    "AssistantTurn",
    "AuditEntry",
    "Base",
    "CallScript",
    "Contact",
    "ContactEvent",
    "ContactGreeting",
    "CtiCall",
    "CtiEvent",
    "CtiIntegration",
    "Customer",
    "CustomerEmail",
    "CustomerPhone",
    "DialPlanEntry",
    "KbArticle",
    "KbArticleLink",
    "KbArticleVersion",
    "KbAttachment",
    "KbCategory",
    "KbTerm",
    "LoginAttempt",
    "MailAcknowledgement",
    "MailAttachment",
    "MailMessage",
    "MailSignature",
    "OutboxMail",
    "Product",
    "Queue",
    "QueueOverflowStep",
    "Remedy",
    "RemedyGrant",
    "RoutingCommand",
    "ScheduleRun",
    "ScheduledShift",
    "Site",
    "Skill",
    "Team",
    "TimeOffRequest",
    "User",
    "WebRequest",
    "WrapUpReason",
    "WrapUpTopic",
]
