"""The certificate type catalogue, a data file (config/catalogues/certificates.toml) checked at load.

A mistake in the file is a ``DataFileError`` naming the file and the field, so whoever edits it sees where.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from app.datafiles import CONFIG_DIR, DataFileError, Entry, read_toml
from app.errors import ValidationFailed

CATALOGUE_PATH = CONFIG_DIR / "catalogues" / "certificates.toml"
_KEYS = {"name", "issuer", "renewal_window_days", "lifelong", "age_over"}
# Every credential carries these derived claims; a type may add ``age_over_<n>`` ones (``age_over``).
STANDARD_DERIVED = ("age_over_18", "age_over_60", "valid_on_date")


@dataclass(frozen=True)
class CertificateType:
    code: str
    name: str
    issuer: str
    renewal_window_days: int | None  # None: never expires
    age_over: tuple[int, ...] = ()  # extra age thresholds the type's credential states, beyond 18 and 60

    @property
    def lifelong(self) -> bool:
        return self.renewal_window_days is None

    @property
    def derived_claims(self) -> tuple[str, ...]:
        extra = tuple(f"age_over_{n}" for n in self.age_over if f"age_over_{n}" not in STANDARD_DERIVED)
        return STANDARD_DERIVED + extra


def _entry(path: Path, code: str, raw: object) -> CertificateType:
    entry = Entry(path, f"types.{code}", raw, _KEYS)
    lifelong = entry.boolean("lifelong", False)
    if lifelong:
        if "renewal_window_days" in entry.raw:
            raise entry.error("renewal_window_days", "a lifelong type has no renewal window")
        window = None
    else:
        window = entry.integer("renewal_window_days", 1, 366)
    ages = entry.raw.get("age_over", [])
    if not isinstance(ages, list) or any(not isinstance(n, int) or isinstance(n, bool) or not 1 <= n <= 120
                                         for n in ages):
        raise entry.error("age_over", "expected a list of ages from 1 to 120")
    return CertificateType(code, entry.text("name"), entry.text("issuer"), window, tuple(sorted(set(ages))))


def load_catalogue(path: Path = CATALOGUE_PATH) -> dict[str, CertificateType]:
    types = read_toml(path).get("types")
    if not isinstance(types, dict) or not types:
        raise DataFileError(path, "types", "at least one [types.<code>] table is required")
    for code in types:
        if not code.replace("_", "").isalnum() or not code.islower():
            raise DataFileError(path, f"types.{code}", "codes are lower_snake_case")
    return {code: _entry(path, code, raw) for code, raw in types.items()}


@functools.cache
def certificate_types() -> dict[str, CertificateType]:
    return load_catalogue()


def certificate_type(code: str) -> CertificateType:
    kind = certificate_types().get(code)
    if kind is None:
        raise ValidationFailed("未知的证照类型", code="certificate_type_unknown",
                               details={"type": code, "known": sorted(certificate_types())})
    return kind
