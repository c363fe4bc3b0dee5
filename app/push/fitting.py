"""Fitting values to WeChat subscribe-message keyword types (limits: shared/WECHAT.md).

WeChat refuses a whole message (47003) when one value breaks its keyword's rule, so every value is
fitted before it is stored on the delivery: cut to length (with an ellipsis where text is cut),
stripped of characters the type does not allow, dates written the way WeChat expects.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from app import clock

KEYWORD_LIMITS = {"thing": 20, "number": 32, "letter": 32, "character_string": 32, "symbol": 5,
                  "phrase": 5, "phone_number": 17, "car_number": 8}
KEYWORD_TYPES = (*KEYWORD_LIMITS, "name", "amount", "date", "time", "enum")

_CJK = "\u4e00-\u9fff\u3400-\u4dbf"
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


class UnfittableValue(ValueError):
    """A value no cutting can make valid (an enum value the template does not list, an empty value)."""


def format_date(value: date) -> str:
    """2026年10月1日 — WeChat's date keyword and our Chinese text use the same form."""
    return f"{value.year}年{value.month}月{value.day}日"


def format_time(value: datetime) -> str:
    local = value.astimezone(clock.local_tz()) if value.tzinfo else value
    return f"{format_date(local.date())} {local.hour:02d}:{local.minute:02d}"


def _cut(text: str, limit: int, ellipsis: bool = True) -> str:
    if len(text) <= limit:
        return text
    return text[: limit - 1] + "…" if ellipsis else text[:limit]


def _as_date(value: object) -> date | datetime:
    if isinstance(value, (date, datetime)):
        return value
    text = str(value).strip()
    match = _ISO_DATE.match(text)
    if match:
        return date(*(int(g) for g in match.groups()))
    return datetime.fromisoformat(text)


def fit_value(kind: str, value: object, enum_values: list[str] | None = None) -> str:
    """``value`` made acceptable for keyword type ``kind``; raises UnfittableValue when impossible."""
    if kind in ("date", "time"):
        moment = _as_date(value)
        if isinstance(moment, datetime):
            return format_time(moment) if kind == "time" or moment.time() != datetime.min.time() else format_date(
                moment.date())
        return format_date(moment)
    text = str(value if value is not None else "").strip()
    if kind == "thing":
        text = _cut(text, 20)
    elif kind == "phrase":
        text = _cut(re.sub(f"[^{_CJK}]", "", text), 5, ellipsis=False)
    elif kind == "number":
        text = _cut(re.sub(r"[^0-9.]", "", text), 32, ellipsis=False)
    elif kind == "letter":
        text = _cut(re.sub(r"[^A-Za-z]", "", text), 32, ellipsis=False)
    elif kind == "character_string":
        text = _cut(re.sub(r"[^\x20-\x7e]", "", text), 32, ellipsis=False).strip()
    elif kind == "symbol":
        text = _cut(re.sub(r"[\w\s]", "", text), 5, ellipsis=False)
    elif kind == "phone_number":
        text = _cut(re.sub(r"[^0-9+\-() ]", "", text), 17, ellipsis=False).strip()
    elif kind == "car_number":
        text = _cut(re.sub(f"[^{_CJK}A-Za-z0-9]", "", text), 8, ellipsis=False)
    elif kind == "name":
        text = _cut(text, 10 if re.search(f"[{_CJK}]", text) else 20, ellipsis=False)
    elif kind == "amount":
        digits = re.sub(r"[^0-9.]", "", text)
        whole, _, cents = digits.partition(".")
        text = "¥" + whole[:10] + (f".{cents[:2]}" if cents else "") if whole else ""
    elif kind == "enum":
        if text not in (enum_values or []):
            raise UnfittableValue(f"{text!r} is not one of the template's values")
    else:
        raise UnfittableValue(f"unknown keyword type {kind}")
    if not text:
        raise UnfittableValue(f"nothing of {value!r} fits keyword type {kind}")
    return text
