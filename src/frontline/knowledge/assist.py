"""Articles suggested to an agent for a contact in hand, and each article's answer.

The query is what the contact is about: the wrap-up reason when the agent has picked one,
the subject, and the customer's own words (the first e-mail's text, the web request's
comment). It runs through the one search interface (``search.search``) within the
contact's product, in the contact's language first.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from frontline.channels.models import MailMessage, WebRequest
from frontline.contacts.models import Contact, Direction, WrapUpReason
from frontline.knowledge.markdown import plain_text
from frontline.knowledge.models import KbArticle
from frontline.knowledge.search import SearchScope, search
from frontline.knowledge.service import articles_by_id

SUGGESTIONS = 5
# The customer's text beyond this adds noise, not terms (the query keeps a dozen anyway).
CONTACT_TEXT_CHARS = 1000


@dataclass(frozen=True)
class Suggestion:
    article_id: int
    title: str
    score: float
    answer: str  # the article's text without markup, as it goes into a reply


def answer_of(article: KbArticle) -> str:
    """What one click puts into a reply: the article's text, without Markdown."""
    return plain_text(article.body)


def customer_text(session: Session, contact: Contact) -> str:
    """The customer's own words on the contact: the first e-mail in, or the form's comment."""
    first_mail = session.scalars(
        select(MailMessage.text_body)
        .where(MailMessage.contact_id == contact.id, MailMessage.direction == Direction.INBOUND)
        .order_by(MailMessage.received_at, MailMessage.id)
        .limit(1)
    ).first()
    comment = session.scalars(
        select(WebRequest.comment).where(WebRequest.contact_id == contact.id)
    ).first()
    return " ".join(part for part in (first_mail, comment) if part)[:CONTACT_TEXT_CHARS]


def suggestion_query(session: Session, contact: Contact, reason: WrapUpReason | None) -> str:
    """Reason and subject first: the search keeps only the query's first terms."""
    reason = reason or contact.reason
    parts = [reason.name, reason.topic.name] if reason is not None else []
    parts += [contact.subject, customer_text(session, contact)]
    return " ".join(part for part in parts if part)


def suggestions(
    session: Session,
    contact: Contact,
    *,
    reason: WrapUpReason | None = None,
    limit: int = SUGGESTIONS,
) -> list[Suggestion]:
    """Published articles (internal ones too) of the contact's product, best first."""
    query = suggestion_query(session, contact, reason)
    if not query or contact.product_id is None:
        return []
    hits = []
    if contact.language:
        scope = SearchScope(product_id=contact.product_id, language=contact.language)
        hits = search(session, query, scope, limit=limit)
    if not hits:
        hits = search(session, query, SearchScope(product_id=contact.product_id), limit=limit)
    articles = articles_by_id(session, [hit.article_id for hit in hits])
    return [
        Suggestion(hit.article_id, hit.title, hit.score, answer_of(articles[hit.article_id]))
        for hit in hits
    ]
