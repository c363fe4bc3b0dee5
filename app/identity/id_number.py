"""Resident ID numbers (GB 11643-1999): 6-digit area, 8-digit birth date, 3-digit sequence
(odd = male), check character over weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2, mod 11 into
"10X98765432"."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from app.errors import ValidationFailed

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
_FORMAT = re.compile(r"^\d{17}[\dX]$")
EARLIEST_BIRTH = date(1900, 1, 1)


@dataclass(frozen=True)
class ParsedIdNumber:
    number: str
    area_code: str
    birth_date: date
    sex: str  # male | female

    def age_on(self, day: date) -> int:
        years = day.year - self.birth_date.year
        return years - ((day.month, day.day) < (self.birth_date.month, self.birth_date.day))


def compute_check_char(first17: str) -> str:
    return CHECK_CHARS[sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True)) % 11]


def parse_id_number(value: str, *, today: date) -> ParsedIdNumber:
    number = value.strip().upper()
    if not _FORMAT.match(number):
        raise ValidationFailed("身份证号应为 18 位（前 17 位为数字，末位为数字或 X）", code="id_number_format")
    try:
        birth = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValidationFailed("身份证号中的出生日期无效", code="id_number_birth_date") from None
    if birth < EARLIEST_BIRTH or birth > today:
        raise ValidationFailed("身份证号中的出生日期无效", code="id_number_birth_date")
    if compute_check_char(number[:17]) != number[17]:
        raise ValidationFailed("身份证号校验位不正确，请检查是否输错", code="id_number_check_digit")
    return ParsedIdNumber(number, number[:6], birth, "male" if int(number[16]) % 2 else "female")


def make_id_number(area: str, birth: date, seq: int) -> str:
    first17 = f"{area}{birth:%Y%m%d}{seq:03d}"
    return first17 + compute_check_char(first17)
