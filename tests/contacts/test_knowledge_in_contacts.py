"""Knowledge-base articles in the agent's work: suggestions for a contact in hand, the
article linked at wrap-up as the one that solved it, and the resolving report.

Runs on SQLite and PostgreSQL (the search behind suggestions is each backend's own).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy.orm import Session

from frontline.auth.models import Role
from frontline.channels.models import WebRequest
from frontline.contacts.models import WrapUpReason, WrapUpTopic
from frontline.core.clock import utcnow
from frontline.knowledge.actions import add_article, record_use
from frontline.knowledge.models import ArticleStatus, KbArticle
from frontline.knowledge.schemas import ArticleCreate
from tests.api import factories
from tests.api.conftest import CallerOf
from tests.contacts.conftest import Center
from tests.contacts.test_loop import arrive, go_ready, ok

INVOICE_BODY = "Проверьте адрес получателя в карточке контрагента и отправьте счёт повторно."
PASSWORD_BODY = "Нажмите «Забыли пароль» на странице входа; ссылка придёт на почту."


def _article(db: Session, product_id: int, slug: str, title: str, body: str, **extra: Any) -> int:
    status = extra.pop("status", ArticleStatus.PUBLISHED)
    payload = ArticleCreate(product_id=product_id, slug=slug, title=title, body=body, **extra)
    article = add_article(db, None, payload, status=status)
    db.commit()
    return article.id


def _articles(db: Session, center: Center) -> dict[str, int]:
    product_id = center.queue.skill.product_id
    other = factories.product(db)
    db.commit()
    return {
        "invoice": _article(db, product_id, "invoice", "Счёт не дошёл до покупателя", INVOICE_BODY),
        "password": _article(db, product_id, "password", "Как сбросить пароль", PASSWORD_BODY),
        "draft": _article(
            db,
            product_id,
            "draft",
            "Счёт не дошёл: черновик",
            INVOICE_BODY,
            status=ArticleStatus.DRAFT,
        ),
        "elsewhere": _article(db, other.id, "elsewhere", "Счёт не дошёл", INVOICE_BODY),
    }


def _in_hand(center: Center, **extra: Any) -> int:
    go_ready(center.agent_api)
    contact_id: int = arrive(center, **extra)["id"]
    assert ok(center.agent_api.post(f"/api/v1/contacts/{contact_id}/accept"))["applied"]
    return contact_id


def _suggested(center: Center, contact_id: int, **params: Any) -> list[dict[str, Any]]:
    url = f"/api/v1/kb/contacts/{contact_id}/suggestions"
    found: list[dict[str, Any]] = ok(center.agent_api.get(url, params=params))
    return found


def test_suggestions_follow_the_subject_within_the_product(db: Session, center: Center) -> None:
    ids = _articles(db, center)
    contact_id = _in_hand(center, subject="Покупатель не получил счёт")
    found = _suggested(center, contact_id)
    assert found[0]["id"] == ids["invoice"]
    assert found[0]["answer"] == INVOICE_BODY
    # Only published articles of the contact's own product.
    assert {ids["draft"], ids["elsewhere"]}.isdisjoint(item["id"] for item in found)


def test_the_reason_being_picked_and_the_web_comment_feed_suggestions(
    db: Session, center: Center
) -> None:
    ids = _articles(db, center)
    contact_id = _in_hand(center)
    assert _suggested(center, contact_id) == []  # nothing known about the contact yet

    topic = WrapUpTopic(product_id=center.queue.skill.product_id, name="Вход в систему")
    db.add(topic)
    db.flush()
    reason = WrapUpReason(topic_id=topic.id, name="Сброс пароля")
    db.add(reason)
    db.commit()
    assert _suggested(center, contact_id, reason_id=reason.id)[0]["id"] == ids["password"]

    db.add(
        WebRequest(
            contact_id=contact_id,
            received_at=utcnow(),
            client_address="127.0.0.1",
            name="Иван",
            product_id=center.queue.skill.product_id,
            comment="Отправили счёт, а покупатель его не видит",
        )
    )
    db.commit()
    assert _suggested(center, contact_id)[0]["id"] == ids["invoice"]


def _wrap_up(center: Center, contact_id: int, article_id: int | None) -> dict[str, Any]:
    body = {"reason_id": center.reason.id, "outcome": "resolved", "article_id": article_id}
    ok(center.agent_api.post(f"/api/v1/contacts/{contact_id}/end"))
    result: dict[str, Any] = ok(
        center.agent_api.post(f"/api/v1/contacts/{contact_id}/wrap-up", json=body)
    )
    return result


def test_wrap_up_links_the_solving_article_and_the_report_counts_it(
    db: Session, center: Center, caller_of: CallerOf
) -> None:
    ids = _articles(db, center)
    solved = [ids["invoice"], ids["password"], ids["invoice"]]
    for article_id in solved:
        done = _wrap_up(center, _in_hand(center), article_id)
        assert done["solved_by_article_id"] == article_id
    _wrap_up(center, _in_hand(center), None)  # a contact no article solved
    record_use(db, ids["invoice"])
    db.expire_all()
    assert db.get(KbArticle, ids["invoice"]).uses == 1  # type: ignore[union-attr]

    supervisor = caller_of(Role.SUPERVISOR).client
    url = "/api/v1/kb/reports/resolving"
    report = ok(supervisor.get(url))
    assert [(row["article_id"], row["contacts"]) for row in report] == [
        (ids["invoice"], 2),
        (ids["password"], 1),
    ]
    assert report[0]["uses"] == 1
    product_id = center.queue.skill.product_id
    assert len(ok(supervisor.get(url, params={"product_id": product_id}))) == 2
    other_product = db.get(KbArticle, ids["elsewhere"]).product_id  # type: ignore[union-attr]
    assert ok(supervisor.get(url, params={"product_id": other_product})) == []
    tomorrow = (utcnow() + timedelta(days=1)).isoformat()
    assert ok(supervisor.get(url, params={"start": tomorrow})) == []
    yesterday = (utcnow() - timedelta(days=1)).isoformat()
    assert len(ok(supervisor.get(url, params={"start": yesterday, "end": tomorrow}))) == 2
    # Agents use suggestions but the report is for those who keep the base.
    assert center.agent_api.get(url).status_code == 403


def test_bad_input_names_the_field(db: Session, center: Center, caller_of: CallerOf) -> None:
    ids = _articles(db, center)
    contact_id = _in_hand(center)
    ok(center.agent_api.post(f"/api/v1/contacts/{contact_id}/end"))
    for article_id in (999_999, ids["draft"]):
        body = {"reason_id": center.reason.id, "outcome": "resolved", "article_id": article_id}
        answer = center.agent_api.post(f"/api/v1/contacts/{contact_id}/wrap-up", json=body)
        assert answer.status_code == 422
        assert answer.json()["error"]["field"] == "article_id"

    supervisor = caller_of(Role.SUPERVISOR).client
    url = "/api/v1/kb/reports/resolving"
    now = utcnow()
    backwards = {"start": now.isoformat(), "end": (now - timedelta(days=1)).isoformat()}
    for params, field in (
        (backwards, "end"),
        ({"start": "2026-11-01T00:00:00"}, "start"),  # no time zone
        ({"limit": "0"}, "limit"),
    ):
        answer = supervisor.get(url, params=params)
        assert answer.status_code == 422, params
        assert answer.json()["error"]["field"] == field

    missing = center.agent_api.get("/api/v1/kb/contacts/999999/suggestions")
    assert (missing.status_code, missing.json()["error"]["field"]) == (404, "contact_id")
