"""Value limits of subscribe-message keyword types, as WeChat enforces them on send.

`check_value` returns None for a valid value, or the reason that completes WeChat's errmsg
`argument invalid! data.<keyword>.value <reason>`.
"""

from __future__ import annotations

import re
from datetime import date

KEYWORD_TYPES = (
    "thing",
    "number",
    "letter",
    "symbol",
    "character_string",
    "phrase",
    "name",
    "phone_number",
    "car_number",
    "amount",
    "date",
    "time",
    "enum",
)

_CJK = r"\u4e00-\u9fff\u3400-\u4dbf"
_NUMBER = re.compile(r"^\d+(\.\d+)?$")
_LETTER = re.compile(r"^[A-Za-z]+$")
_SYMBOL = re.compile(r"^[^\w\s]+$")
_CHARACTER_STRING = re.compile(r"^[\x20-\x7e]+$")  # digits, letters and ASCII symbols, no Chinese
_PHRASE = re.compile(rf"^[{_CJK}]+$")
_NAME_CHINESE = re.compile(rf"^[{_CJK}·]+$")
_NAME_LATIN = re.compile(r"^[A-Za-z][A-Za-z .'-]*$")
_PHONE = re.compile(r"^[0-9+\-() ]+$")
_CAR = re.compile(rf"^[{_CJK}A-Za-z0-9][A-Za-z0-9]*[{_CJK}A-Za-z0-9]?$")
_AMOUNT = re.compile(r"^[¥￥$€£](\d{1,10})(\.\d{1,2})?元?$")
_DATE = r"(\d{4})年(\d{1,2})月(\d{1,2})日"
_CLOCK = r"(\d{1,2}):(\d{2})"
_DATE_POINT = re.compile(rf"^{_DATE}(?: {_CLOCK})?$")
_TIME_POINT = re.compile(rf"^(?:{_DATE} )?{_CLOCK}$")


def _valid_calendar(year: str | None, month: str | None, day: str | None) -> bool:
    if year is None:
        return True
    try:
        date(int(year), int(month or 0), int(day or 0))
    except ValueError:
        return False
    return True


def _valid_clock(hour: str | None, minute: str | None) -> bool:
    return hour is None or (int(hour) < 24 and int(minute or 0) < 60)


def _check_moment(value: str, pattern: re.Pattern[str]) -> bool:
    # WeChat accepts a single moment or a range "a~b".
    parts = value.split("~")
    if len(parts) > 2:
        return False
    for part in parts:
        match = pattern.match(part.strip())
        if not match:
            return False
        year, month, day, hour, minute = match.groups()
        if not (_valid_calendar(year, month, day) and _valid_clock(hour, minute)):
            return False
    return True


def check_value(kind: str, value: str, enum_values: list[str] | None = None) -> str | None:
    """None when `value` fits keyword type `kind`, else why it does not."""
    if value == "":
        return "is empty"
    length = len(value)
    if kind == "thing":
        return None if length <= 20 else "exceeds 20 characters"
    if kind in ("number", "letter", "character_string"):
        if length > 32:
            return "exceeds 32 characters"
        pattern = {"number": _NUMBER, "letter": _LETTER, "character_string": _CHARACTER_STRING}[kind]
        return None if pattern.match(value) else f"is not a valid {kind}"
    if kind == "symbol":
        if length > 5:
            return "exceeds 5 characters"
        return None if _SYMBOL.match(value) else "is not a symbol"
    if kind == "phrase":
        if length > 5:
            return "exceeds 5 characters"
        return None if _PHRASE.match(value) else "is not a Chinese phrase"
    if kind == "name":
        if _NAME_CHINESE.match(value):
            return None if length <= 10 else "exceeds 10 Chinese characters"
        if _NAME_LATIN.match(value):
            return None if length <= 20 else "exceeds 20 letters"
        return "is not a valid name"
    if kind == "phone_number":
        if length > 17:
            return "exceeds 17 characters"
        return None if _PHONE.match(value) else "is not a phone number"
    if kind == "car_number":
        if length > 8:
            return "exceeds 8 characters"
        return None if _CAR.match(value) else "is not a car number"
    if kind == "amount":
        return None if _AMOUNT.match(value) else "is not an amount (currency sign + up to 10 digits)"
    if kind == "date":
        return None if _check_moment(value, _DATE_POINT) else "is not a date like 2019年10月1日 15:01"
    if kind == "time":
        return None if _check_moment(value, _TIME_POINT) else "is not a time like 2019年10月1日 15:01"
    if kind == "enum":
        return None if value in (enum_values or []) else "is not one of the template's values"
    return f"has unknown keyword type {kind}"
