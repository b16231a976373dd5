"""The e-mail channel in a real browser: the agent answers a thread, the admin sets its texts."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from email.message import Message

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from frontline.auth.models import Role
from frontline.channels.mail_out import Relay as RelayAddress
from frontline.channels.mail_out import deliver_due
from frontline.channels.models import OutboxMail
from frontline.contacts.models import Contact
from frontline.org.models import Skill
from tests.api import factories
from tests.channels.conftest import Listener, Queues, Relay, sample
from tests.conftest import MakeUser
from tests.web.conftest import live_server, page
from tests.web.test_browser import sign_in_page

pytestmark = pytest.mark.browser
__all__ = ["live_server", "page"]  # the browser fixtures, for this folder too

# The workspace is refreshed by its event stream; a loaded machine is slower.
LIVE_TIMEOUT_MS = 15_000


def _body(message: Message) -> str:
    part = message.get_payload(0) if message.is_multipart() else message
    assert isinstance(part, Message)
    payload = part.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode(part.get_content_charset() or "utf-8")


def test_an_agent_reads_the_thread_from_the_workspace_and_the_reply_is_delivered(
    listener: Listener,
    queues: Queues,
    *,
    relay: Relay,
    db: Session,
    session_factory: sessionmaker[Session],
    make_user: MakeUser,
    live_server: str,
    page: Page,
) -> None:
    user = make_user(Role.AGENT)
    with factories.one_commit(db):
        agent = factories.agent(db, factories.site(db), user_id=user.id)
        skill = db.get(Skill, queues.email.skill_id)
        assert skill is not None
        factories.grant(db, agent, skill)
    listener.send(sample("alternative.eml"))  # waits in the queue until someone is ready

    sign_in_page(page, live_server, user)
    page.get_by_role("link", name="Рабочее место").click()
    page.get_by_role("button", name="Готов", exact=True).click()
    offer = page.get_by_role("article", name="Входящее обращение")
    expect(offer).to_be_visible(timeout=LIVE_TIMEOUT_MS)
    offer.get_by_role("button", name="Принять").click()
    page.get_by_role("link", name="Прочитать переписку и ответить").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Проблема с отчётом")
    expect(page.locator(".mail-in .mail-body")).to_contain_text("HTML part")
    page.get_by_label("Ваш ответ").fill("Отчёт принят, спасибо.")
    page.get_by_role("button", name="Отправить ответ").click()
    expect(page.get_by_role("status")).to_contain_text("Ответ поставлен в очередь")
    expect(page.locator(".mail-out").last).to_contain_text("Отчёт принят, спасибо.")

    relay.start()
    # Playwright's sync API holds this thread's event loop: the sender runs in another.
    with ThreadPoolExecutor(1) as pool:
        sending = deliver_due(session_factory, RelayAddress("127.0.0.1", relay.port))
        delivered = pool.submit(asyncio.run, sending).result()
    assert delivered == 2  # the acknowledgement and the answer
    (answer,) = [m for m in relay.received if m["Auto-Submitted"] is None]
    contact = db.scalars(select(Contact)).one()
    assert answer["To"] == contact.address
    assert answer["In-Reply-To"] == "<alt-1@example.com>"
    assert f"[FL-{contact.id}]" in str(answer["Subject"])
    body = _body(answer)
    assert body.startswith("Отчёт принят, спасибо.")
    assert f"\r\n-- \r\n{user.full_name}\r\nTax reporting\r\n" in body  # the signature
    page.reload()
    expect(page.locator(".mail-out").last).to_contain_text("доставка: отправлено")
    db.expire_all()
    assert {row.status.value for row in db.scalars(select(OutboxMail))} == {"sent"}


def test_an_administrator_sets_a_queues_acknowledgement_and_a_products_signature(
    listener: Listener,
    queues: Queues,
    *,
    db: Session,
    make_user: MakeUser,
    live_server: str,
    page: Page,
) -> None:
    sign_in_page(page, live_server, make_user(Role.ADMIN))
    page.goto(f"{live_server}/admin/mail-acknowledgements/new")
    page.get_by_label("Очередь").select_option(label=queues.email.name)
    page.get_by_label("Текст").fill("Обращение {reference} принято в очередь «{queue}».")
    page.get_by_role("button", name="Сохранить").click()
    expect(page.get_by_role("status")).to_contain_text("Сохранено")

    page.goto(f"{live_server}/admin/mail-signatures/new")
    page.get_by_label("Продукт").select_option(label="Tax reporting")
    page.get_by_label("Текст").fill("Служба поддержки «Налоговая отчётность»")
    page.get_by_role("button", name="Сохранить").click()
    expect(page.get_by_role("status")).to_contain_text("Сохранено")
    page.goto(f"{live_server}/admin/mail-signatures")
    expect(page.get_by_role("table")).to_contain_text("Tax reporting")

    listener.send(sample("plain.eml"))
    db.expire_all()
    contact = db.scalars(select(Contact)).one()
    ack = db.scalars(select(OutboxMail)).one()
    assert ack.message.text_body.strip() == (
        f"Обращение FL-{contact.id} принято в очередь «{queues.email.name}»."
    )
