"""Real-world e-mail into plain values: pure, no database, no settings.

Built on the standard library's ``email`` package with ``policy.default``. What real mail
does that the standard does not promise is handled here: bodies whose declared charset
is wrong or unknown, HTML-only mail, inline images, automatic mail that must never be
answered. Anything the parser cannot make sense of raises :class:`Unparseable`; the
caller keeps the raw bytes and flags them.
"""

from __future__ import annotations

import html as html_entities
import re
from dataclasses import dataclass, field
from email import policy
from email.errors import HeaderParseError
from email.header import decode_header, make_header
from email.headerregistry import Address
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.policy import EmailPolicy
from email.utils import getaddresses, parseaddr
from functools import lru_cache
from typing import Any, cast

import filetype
import nh3

# Tried in order when a part's declared charset fails: most mis-declared Russian mail is
# UTF-8 labelled as something else, or Windows-1251 labelled as UTF-8 or not at all.
FALLBACK_CHARSETS = ("utf-8", "windows-1251")
# "[FL-123]" in a subject threads a reply whose client dropped the threading headers.
REFERENCE_PATTERN = re.compile(r"\[FL-(\d{1,12})\]")
MESSAGE_ID_PATTERN = re.compile(r"<[^<>\s]+>")
# "cid:" lets an inline image point at its part; nh3 drops every other scheme but these.
HTML_URL_SCHEMES = {"http", "https", "mailto", "cid"}


class _ParsePolicy(EmailPolicy):
    """``policy.default`` that parses each distinct header value once.

    The email package parses a header anew on every read, and reads ``Content-Type``
    many times per part while it walks a message; that was the largest cost of intake.
    Parsed headers are immutable, so one can be shared by every message that has the
    same value (``Content-Type: text/plain; charset=utf-8`` is in most of them).
    """

    def header_fetch_parse(self, name: str, value: str) -> Any:
        if hasattr(value, "name"):  # already a parsed header
            return value
        return _parsed_header(name, value)


@lru_cache(maxsize=4096)
def _parsed_header(name: str, value: str) -> Any:
    return policy.default.header_fetch_parse(name, value)


PARSE_POLICY = _ParsePolicy()


class Unparseable(ValueError):
    """The message has no usable sender or structure; it is kept raw and flagged."""


@dataclass(frozen=True)
class ParsedAttachment:
    filename: str
    content_type: str  # sniffed from the bytes; the declared one when nothing matches
    declared_type: str
    data: bytes
    inline: bool
    content_id: str


@dataclass(frozen=True)
class ParsedMail:
    message_id: str  # with its angle brackets, as in the header
    sender: str  # lower-case address
    sender_name: str
    recipients: tuple[str, ...]
    subject: str
    in_reply_to: str
    references: tuple[str, ...]
    text: str
    html: str  # sanitised
    attachments: tuple[ParsedAttachment, ...]
    # Empty for a person's mail; otherwise why it must never be answered automatically.
    automatic: tuple[str, ...]
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def thread_ids(self) -> tuple[str, ...]:
        """Message-IDs this one answers, nearest first."""
        ids = [self.in_reply_to] if self.in_reply_to else []
        return tuple(dict.fromkeys([*ids, *reversed(self.references)]))

    @property
    def reference_number(self) -> int | None:
        found = REFERENCE_PATTERN.search(self.subject)
        return int(found.group(1)) if found else None


def parse(raw: bytes, *, fallback_message_id: str) -> ParsedMail:
    """``raw`` as received; ``fallback_message_id`` names a message that has none."""
    try:
        # The policy makes EmailMessage objects, as policy.default does.
        message = cast(EmailMessage, BytesParser(policy=PARSE_POLICY).parsebytes(raw))
        return _parse(message, fallback_message_id)
    except Unparseable:
        raise
    except Exception as exc:  # the email package raises many kinds on broken input
        raise Unparseable(f"{type(exc).__name__}: {exc}") from exc


def _parse(message: EmailMessage, fallback_message_id: str) -> ParsedMail:
    name, sender = _sender(message)
    text_parts: list[str] = []
    html_parts: list[str] = []
    attachments: list[ParsedAttachment] = []
    _walk(message, text_parts, html_parts, attachments)
    html = nh3.clean("\n".join(html_parts), url_schemes=HTML_URL_SCHEMES) if html_parts else ""
    text = "\n".join(text_parts).strip()
    if not text and html_parts:
        text = _html_to_text("\n".join(html_parts))
    # Each header decoded once (the email package parses a header anew on every get).
    headers = {key: _header(message, key) for key in dict.fromkeys(message.keys())}
    by_name = {key.lower(): value for key, value in reversed(headers.items())}

    def header(name: str) -> str:
        return by_name.get(name.lower(), "")

    return ParsedMail(
        message_id=_first_id(header("Message-ID")) or fallback_message_id,
        sender=sender,
        sender_name=name,
        recipients=tuple(
            address.lower() for _, address in getaddresses([header("To"), header("Cc")]) if address
        ),
        subject=" ".join(header("Subject").split()),
        in_reply_to=_first_id(header("In-Reply-To")),
        references=tuple(MESSAGE_ID_PATTERN.findall(header("References"))),
        text=text,
        html=html,
        attachments=tuple(attachments),
        automatic=automatic_reasons(message),
        headers=headers,
    )


