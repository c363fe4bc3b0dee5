"""Unified social credit codes (GB 32100-2015): validation and the check character.

Layout: registration authority (1), organisation type (1), area code (6), organisation code (9),
check (1), over a 31-character alphabet without I O Z S V (easily confused with 1 0 2 5 U).
"""

from __future__ import annotations

from collections.abc import Iterable

from app.entities import errors

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUE = {c: i for i, c in enumerate(ALPHABET)}
_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def _format_error() -> errors.UsccFormat:
    return errors.UsccFormat()


def uscc_check_char(first17: str) -> str:
    if len(first17) != 17 or any(c not in _VALUE for c in first17):
        raise _format_error()
    c = 31 - sum(_VALUE[ch] * w for ch, w in zip(first17, _WEIGHTS, strict=True)) % 31
    return ALPHABET[0 if c == 31 else c]


def make_uscc(first17_or_parts: str | Iterable[str]) -> str:
    """The full code from its first 17 characters, given whole or in parts, e.g.
    ``("9", "1", "440300", "MA5XXXXXX")``."""
    joined = first17_or_parts if isinstance(first17_or_parts, str) else "".join(first17_or_parts)
    first17 = joined.strip().upper()
    return first17 + uscc_check_char(first17)


def validate_uscc(value: str) -> str:
    """The normalized (stripped, upper-case) code; ValidationFailed ``uscc_format`` or ``uscc_check_char``."""
    code = value.strip().upper()
    if len(code) != 18 or any(c not in _VALUE for c in code):
        raise _format_error()
    if uscc_check_char(code[:17]) != code[17]:
        raise errors.UsccCheckChar()
    return code
