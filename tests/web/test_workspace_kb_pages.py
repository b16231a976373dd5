"""The resolving report and the approvals page as pages: who may open them, what they show,
and malformed filters that are ignored rather than failing."""

from __future__ import annotations

from sqlalchemy.orm import Session

from frontline.auth.models import Role
from frontline.contacts.models import Contact, ContactStatus
from frontline.core.clock import utcnow
from frontline.knowledge.actions import add_article
from frontline.knowledge.models import ArticleStatus
from frontline.knowledge.schemas import ArticleCreate
from tests.api import factories
from tests.web.conftest import SignedIn, csrf_of, field_error


def test_the_resolving_report_lists_articles_by_contacts_solved(
    db: Session, signed_in: SignedIn
) -> None:
    product = factories.product(db, name="Онлайн-кассы")
    queue = factories.queue(db, factories.skill(db, product))
    db.commit()
    payload = ArticleCreate(product_id=product.id, title="Касса не печатает чек")
    article = add_article(db, None, payload, status=ArticleStatus.PUBLISHED)
    for _ in range(3):
        db.add(
            Contact(
                channel=queue.skill.channel,
                status=ContactStatus.DONE,
                queue_id=queue.id,
                product_id=product.id,
                arrived_at=utcnow(),
                solved_by_article_id=article.id,
            )
        )
    db.commit()

    browser, _ = signed_in(Role.SUPERVISOR)
    page = browser.get("/kb/reports/resolving")
    assert page.status_code == 200
    assert "Касса не печатает чек" in page.text
    row = page.text.split("Касса не печатает чек", 1)[1].split("</tr>", 1)[0]
    assert "<td>3</td>" in row
    # A period before any contact: nothing; malformed days fall back to the default.
    empty = browser.get("/kb/reports/resolving?start=2020-01-01&end=2020-01-31")
    assert "Касса не печатает чек" not in empty.text
    lenient = browser.get("/kb/reports/resolving?start=nonsense&product_id=x")
    assert lenient.status_code == 200 and "Касса не печатает чек" in lenient.text

    agent, _ = signed_in(Role.AGENT)
    assert agent.get("/kb/reports/resolving").status_code == 403
    assert agent.get("/remedies/pending").status_code == 403
    assert browser.get("/remedies/pending").status_code == 200


def test_admins_keep_the_remedy_catalogue_on_the_generated_pages(
    db: Session, signed_in: SignedIn
) -> None:
    product = factories.product(db, name="Онлайн-кассы")
    db.commit()
    admin, _ = signed_in(Role.ADMIN)
    form = admin.get("/admin/remedies/new")
    assert form.status_code == 200
    assert "Оператор сам предоставляет до" in form.text
    csrf = csrf_of(form.text)
    fields = {
        "csrf_token": csrf,
        "product_id": str(product.id),
        "problem": "Касса оказалась бракованной",
        "name": "Обмен и ваучер",
        "description": "",
        "max_amount": "5000",
        "agent_limit": "6000",
    }
    refused = admin.post("/admin/remedies/new", data=fields)
    assert field_error(refused.text, "agent_limit") is not None
    saved = admin.post("/admin/remedies/new", data={**fields, "agent_limit": "1500"})
    assert saved.status_code in {200, 303}
    listing = admin.get("/admin/remedies")
    assert "Обмен и ваучер" in listing.text
