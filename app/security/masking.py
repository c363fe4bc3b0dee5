"""Display masking of personal and entity identifiers.

Masking is for display only (lists, staff screens, notifications); it is no substitute for access
control. Inputs are stripped of surrounding spaces; the output keeps the length of what is masked,
so a reader can still tell a full value from a truncated one.
"""

from __future__ import annotations

import re


def _keep_ends(value: str, head: int, tail: int) -> str:
    if len(value) <= head + tail:
        return "*" * len(value)  # too short to reveal anything safely
    return value[:head] + "*" * (len(value) - head - tail) + value[len(value) - tail :]


def mask_id_number(value: str) -> str:
    """First and last character kept: "440106199001011234" → "4****************4"."""
    return _keep_ends(value.strip(), 1, 1)


def mask_phone(value: str) -> str:
    """3 + 4 stars + 4 on the last 11 digits: "13800138000" → "138****8000".

    A longer form keeps its country prefix: "+86 138-0013-8000" → "+86 138****8000". Numbers with
    fewer than 11 digits (local landlines) keep only their last 4 digits: "8765-4321" → "****4321".
    """
    value = value.strip()
    digits = re.sub(r"\D", "", value)
    if len(digits) < 11:
        return _keep_ends(digits, 0, 4)
    local, prefix = digits[-11:], digits[:-11]
    masked = local[:3] + "****" + local[-4:]
    if not prefix:
        return masked
    return ("+" if value.startswith("+") else "") + prefix + " " + masked


def mask_name(value: str) -> str:
    """All but the last character starred: "张三" → "*三", "欧阳娜娜" → "***娜", "李" → "*"."""
    value = value.strip()
    if len(value) <= 1:
        return "*" * len(value)
    return "*" * (len(value) - 1) + value[-1]


def mask_uscc(value: str) -> str:
    """First 2 and last 2 kept: "91350100M000100Y43" → "91**************43".

    The first two characters (registration authority, organisation type) say what kind of entity
    it is and the last two let the holder tell their own entities apart; the area and organisation
    code in between are hidden. (A code is public registry data; masking only limits what a
    screen shows next to personal data.)
    """
    return _keep_ends(value.strip().upper(), 2, 2)