def _header(message: Message, name: str) -> str:
    """A header's decoded text; an encoded word in an unknown charset stays as sent."""
    if name not in message:
        return ""
    try:
        text = str(message.get(name))
    except (LookupError, UnicodeError):
        text = str(message.get_all(name, [""])[0].encode("ascii", "replace"))
    except ValueError:
        # An encoded word that decodes to a line break ("header injection") makes the
        # address parser refuse the header; decoded plainly it is one line of text.
        text = _decoded_words(_raw_header(message, name))
    if "\ufffd" in text:
        # Raw 8-bit bytes: the parser gave up on them, the raw header still has them.
        text = " ".join(storable(_raw_header(message, name)).split())
    return storable(text)


def _raw_header(message: Message, name: str) -> str:
    return str(next((v for k, v in message.raw_items() if k.lower() == name.lower()), ""))


def _decoded_words(raw: str) -> str:
    """A raw header's encoded words decoded, every line break and tab made a space."""
    try:
        text = str(make_header(decode_header(raw)))
    except (LookupError, UnicodeError, ValueError, HeaderParseError):
        text = raw
    return " ".join(text.split())


def storable(text: str) -> str:
    """Text any column can hold: raw 8-bit bytes read as text, NUL characters dropped.

    Headers sent as raw 8-bit (common in Russian mail, against RFC 5322) come out of the
    parser as lone surrogates; they are read as UTF-8, else as Windows-1251.
    """
    try:
        text.encode()
    except UnicodeEncodeError:
        data = text.encode("utf-8", "surrogateescape")
        try:
            text = data.decode()
        except UnicodeDecodeError:
            text = data.decode("windows-1251", "replace")
    return text.replace("\x00", "")


def _sender(message: EmailMessage) -> tuple[str, str]:
    # The address is read from the header as sent, before encoded words are decoded: a
    # name that decodes to "x\r\nBcc: victim@…" must not become the address we answer.
    raw = _raw_header(message, "From") or _raw_header(message, "Sender")
    name, address = parseaddr(storable(raw))
    if "@" not in address:
        raise Unparseable(f"no sender address in From: {raw!r}")
    try:
        Address(addr_spec=address)
    except (ValueError, IndexError) as exc:
        raise Unparseable(f"not an address in From: {raw!r}") from exc
    return _decoded_words(name), address.lower()


def _first_id(value: str) -> str:
    found = MESSAGE_ID_PATTERN.search(value)
    return found.group(0) if found else ""


def _walk(
    message: EmailMessage,
    text_parts: list[str],
    html_parts: list[str],
    attachments: list[ParsedAttachment],
) -> None:
    # multipart/alternative: the plain part is the one we keep as text, the HTML one
    # for display; a message that only has HTML gets its text from the HTML.
    for part in message.walk():
        if part.is_multipart():
            continue
        kind = part.get_content_type()
        disposition = part.get_content_disposition()
        if disposition != "attachment" and kind == "text/plain":
            text_parts.append(decode_text(part))
        elif disposition != "attachment" and kind == "text/html":
            html_parts.append(decode_text(part))
        elif kind != "message/delivery-status":
            attachments.append(_attachment(part))


def decode_text(part: Message) -> str:
    """A text part's characters: its declared charset if it fits, else the fallbacks."""
    payload = part.get_payload(decode=True)
    data = payload if isinstance(payload, bytes) else b""
    declared = part.get_content_charset() or "us-ascii"
    for charset in (declared, *FALLBACK_CHARSETS):
        try:
            return storable(data.decode(charset))
        except (LookupError, UnicodeDecodeError):
            continue
    return storable(data.decode("utf-8", "replace"))


def _attachment(part: Message) -> ParsedAttachment:
    payload = part.get_payload(decode=True)
    data = payload if isinstance(payload, bytes) else b""
    declared = part.get_content_type()
    content_id = str(part.get("Content-ID", "")).strip()
    return ParsedAttachment(
        filename=storable(part.get_filename() or "")[:255],
        content_type=real_type(declared, data),
        declared_type=declared,
        data=data,
        inline=part.get_content_disposition() == "inline" or bool(content_id),
        content_id=content_id,
    )


def real_type(declared: str, data: bytes) -> str:
    """The type a file's bytes show; ``declared`` only decides between text and octets."""
    sniffed = filetype.guess_mime(data) if data else None
    return sniffed or _unsniffable_type(declared, data)


def _unsniffable_type(declared: str, data: bytes) -> str:
    """Text formats have no magic bytes: plain text stays text, anything else is octets."""
    if declared.startswith("text/"):
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            return "application/octet-stream"
        return declared
    return "application/octet-stream"


def automatic_reasons(message: Message) -> tuple[str, ...]:
    """Why a message is machine-sent (RFC 3834, RFC 2369/2919, RFC 3464), if it is."""
    reasons = []
    auto_submitted = str(message.get("Auto-Submitted", "no")).strip().lower()
    if auto_submitted and not auto_submitted.startswith("no"):
        reasons.append("automatic")
    if any(message.get(name) for name in ("X-Autoreply", "X-Autorespond")):
        reasons.append("automatic")
    precedence = str(message.get("Precedence", "")).strip().lower()
    if precedence in {"bulk", "list", "junk", "auto_reply"}:
        reasons.append("bulk")
    if message.get("List-Id") or message.get("List-Unsubscribe"):
        reasons.append("list")
    report = message.get_content_type() == "multipart/report"
    empty_sender = str(message.get("Return-Path", "")).strip() == "<>"
    if report or empty_sender or "mailer-daemon" in _header(message, "From").lower():
        reasons.append("bounce")
    return tuple(dict.fromkeys(reasons))


def _html_to_text(html: str) -> str:
    bare = html_entities.unescape(nh3.clean(html, tags=set()))
    return re.sub(r"[ \t]*\n\s*\n\s*", "\n\n", bare).strip()
