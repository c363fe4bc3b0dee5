"""The certificate type catalogue, a data file (config/catalogues/certificates.toml) checked at load.

A mistake in the file names the file and the field, so whoever edits it sees where.
"""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.certificates import errors

CATALOGUE_PATH = Path(__file__).resolve().parents[2] / "config" / "catalogues" / "certificates.toml"
_KEYS = {"name", "issuer", "renewal_window_days", "lifelong"}


class CatalogueError(ValueError):
    """The catalogue file is not valid; the message names the file and the field."""


@dataclass(frozen=True)
class CertificateType:
    code: str
    name: str
    issuer: str
    renewal_window_days: int | None  # None: never expires

    @property
    def lifelong(self) -> bool:
        return self.renewal_window_days is None


def _entry(path: Path, code: str, raw: Any) -> CertificateType:
    where = f"{path}: types.{code}"
    if not isinstance(raw, dict):
        raise CatalogueError(f"{where}: expected a table")
    unknown = sorted(set(raw) - _KEYS)
    if unknown:
        raise CatalogueError(f"{where}.{unknown[0]}: unknown field")
    for field in ("name", "issuer"):
        if not isinstance(raw.get(field), str) or not raw[field].strip():
            raise CatalogueError(f"{where}.{field}: required, a non-empty string")
    lifelong = raw.get("lifelong", False)
    if not isinstance(lifelong, bool):
        raise CatalogueError(f"{where}.lifelong: expected true or false")
    window = raw.get("renewal_window_days")
    if lifelong and window is not None:
        raise CatalogueError(f"{where}.renewal_window_days: a lifelong type has no renewal window")
    if not lifelong and (not isinstance(window, int) or isinstance(window, bool) or not 1 <= window <= 366):
        raise CatalogueError(f"{where}.renewal_window_days: required (1–366 days) unless lifelong = true")
    return CertificateType(code, raw["name"].strip(), raw["issuer"].strip(), None if lifelong else window)


def load_catalogue(path: Path = CATALOGUE_PATH) -> dict[str, CertificateType]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise CatalogueError(f"{path}: {error}") from None
    types = data.get("types")
    if not isinstance(types, dict) or not types:
        raise CatalogueError(f"{path}: types: at least one [types.<code>] table is required")
    for code in types:
        if not code.replace("_", "").isalnum() or not code.islower():
            raise CatalogueError(f"{path}: types.{code}: codes are lower_snake_case")
    return {code: _entry(path, code, raw) for code, raw in types.items()}


@functools.cache
def certificate_types() -> dict[str, CertificateType]:
    return load_catalogue()


def certificate_type(code: str) -> CertificateType:
    kind = certificate_types().get(code)
    if kind is None:
        raise errors.CertificateTypeUnknown(details={"type": code, "known": sorted(certificate_types())})
    return kind
