"""Resident ID numbers (GB 11643-1999): parsing, validation and the check character.

Layout: 6-digit area code, 8-digit birth date YYYYMMDD, 3-digit sequence (odd = male,
even = female), check character. Checks run in a fixed order, each failing with its own code, so
the app can tell the user which part is wrong.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

from app.identity import errors

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = "10X98765432"
_FORMAT = re.compile(r"\d{17}[\dX]")
# GB 11643 sets no lower bound, and its literature's own example (440524188001010014) was born in
# 1880; numbers were first issued in 1984, to people born in the 1860s at the earliest. 1800 admits
# every real holder while still refusing a year like 0000 or 1066.
_EARLIEST_BIRTH = date(1800, 1, 1)


@dataclass(frozen=True)
class ParsedIdNumber:
    number: str  # normalized: upper-case X, no surrounding spaces
    area_code: str
    birth_date: date
    sex: Literal["male", "female"]

    def age_on(self, d: date) -> int:
        """Full years on ``d``; someone born on 29 February turns a year older on 1 March in common years."""
        if d < self.birth_date:
            raise ValueError("date is before the birth date")
        had_birthday = (d.month, d.day) >= (self.birth_date.month, self.birth_date.day)
        return d.year - self.birth_date.year - (0 if had_birthday else 1)


def compute_check_char(first17: str) -> str:
    if len(first17) != 17 or not first17.isascii() or not first17.isdigit():
        raise ValueError("expected the first 17 digits of an ID number")
    total = sum(int(c) * w for c, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK_CHARS[total % 11]


def make_id_number(area: str, birth: date, seq: int) -> str:
    """A valid ID number (for tests and demo data): seq 0–999, odd for a man, even for a woman."""
    if len(area) != 6 or not area.isdigit() or not 0 <= seq <= 999:
        raise ValueError("area must be 6 digits and seq within 0–999")
    first17 = f"{area}{birth:%Y%m%d}{seq:03d}"
    return first17 + compute_check_char(first17)


def parse_id_number(value: str, *, today: date) -> ParsedIdNumber:
    number = value.strip().upper()
    if not number.isascii() or not _FORMAT.fullmatch(number):
        raise errors.IdNumberFormat()
    try:
        birth = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        birth = None
    if birth is None or not _EARLIEST_BIRTH <= birth <= today:
        raise errors.IdNumberBirthDate()
    if compute_check_char(number[:17]) != number[17]:
        raise errors.IdNumberCheckDigit()
    return ParsedIdNumber(
        number=number,
        area_code=number[:6],
        birth_date=birth,
        sex="male" if int(number[14:17]) % 2 == 1 else "female",
    )
