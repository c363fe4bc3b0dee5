"""The certificate type catalogue, a data file (config/catalogues/certificates.toml) checked at load.

A mistake in the file is a ``DataFileError`` naming the file and the field, so whoever edits it sees where.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from app.audit.data_catalogue import label_kind
from app.certificates import errors
from app.datafiles import CONFIG_DIR, DataFileError, Entry, read_toml

CATALOGUE_PATH = CONFIG_DIR / "catalogues" / "certificates.toml"
_KEYS = {"name", "issuer", "renewal_window_days", "lifelong", "age_over", "claims"}
# The order a holder sees a credential's claims in (亮证), after the type's own ``claims`` list.
DEFAULT_CLAIM_ORDER = ("name", "sex", "birth_date", "number", "issued_on", "expires_on")
# Every credential carries these derived claims; a type may add ``age_over_<n>`` ones (``age_over``).
STANDARD_DERIVED = ("age_over_18", "age_over_60", "valid_on_date")


@dataclass(frozen=True)
class CertificateType:
    code: str
    name: str
    issuer: str
    renewal_window_days: int | None  # None: never expires
    age_over: tuple[int, ...] = ()  # extra age thresholds the type's credential states, beyond 18 and 60
    claims: tuple[str, ...] = ()  # the order its claims are shown in, as on the paper certificate

    def claim_order(self, names: list[str]) -> list[str]:
        """``names`` in this type's order: its ``claims`` list, the usual order, its other fields, then
        the derived claims."""
        derived = self.derived_claims
        first = [n for n in (*self.claims, *DEFAULT_CLAIM_ORDER) if n in names and n not in derived]
        rest = [n for n in names if n not in first and n not in derived]
        return list(dict.fromkeys([*first, *rest, *(n for n in derived if n in names)]))

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
    return CertificateType(code, entry.text("name"), entry.text("issuer"), window, tuple(sorted(set(ages))),
                           tuple(entry.strings("claims", [])))


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
        raise errors.CertificateTypeUnknown(details={"type": code, "known": sorted(certificate_types())})
    return kind


def _data_label(code: str) -> str | None:
    kind = certificate_types().get(code)
    return f"电子证照：{kind.name}" if kind else None


label_kind("certificate", _data_label)  # the data tracker's label of ``certificate.<type>``
