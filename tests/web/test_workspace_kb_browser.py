"""The knowledge base and standard solutions in the agent's workspace, in a real browser.

An agent handling a call gets an article suggested from its subject, puts the answer
into the notes with one click and links the article at wrap-up; an agent grants a
remedy above their limit and a supervisor approves it on their own page.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy.orm import Session

from frontline.auth.models import Role
from frontline.contacts.models import Contact
from frontline.knowledge.actions import add_article
from frontline.knowledge.models import ArticleStatus, KbArticle
from frontline.knowledge.schemas import ArticleCreate
from frontline.remedies.models import GrantStatus, Remedy, RemedyGrant
from tests.conftest import MakeUser
from tests.contacts.conftest import Center, caller_of, center
from tests.contacts.test_loop import arrive, ok
from tests.web.test_browser import sign_in_page

__all__ = ["caller_of", "center"]

pytestmark = pytest.mark.browser

LIVE_TIMEOUT_MS = 15_000
ANSWER = "Проверьте адрес покупателя в карточке контрагента и отправьте счёт повторно."


def _call_in_hand(page: Page, live_server: str, center: Center, subject: str) -> int:
    sign_in_page(page, live_server, center.agent_caller.user)
    page.get_by_role("link", name="Рабочее место").click()
    page.get_by_role("button", name="Готов", exact=True).click()
    expect(page.locator("#my-state")).to_have_text("Готов")
    contact_id: int = arrive(center, subject=subject)["id"]
    offer = page.get_by_role("article", name="Входящее обращение")
    expect(offer).to_be_visible(timeout=LIVE_TIMEOUT_MS)
    offer.get_by_role("button", name="Принять").click()
    expect(page.locator("#my-state")).to_have_text("Занят", timeout=LIVE_TIMEOUT_MS)
    return contact_id


def test_an_agent_gets_a_suggestion_during_a_contact_and_inserts_it(
    db: Session, center: Center, live_server: str, page: Page
) -> None:
    payload = ArticleCreate(
        product_id=center.queue.skill.product_id,
        title="Покупатель не получил счёт",
        body=f"**{ANSWER}**",
    )
    article_id = add_article(db, None, payload, status=ArticleStatus.PUBLISHED).id
    db.commit()

    contact_id = _call_in_hand(page, live_server, center, "Клиент не получил счёт")
    page.get_by_role("button", name="Завершить обращение").click()
    wrap_up = page.get_by_role("form", name="Постобработка")
    suggested = wrap_up.get_by_label("Подходящие статьи")
    expect(suggested.get_by_role("link", name="Покупатель не получил счёт")).to_be_visible()

    wrap_up.get_by_label("Заметки").fill("Клиент ждёт счёт с утра.")
    suggested.get_by_role("button", name="Вставить ответ из «Покупатель не получил счёт»").click()
    # The answer joins the notes, its Markdown gone.
    expect(wrap_up.get_by_label("Заметки")).to_have_value(f"Клиент ждёт счёт с утра.\n\n{ANSWER}")

    wrap_up.get_by_label("Причина", exact=True).select_option(label="Invoice question")
    # Picking the reason refreshes the suggestions with it.
    expect(suggested).to_have_attribute("data-reason-id", str(center.reason.id))
    wrap_up.get_by_label("Статья, которая помогла").select_option(label=payload.title)
    wrap_up.get_by_role("button", name="Сохранить итоги").click()
    expect(page.get_by_text("Нет обращений в работе.")).to_be_visible(timeout=LIVE_TIMEOUT_MS)

    db.expire_all()
    contact = db.get(Contact, contact_id)
    assert contact is not None and contact.solved_by_article_id == article_id
    assert contact.notes.endswith(ANSWER)
    article = db.get(KbArticle, article_id)
    assert article is not None and article.uses == 1


def test_a_remedy_above_the_agents_limit_waits_for_a_supervisor(
    db: Session, center: Center, live_server: str, page: Page, make_user: MakeUser
) -> None:
    remedy = Remedy(
        product_id=center.queue.skill.product_id,
        problem="Товар оказался бракованным",
        name="Обмен и ваучер на скидку",
        max_amount=5000,
        agent_limit=1500,
    )
    db.add(remedy)
    db.commit()
    supervisor = make_user(Role.SUPERVISOR)

    contact_id = _call_in_hand(page, live_server, center, "Касса пришла сломанной")
    solutions = page.get_by_role("region", name="Стандартные решения")
    solutions.get_by_label("Стандартное решение").select_option(str(remedy.id))
    solutions.get_by_label("Сумма").fill("3000")
    solutions.get_by_label("Примечание к решению").fill("Второй брак подряд")
    solutions.get_by_role("button", name="Предоставить").click()
    expect(page.get_by_role("status")).to_contain_text("ждёт согласования руководителя")
    expect(solutions.get_by_role("cell", name="Ждёт согласования")).to_be_visible()
    page.get_by_role("button", name="Выйти", exact=True).click()

    sign_in_page(page, live_server, supervisor)
    page.get_by_role("link", name="Решения на согласование").click()
    expect(page.get_by_role("cell", name="Второй брак подряд")).to_be_visible()
    page.get_by_label("Причина решения по «Обмен и ваучер на скидку»").fill("Клиент давний")
    page.get_by_role("button", name="Одобрить").click()
    expect(page.get_by_role("status")).to_contain_text("Согласовано: Обмен и ваучер на скидку")
    expect(page.get_by_text("Нет решений, ждущих согласования.")).to_be_visible()

    db.expire_all()
    [grant] = db.query(RemedyGrant).filter_by(contact_id=contact_id).all()
    assert (grant.status, grant.amount, grant.decision_reason) == (
        GrantStatus.GRANTED,
        3000,
        "Клиент давний",
    )
    assert grant.decided_by_id == supervisor.id
    detail = ok(center.supervisor.get(f"/api/v1/contacts/{contact_id}"))
    kinds = [event["kind"] for event in detail["events"]]
    assert kinds[-2:] == ["remedy_requested", "remedy_approved"]
