"""The service halls, as data: ``config/catalogues/halls.toml``, validated at start.

A hall names the department that runs it and, per service it serves, how many counters serve
that service at once; opening periods apply on working days only (``app.workdays``).
"""

from __future__ import annotations

import functools
import itertools
import re
from dataclasses import dataclass
from datetime import time
from pathlib import Path

from app.datafiles import CONFIG_DIR, Entry, read_toml
from app.halls.errors import UnknownHall
from app.staff.catalogue import read_catalogue

HALLS_FILE = CONFIG_DIR / "catalogues" / "halls.toml"
_CODE = re.compile(r"^[a-z][a-z0-9-]{1,31}$")
_PERIOD = re.compile(r"^(\d{2}):(\d{2})-(\d{2}):(\d{2})$")


@dataclass(frozen=True)
class Hall:
    code: str
    name: str
    department: str  # services.toml department code
    address: str
    opening: tuple[tuple[time, time], ...]
    slot_minutes: int
    book_days_ahead: int
    counters: dict[str, int]  # service code -> counters serving it at once


def _period(entry: Entry, text: object) -> tuple[time, time]:
    match = _PERIOD.match(text) if isinstance(text, str) else None
    try:
        start, end = (time(int(match[1]), int(match[2])), time(int(match[3]), int(match[4]))) if match else (None, None)
    except ValueError:
        start = end = None
    if start is None or end is None or start >= end:
        raise entry.error("opening", f"{text!r} must be HH:MM-HH:MM, start before end")
    return start, end


def _minutes(t: time) -> int:
    return t.hour * 60 + t.minute


def read_halls(path: Path = HALLS_FILE) -> dict[str, Hall]:
    departments = {d.code: {s.code for s in d.services} for d in read_catalogue()}
    services = set().union(*departments.values())
    halls: dict[str, Hall] = {}
    for i, raw in enumerate(read_toml(path).get("halls", [])):
        entry = Entry(path, f"halls[{i}]", raw, {"code", "name", "department", "address", "opening",
                                                "slot_minutes", "book_days_ahead", "counters"})
        code = entry.text("code")
        if not _CODE.match(code):
            raise entry.error("code", "lower-case letters, digits and '-', 2–32 characters")
        if code in halls:
            raise entry.error("code", f"{code!r} appears twice")
        department = entry.choice("department", set(departments))
        slot_minutes = entry.integer("slot_minutes", 5, 240)
        periods = tuple(_period(entry, p) for p in raw.get("opening", []) or [None])
        for (_, end), (start, _) in itertools.pairwise(periods):
            if start < end:
                raise entry.error("opening", "periods must be in order and not overlap")
        for start, end in periods:
            if (_minutes(end) - _minutes(start)) % slot_minutes:
                raise entry.error("opening", f"{start:%H:%M}-{end:%H:%M} is not whole {slot_minutes}-minute slots")
        counters: dict[str, int] = {}
        for item in raw.get("counters", []):
            if not (isinstance(item, list) and len(item) == 2 and item[0] in services
                    and isinstance(item[1], int) and not isinstance(item[1], bool) and 1 <= item[1] <= 50):
                raise entry.error("counters", f"{item!r} must be [service code from services.toml, 1–50]")
            if item[0] in counters:
                raise entry.error("counters", f"{item[0]!r} appears twice")
            counters[item[0]] = item[1]
        if not counters:
            raise entry.error("counters", "a hall serves at least one service")
        halls[code] = Hall(code, entry.text("name"), department, entry.text("address"), periods, slot_minutes,
                           entry.integer("book_days_ahead", 1, 90), counters)
    return halls


@functools.cache
def halls() -> dict[str, Hall]:
    return read_halls()


def hall(code: str) -> Hall:
    found = halls().get(code)
    if found is None:
        raise UnknownHall(details={"hall": code})
    return found


@functools.cache
def service_names() -> dict[str, str]:
    return {s.code: s.name for d in read_catalogue() for s in d.services}


@dataclass(frozen=True)
class Counter:
    service_code: str
    service_name: str
    counters: int


@dataclass(frozen=True)
class HallView:
    code: str
    name: str
    address: str
    opening: list[str]
    slot_minutes: int
    book_days_ahead: int
    services: list[Counter]


def hall_views(service_code: str | None = None) -> list[HallView]:
    """Every hall (or those serving ``service_code``), as residents see them."""
    names = service_names()
    return [HallView(h.code, h.name, h.address, [f"{a:%H:%M}-{b:%H:%M}" for a, b in h.opening], h.slot_minutes,
                     h.book_days_ahead, [Counter(code, names[code], n) for code, n in h.counters.items()])
            for h in halls().values() if service_code is None or service_code in h.counters]
