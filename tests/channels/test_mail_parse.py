"""The parser against real-world mail kept as files under ``mail/``."""

from __future__ import annotations

import pytest

from frontline.channels.mail_parse import Unparseable, parse
from tests.channels.conftest import sample

MISSING = "<fallback@frontline.test>"


def test_plain_utf8_message() -> None:
    mail = parse(sample("plain.eml"), fallback_message_id=MISSING)
    assert mail.sender == "ivan.petrov@example.ru"  # addresses are compared lower-case
    assert mail.sender_name == "Ivan Petrov"
    assert mail.message_id == "<plain-1@example.ru>"
    assert mail.text == "Здравствуйте! Отчёт не уходит."
    assert mail.automatic == ()


def test_multipart_alternative_keeps_both_and_decodes_the_subject() -> None:
    mail = parse(sample("alternative.eml"), fallback_message_id=MISSING)
    assert mail.subject == "Проблема с отчётом"
    assert mail.text == "Текстовая часть"
    assert mail.html == "<p>HTML part</p>"


def test_html_only_is_sanitised_and_gives_the_text() -> None:
    mail = parse(sample("html_only.eml"), fallback_message_id=MISSING)
    assert "script" not in mail.html
    assert "onclick" not in mail.html
    assert "javascript:" not in mail.html
    assert mail.text.startswith("Hello & welcome")


@pytest.mark.parametrize(
    ("name", "subject", "text"),
    [
        ("koi8r.eml", "Привет", "Добрый день, сломалась касса."),
        ("cp1251.eml", "Счёт", "Пришлите, пожалуйста, счёт."),
        # Declared UTF-8, written in Windows-1251: the fallback reads it.
        ("misdeclared.eml", "Wrong charset", "Кодировка указана неверно."),
    ],
)
def test_russian_charsets(name: str, subject: str, text: str) -> None:
    mail = parse(sample(name), fallback_message_id=MISSING)
    assert mail.subject == subject
    assert mail.text == text


def test_koi8r_encoded_word_in_the_sender_name() -> None:
    assert parse(sample("koi8r.eml"), fallback_message_id=MISSING).sender_name == "Сергей"


def test_attachments_typed_by_their_bytes_and_inline_images_kept() -> None:
    mail = parse(sample("attachments.eml"), fallback_message_id=MISSING)
    image, invoice = mail.attachments
    assert (image.content_type, image.inline, image.content_id) == (
        "image/png",
        True,
        "<shot@example.com>",
    )
    assert 'src="cid:shot@example.com"' in mail.html
    # Named .txt and declared text/plain, but the bytes are a PDF.
    assert (invoice.filename, invoice.declared_type) == ("invoice.txt", "text/plain")
    assert invoice.content_type == "application/pdf"


@pytest.mark.parametrize(
    ("name", "reasons"),
    [
        ("auto_reply.eml", ("automatic",)),
        ("list.eml", ("bulk", "list")),
        ("bounce.eml", ("automatic", "bounce")),
        ("plain.eml", ()),
    ],
)
def test_automatic_mail_is_recognised(name: str, reasons: tuple[str, ...]) -> None:
    assert parse(sample(name), fallback_message_id=MISSING).automatic == reasons


def test_threading_headers_and_subject_reference() -> None:
    reply = parse(sample("reply.eml"), fallback_message_id=MISSING)
    assert reply.thread_ids == ("<plain-1@example.ru>",)
    by_subject = parse(sample("reply_by_subject.eml", contact_id=42), fallback_message_id=MISSING)
    assert by_subject.reference_number == 42


def test_a_message_without_a_sender_is_unparseable() -> None:
    with pytest.raises(Unparseable, match="no sender"):
        parse(sample("unparseable.eml"), fallback_message_id=MISSING)


def test_a_message_without_message_id_gets_the_fallback() -> None:
    raw = b"From: a@example.com\r\nSubject: x\r\n\r\nbody\r\n"
    assert parse(raw, fallback_message_id=MISSING).message_id == MISSING


def test_raw_8bit_headers_and_nul_characters_become_storable_text() -> None:
    # Windows-1251 bytes straight in the headers (no encoded words) and a NUL in the body:
    # both would otherwise fail to store in PostgreSQL.
    mail = parse(sample("raw_8bit_headers.eml"), fallback_message_id=MISSING)
    assert mail.subject == "Срочно: касса"
    assert mail.sender_name == "Ирина"
    assert mail.text == "Текст с нулём."
