"""Fax to mail: a gateway's PDF or TIFF through the real SMTP listener becomes a fax contact."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from PIL import Image
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from frontline.auth.models import Role
from frontline.channels.fax import PreviewFailed, first_page_png
from frontline.channels.models import MailMessage, OutboxMail
from frontline.channels.smtp_server import controller
from frontline.contacts.models import Contact, Direction
from frontline.core.settings import Settings
from frontline.org.models import Channel, Product, Queue
from tests.api import factories
from tests.channels.conftest import Listener, Queues, sample
from tests.channels.faxes import GATEWAY, fax_mail, fax_pdf, fax_tiff
from tests.servers import free_port
from tests.web.conftest import SignedIn


def _image(png: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    return image.convert("L")


def _dark_share(image: Image.Image, box: tuple[float, float, float, float]) -> float:
    """The share of dark pixels in ``box``, given as fractions of the width and height."""
    width, height = image.size
    left, top, right, bottom = box
    region = image.crop(
        (int(left * width), int(top * height), int(right * width), int(bottom * height))
    )
    histogram = region.histogram()  # 256 counts, one per grey level
    return sum(histogram[:128]) / sum(histogram)


def test_the_first_pdf_page_is_rendered() -> None:
    image = _image(first_page_png(fax_pdf(), "application/pdf"))
    assert image.width == 800
    # A4 is 1 : 1.414; the heading is ink in the top band, the rest of the page is blank.
    assert image.height == pytest.approx(800 * 297 / 210, abs=2)
    assert _dark_share(image, (0.0, 0.0, 0.8, 0.1)) > 0.01
    assert _dark_share(image, (0.0, 0.2, 1.0, 1.0)) == 0


def test_the_first_tiff_page_is_rendered_not_the_second() -> None:
    image = _image(first_page_png(fax_tiff(), "image/tiff"))
    assert image.size == (800, round(800 * 2292 / 1728))
    # Page 1's block spans x 100-800, y 100-400 of 1728 x 2292; page 2 is all black.
    assert _dark_share(image, (0.1, 0.06, 0.4, 0.16)) == 1
    assert _dark_share(image, (0.6, 0.5, 1.0, 1.0)) == 0


@pytest.mark.parametrize(
    ("data", "content_type", "reason"),
    [
        (fax_pdf()[:300], "application/pdf", "unreadable PDF"),
        (b"%PDF-1.4\n%garbage", "application/pdf", "unreadable PDF"),
        (fax_tiff()[:64], "image/tiff", "unreadable TIFF"),
        (b"PK\x03\x04", "application/zip", "not a fax document"),
    ],
)
def test_an_unreadable_document_says_why(data: bytes, content_type: str, reason: str) -> None:
    with pytest.raises(PreviewFailed, match=reason):
        first_page_png(data, content_type)


@dataclass(frozen=True)
class FaxSetup:
    listener: Listener
    queue: Queue


@pytest.fixture
def fax_listener(
    session_factory: sessionmaker[Session], settings: Settings, db: Session, queues: Queues
) -> Iterator[FaxSetup]:
    with factories.one_commit(db):
        product = db.get(Product, queues.product_id)
        assert product is not None
        queue = factories.queue(db, factories.skill(db, product, channel=Channel.FAX))
        queue.code = "FAX-ORDERS"
    gateway_settings = settings.model_copy(update={"mail_fax_gateways": f" {GATEWAY.upper()} "})
    running = controller(session_factory, gateway_settings, "127.0.0.1", free_port())
    running.start()
    try:
        yield FaxSetup(Listener(running.port), queue)
    finally:
        running.stop()


def _fax_contacts(db: Session) -> list[Contact]:
    db.expire_all()
    return list(
        db.scalars(select(Contact).where(Contact.channel == Channel.FAX).order_by(Contact.id))
    )


def _inbound(db: Session, contact: Contact) -> MailMessage:
    return db.scalars(
        select(MailMessage).where(
            MailMessage.contact_id == contact.id, MailMessage.direction == Direction.INBOUND
        )
    ).one()


@pytest.mark.parametrize(
    ("document", "filename", "content_type"),
    [
        (fax_pdf(), "fax-0001.pdf", "application/pdf"),
        (fax_tiff(), "fax-0002.tif", "image/tiff"),
    ],
)
def test_a_gateway_fax_becomes_a_fax_contact_with_a_preview(
    fax_listener: FaxSetup, db: Session, document: bytes, filename: str, content_type: str
) -> None:
    raw = fax_mail(document, filename, message_id=f"<{filename}@fax.example>")
    assert fax_listener.listener.send(raw, to="fax-orders@frontline.test") == {}
    (contact,) = _fax_contacts(db)
    assert (contact.queue_id, contact.address) == (fax_listener.queue.id, GATEWAY)
    message = _inbound(db, contact)
    assert message.flags == ["automatic", "fax"]
    (attachment,) = message.attachments
    assert (attachment.content_type, attachment.data) == (content_type, document)
    assert attachment.preview_png is not None
    assert _image(attachment.preview_png).width == 800
    # Nothing goes back to the gateway.
    assert db.scalars(select(OutboxMail)).all() == []


def test_a_corrupt_pdf_still_makes_a_contact_flagged_without_preview(
    fax_listener: FaxSetup, db: Session
) -> None:
    broken = fax_pdf()[:400]
    fax_listener.listener.send(fax_mail(broken, "fax.pdf", message_id="<broken@fax.example>"))
    (contact,) = _fax_contacts(db)
    message = _inbound(db, contact)
    assert "fax_unreadable" in message.flags
    (attachment,) = message.attachments
    assert (attachment.data, attachment.preview_png) == (broken, None)


def test_a_gateway_message_without_a_document_is_flagged(
    fax_listener: FaxSetup, db: Session
) -> None:
    fax_listener.listener.send(
        sample("plain.eml").replace(b"Ivan.Petrov@example.ru", GATEWAY.encode())
    )
    (contact,) = _fax_contacts(db)
    assert {"fax", "fax_no_document"} <= set(_inbound(db, contact).flags)


def test_the_same_pdf_from_a_customer_is_ordinary_mail(fax_listener: FaxSetup, db: Session) -> None:
    raw = fax_mail(fax_pdf(), "scan.pdf", message_id="<scan@example.ru>", sender="ivan@example.ru")
    fax_listener.listener.send(raw.replace(b"Auto-Submitted: auto-generated\r\n", b""))
    db.expire_all()
    (contact,) = db.scalars(select(Contact)).all()
    assert contact.channel == Channel.EMAIL
    (attachment,) = _inbound(db, contact).attachments
    assert attachment.preview_png is None


def test_many_faxes_from_the_gateway_are_not_rate_limited(
    fax_listener: FaxSetup, db: Session, settings: Settings
) -> None:
    document = fax_tiff()
    for n in range(settings.mail_sender_limit_per_hour + 2):
        fax_listener.listener.send(
            fax_mail(document, "f.tif", message_id=f"<many-{n}@fax.example>")
        )
    assert len(_fax_contacts(db)) == settings.mail_sender_limit_per_hour + 2


def test_the_agent_sees_the_first_page_and_a_corrupt_fax_says_why(
    fax_listener: FaxSetup, db: Session, signed_in: SignedIn
) -> None:
    fax_listener.listener.send(fax_mail(fax_pdf(), "good.pdf", message_id="<good@fax.example>"))
    fax_listener.listener.send(
        fax_mail(b"%PDF-1.4 torn", "torn.pdf", message_id="<torn@fax.example>")
    )
    good, torn = _fax_contacts(db)
    browser, _ = signed_in(Role.SUPERVISOR)
    page = browser.get(f"/mail/{good.id}")
    (attachment,) = _inbound(db, good).attachments
    assert f"/mail/{good.id}/attachments/{attachment.id}/preview.png" in page.text
    preview = browser.get(f"/mail/{good.id}/attachments/{attachment.id}/preview.png")
    assert preview.headers["content-type"] == "image/png"
    assert preview.content == attachment.preview_png
    assert browser.get(f"/mail/{good.id}/fax-preview.png").content == attachment.preview_png
    download = browser.get(f"/mail/{good.id}/attachments/{attachment.id}")
    assert download.content == attachment.data
    assert download.headers["content-disposition"].startswith("attachment;")
    # The torn one: a contact all the same, flagged on its page, no image.
    torn_page = browser.get(f"/mail/{torn.id}")
    assert "preview.png" not in torn_page.text
    assert "Документ факса не удалось прочитать" in torn_page.text
    assert browser.get(f"/mail/{torn.id}/fax-preview.png").status_code == 404
    # Another contact's attachment is not reachable through this one.
    assert browser.get(f"/mail/{torn.id}/attachments/{attachment.id}").status_code == 404
