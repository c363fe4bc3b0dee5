"""Display masking (DESIGN.md): ID numbers keep their first and last character, phone numbers
3 + 4 stars + 4, names their last character."""

from __future__ import annotations


def mask_id_number(value: str) -> str:
    if len(value) <= 2:
        return "*" * len(value)
    return value[0] + "*" * (len(value) - 2) + value[-1]


def mask_phone(value: str) -> str:
    digits = value[-11:] if len(value) >= 11 else value
    prefix = value[: len(value) - len(digits)]
    if len(digits) < 8:
        return prefix + "*" * len(digits)
    return prefix + digits[:3] + "****" + digits[-4:]


def mask_name(value: str) -> str:
    if len(value) <= 1:
        return "*"
    return "*" * (len(value) - 1) + value[-1]


def mask_uscc(value: str) -> str:
    """Codes are public, but shown partly in lists: first 2 and last 2."""
    return value[:2] + "*" * (len(value) - 4) + value[-2:] if len(value) > 4 else value
