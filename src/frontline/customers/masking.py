"""Masking of contact details for viewers who may not see them in full.

>>> mask_phone("+79123456789")
'+7912*****89'
>>> mask_email("ivan.petrov@example.ru")
'i**********@example.ru'
"""

from __future__ import annotations

VISIBLE_PHONE_HEAD = 5
VISIBLE_PHONE_TAIL = 2


def mask_phone(e164: str) -> str:
    """Keep the country and operator code and the last two digits."""
    hidden = len(e164) - VISIBLE_PHONE_HEAD - VISIBLE_PHONE_TAIL
    if hidden <= 0:
        return "*" * len(e164)
    return e164[:VISIBLE_PHONE_HEAD] + "*" * hidden + e164[-VISIBLE_PHONE_TAIL:]


def mask_email(address: str) -> str:
    """Keep the first letter and the domain, which is what an agent needs to recognise it."""
    local, _, domain = address.partition("@")
    return f"{local[:1]}{'*' * max(len(local) - 1, 1)}@{domain}"
