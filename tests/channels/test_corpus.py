"""Every message of the corpus under ``mail/``: what the parser reads, and what intake keeps.

The corpus holds real-world shapes of mail (charsets, HTML, attachments, automatic mail,
threading) and malformed or hostile ones. Each file is listed here with what it must
give; a file added to the folder without an entry fails the first test.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from frontline.channels.mail_parse import Unparseable, parse
from frontline.channels.models import MailMessage, OutboxMail
from frontline.contacts.models import Direction
from tests.channels.conftest import MAIL_DIR, Listener, sample

MISSING = "<fallback@frontline.test>"


@dataclass(frozen=True)
class Expected:
    subject: str = ""
    text: str = ""  # the start of the text
    automatic: tuple[str, ...] = ()
    attachments: tuple[str, ...] = ()  # sniffed types
    sender: str = ""
    unparseable: str = ""  # a part of the reason
    intake_flags: tuple[str, ...] = ()
    contact: bool = True
    html_absent: tuple[str, ...] = field(default=())


UNPARSED = ("unparsed",)
CORPUS: dict[str, Expected] = {
    "plain.eml": Expected(
        "Question about my report", "Здравствуйте!", sender="ivan.petrov@example.ru"
    ),
    "alternative.eml": Expected("Проблема с отчётом", "Текстовая часть"),
    "html_only.eml": Expected(
        "HTML only", "Hello & welcome", html_absent=("script", "onclick", "javascript:")
    ),
    "html_hostile.eml": Expected(
        "Hostile HTML",
        "Please pay here",
        html_absent=(
            "<script",
            "<iframe",
            "onerror",
            "onload",
            "<svg",
            "<form",
            "<style",
            "data:",
            "onmouseover",
        ),
    ),
    "html_only_cp1251.eml": Expected("HTML cp1251", "Только HTML в windows-1251."),
    "koi8r.eml": Expected("Привет", "Добрый день, сломалась касса."),
    "cp1251.eml": Expected("Счёт", "Пришлите, пожалуйста, счёт."),
    "misdeclared.eml": Expected("Wrong charset", "Кодировка указана неверно."),
    "unknown_charset.eml": Expected("Unknown charset", "Неизвестная кодировка."),
    "undeclared_charset.eml": Expected("No charset", "Кодировка не указана."),
    "qp_subject_cp1251.eml": Expected("Счёт за ноябрь", "Прошу выставить счёт."),
    "latin1_qp.eml": Expected("Facturación", "¿Dónde está mi factura?"),
    "raw_8bit_headers.eml": Expected("Срочно: касса", "Текст с нулём."),
    "folded_subject.eml": Expected(
        "A very long subject that a client folded onto a second line and a third one", "Folded."
    ),
    "empty_body.eml": Expected("Call me back", ""),
    "attachments.eml": Expected(
        "Screenshot and invoice", "See", attachments=("image/png", "application/pdf")
    ),
    "nested_multipart.eml": Expected(
        "Nested parts", "Plain body of a nested message.", attachments=("text/csv",)
    ),
    "forbidden_type.eml": Expected(
        "Invoice attached",
        "See the invoice.",
        attachments=("application/x-msdownload",),
        intake_flags=("attachment_type_refused",),
    ),
    # Encoded line breaks in the name and subject: one line each, the real address kept.
    "header_injection.eml": Expected(
        "Help Bcc: victim@example.com", "An encoded line break", sender="ivan.inj@example.ru"
    ),
    "no_message_id.eml": Expected("Without a Message-ID", "My client sends no Message-ID."),
    "reply.eml": Expected("Re: Question about my report", "Still broken."),
    "reply_by_references.eml": Expected("Re: Question about my report", "Replying from a client"),
    "reply_by_subject.eml": Expected("RE: Question about my report [FL-{contact_id}]", "Any news?"),
    "auto_reply.eml": Expected(
        "Out of office", "I am away", ("automatic",), intake_flags=("automatic",), contact=False
    ),
    "x_autoreply.eml": Expected(
        "We got your message",
        "Thank you",
        ("automatic",),
        intake_flags=("automatic",),
        contact=False,
    ),
    "bounce.eml": Expected(
        "Undelivered Mail Returned to Sender",
        "The mail could not",
        ("automatic", "bounce"),
        intake_flags=("automatic", "bounce"),
        contact=False,
    ),
    "empty_return_path.eml": Expected(
        "Delivery delayed",
        "Your message has not",
        ("bounce",),
        intake_flags=("bounce",),
        contact=False,
    ),
    "list.eml": Expected(
        "Weekly digest", "This week", ("bulk", "list"), intake_flags=("bulk", "list"), contact=False
    ),
    "list_unsubscribe.eml": Expected(
        "Your monthly digest", "Monthly digest.", ("list",), intake_flags=("list",), contact=False
    ),
    "precedence_bulk.eml": Expected(
        "Spring sale", "Everything half price.", ("bulk",), intake_flags=("bulk",), contact=False
    ),
    "unparseable.eml": Expected(unparseable="no sender", intake_flags=UNPARSED, contact=False),
    "invalid_from.eml": Expected(unparseable="no sender", intake_flags=UNPARSED, contact=False),
    "invalid_from_domain.eml": Expected(
        unparseable="no sender", intake_flags=UNPARSED, contact=False
    ),
}


def test_the_corpus_is_large_and_every_file_is_listed() -> None:
    files = {path.name for path in MAIL_DIR.glob("*.eml")}
    assert files == set(CORPUS)
    assert len(files) >= 30


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_the_parser_reads_each_message(name: str) -> None:
    expected = CORPUS[name]
    if expected.unparseable:
        with pytest.raises(Unparseable, match=expected.unparseable):
            parse(sample(name), fallback_message_id=MISSING)
        return
    mail = parse(sample(name), fallback_message_id=MISSING)
    assert mail.subject == expected.subject
    assert mail.text.startswith(expected.text)
    assert mail.automatic == expected.automatic
    assert tuple(a.content_type for a in mail.attachments) == expected.attachments
    if expected.sender:
        assert mail.sender == expected.sender
    for hostile in expected.html_absent:
        assert hostile not in mail.html.lower()
    # Whatever the sender wrote, headers we keep are single lines.
    assert "\n" not in mail.subject and "\r" not in mail.sender_name


def test_the_whole_corpus_through_the_listener_loses_nothing(
    listener: Listener, db: Session
) -> None:
    sent = {}
    for name in sorted(CORPUS, key=lambda n: n.startswith("reply")):  # replies after plain.eml
        raw = sample(name, contact_id=999_999)
        assert listener.send(raw) == {}, name  # every message accepted: 250
        sent[raw] = name
    db.expire_all()
    inbound = list(
        db.scalars(select(MailMessage).where(MailMessage.direction == Direction.INBOUND))
    )
    by_name = {sent[row.raw]: row for row in inbound}  # the bytes as received, each once
    assert set(by_name) == set(CORPUS)
    for name, expected in CORPUS.items():
        row = by_name[name]
        assert set(expected.intake_flags) <= set(row.flags), name
        assert (row.contact_id is not None) == expected.contact, name
    # Replies joined the first message's contact; the hostile sender's address is the real one.
    plain = by_name["plain.eml"].contact_id
    assert by_name["reply.eml"].contact_id == plain
    assert by_name["reply_by_references.eml"].contact_id == plain
    assert by_name["forbidden_type.eml"].attachments == []
    assert by_name["header_injection.eml"].sender == "ivan.inj@example.ru"
    # Acknowledgements went to people only, one per new contact, never to automatic mail.
    acknowledged = [row.message.recipients[0] for row in db.scalars(select(OutboxMail))]
    automatic = {by_name[n].sender for n, e in CORPUS.items() if e.automatic}
    assert not automatic & set(acknowledged)
    contacts = {row.contact_id for row in inbound if row.contact_id is not None}
    assert len(acknowledged) == len(contacts)
