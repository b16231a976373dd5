"""Imports every domain's tables so the metadata is complete (Alembic, tests)."""

from frontline.audit.models import AuditEntry
from frontline.auth.models import ApiToken, LoginAttempt, User
from frontline.core.db import Base
from frontline.customers.models import Customer, CustomerEmail, CustomerPhone
from frontline.knowledge.models import (
    KbArticle,
    KbArticleLink,
    KbArticleVersion,
    KbAttachment,
    KbCategory,
    KbTerm,
)
from frontline.org.models import Product, Queue, Site, Skill, Team
from frontline.people.models import Agent, AgentSkill

__all__ = [
    "Agent",
    "AgentSkill",
    "ApiToken",
    "AuditEntry",
    "Base",
    "Customer",
    "CustomerEmail",
    "CustomerPhone",
    "KbArticle",
    "KbArticleLink",
    "KbArticleVersion",
    "KbAttachment",
    "KbCategory",
    "KbTerm",
    "LoginAttempt",
    "Product",
    "Queue",
    "Site",
    "Skill",
    "Team",
    "User",
]
