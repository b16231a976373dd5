"""What a customer's message asks for: pure text rules, no database.

>>> intent_of("Соедините с оператором"), intent_of("I want a person")
(<Intent.HANDOFF: 'handoff'>, <Intent.HANDOFF: 'handoff'>)
>>> intent_of("ближайший банкомат у метро Курская"), intent_of("статус заявки FL-12")
(<Intent.ATM: 'atm'>, <Intent.REQUEST_STATUS: 'request_status'>)
>>> intent_of("Как сдать декларацию по НДС?")
<Intent.QUESTION: 'question'>
>>> reference_in("моя заявка fl 42"), reference_in("заявка номер 17", status_asked=True)
(42, 17)
"""

from __future__ import annotations

import re
from enum import StrEnum

from frontline.knowledge.text import stem, words


class Intent(StrEnum):
    """What a turn was about; the report counts them."""

    HANDOFF = "handoff"
    ATM = "atm"
    REQUEST_STATUS = "request_status"
    VERIFICATION = "verification"
    QUESTION = "question"


# Search stems (``knowledge.text.stem``) so any inflection counts: "оператора", "persons".
HANDOFF_STEMS = frozenset(
    {"оператор", "человек", "сотрудник", "специалист", "agent", "person", "human"}
)
ATM_STEMS = frozenset(
    {"банкомат", "метр", "наличн", "atm", "cash", "metro", "subway", "underground", "station"}
)
STATUS_STEMS = frozenset({"статус", "заявк", "обращен", "status", "request", "refer"})
REFERENCE = re.compile(r"\bfl[\s-]*(\d{1,12})\b", re.IGNORECASE)
NUMBER = re.compile(r"\b(\d{1,12})\b")


def _stems(text: str) -> set[str]:
    return {stem(word) for word in words(text)}


def reference_in(text: str, *, status_asked: bool = False) -> int | None:
    """The contact id in ``FL-123`` (or a bare number when the customer was asked for one)."""
    found = REFERENCE.search(text) or (NUMBER.search(text) if status_asked else None)
    return int(found.group(1)) if found else None


def intent_of(text: str) -> Intent:
    stems = _stems(text)
    if stems & HANDOFF_STEMS or "operator" in text.lower():
        return Intent.HANDOFF
    if REFERENCE.search(text) or (stems & STATUS_STEMS and NUMBER.search(text)):
        return Intent.REQUEST_STATUS
    if stems & ATM_STEMS:
        return Intent.ATM
    if stems & STATUS_STEMS and {"мо", "my", "статус", "status"} & stems:
        return Intent.REQUEST_STATUS
    return Intent.QUESTION
