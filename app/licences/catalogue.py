"""The licence type catalogue (config/catalogues/licences.toml), validated when loaded.

A mistake in the file stops the load with a ``DataFileError`` naming ``<file>: <type>.<field>: ...``
(checked at start-up by ``app.datafiles.validate_all``), not when a licence of that type arrives.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from app.datafiles import CONFIG_DIR, DataFileError, Entry, read_toml

CATALOGUE_PATH = CONFIG_DIR / "catalogues" / "licences.toml"
_CODE = re.compile(r"^[a-z][a-z0-9_]{1,39}$")
_FIELDS = {"name", "issuer", "validity_years", "renewal_window_days"}


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
    raw = read_toml(path)
    if not raw:
        raise DataFileError(path, "-", "no licence types")
    types: dict[str, LicenceType] = {}
    for code, table in raw.items():
        if not _CODE.match(code):
            raise DataFileError(path, code, "type code must be snake_case ASCII")
        entry = Entry(path, code, table, _FIELDS)
        years = entry.integer("validity_years", 1, 50, default=None)  # absent: no expiry
        types[code] = LicenceType(code, entry.text("name"), entry.text("issuer"), years,
                                  entry.integer("renewal_window_days", 0, 366))
    return types


@functools.cache
def catalogue() -> dict[str, LicenceType]:
    return load_catalogue()


def licence_type(code: str) -> LicenceType:
    return catalogue()[code]
