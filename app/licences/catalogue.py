"""The licence type catalogue (config/catalogues/licences.toml), validated when loaded.

A mistake in the file stops the load with every problem named as ``<file>: <type>.<field>: ...``,
so a bad edit is found at start-up rather than when a licence of that type arrives.
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from config.settings import ROOT

CATALOGUE_PATH = ROOT / "config" / "catalogues" / "licences.toml"
_CODE = re.compile(r"^[a-z][a-z0-9_]{1,39}$")
_FIELDS = {"name", "issuer", "validity_years", "renewal_window_days"}


class CatalogueError(ValueError):
    """The catalogue file is invalid; the message lists each problem with file and field."""


@dataclass(frozen=True)
class LicenceType:
    code: str
    name: str
    issuer: str
    validity_years: int | None
    renewal_window_days: int

    def default_valid_until(self, issued_on: date) -> date | None:
        if self.validity_years is None:
            return None
        try:
            end = issued_on.replace(year=issued_on.year + self.validity_years)
        except ValueError:  # 29 February
            end = issued_on.replace(year=issued_on.year + self.validity_years, day=28)
        return end - timedelta(days=1)


def load_catalogue(path: Path = CATALOGUE_PATH) -> dict[str, LicenceType]:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise CatalogueError(f"{path}: cannot read: {error}") from None
    problems: list[str] = []
    types: dict[str, LicenceType] = {}
    for code, entry in raw.items():
        where = f"{path}: {code}"
        if not _CODE.match(code):
            problems.append(f"{where}: type code must be snake_case ASCII")
        if not isinstance(entry, dict):
            problems.append(f"{where}: must be a table")
            continue
        for unknown in sorted(set(entry) - _FIELDS):
            problems.append(f"{where}.{unknown}: unknown field")
        for field in ("name", "issuer"):
            if not isinstance(entry.get(field), str) or not entry[field].strip():
                problems.append(f"{where}.{field}: required, a non-empty string")
        years = entry.get("validity_years")
        if years is not None and (not isinstance(years, int) or isinstance(years, bool) or not 1 <= years <= 50):
            problems.append(f"{where}.validity_years: an integer from 1 to 50, or absent for no expiry")
        window = entry.get("renewal_window_days")
        if not isinstance(window, int) or isinstance(window, bool) or not 0 <= window <= 366:
            problems.append(f"{where}.renewal_window_days: required, an integer from 0 to 366")
        if not problems:
            types[code] = LicenceType(code, entry["name"].strip(), entry["issuer"].strip(), years, window)
    if not raw:
        problems.append(f"{path}: no licence types")
    if problems:
        raise CatalogueError("\n".join(problems))
    return types


@functools.cache
def catalogue() -> dict[str, LicenceType]:
    return load_catalogue()


def licence_type(code: str) -> LicenceType:
    return catalogue()[code]
