"""Data files under ``config/`` (catalogues, rules, calendars): one reader, one error, one check.

Every data file is read with ``read_toml`` and its entries checked with ``Entry``; a mistake is a
``DataFileError`` naming the file, the field and the problem. ``LOADERS`` names each file's loader
(a cached, argument-free function); ``validate_all`` runs every one at app and worker start, so a
bad file stops the start instead of failing on first use.
"""

from __future__ import annotations

import importlib
import tomllib
from pathlib import Path
from typing import Any

CONFIG_DIR = Path(__file__).resolve().parents[1] / "config"

# "module:function" of every data file's loader; a new data file adds its loader here.
LOADERS: tuple[str, ...] = (
    "app.push.rules:rules",
    "app.push.why:why_catalogue",
    "app.certificates.catalogue:certificate_types",
    "app.licences.catalogue:catalogue",
    "app.staff.catalogue:read_catalogue",
    "app.halls.catalogue:halls",
    "app.audit.data_catalogue:data_catalogue",
    "app.workdays:holiday_years",
    "app.applications.guides:guides",
    "app.opendata.negative_list:negative_list",
    "app.opendata.publish:published_datasets",
    "app.people.areas:areas",
)


class DataFileError(ValueError):
    """A data file is not valid: which file, which field, what is wrong."""

    def __init__(self, path: Path | str, field: str, problem: str) -> None:
        self.path, self.field, self.problem = str(path), field, problem
        super().__init__(f"{path}: {field}: {problem}")


def read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise DataFileError(path, "-", f"cannot be read ({error.strerror})") from None
    except tomllib.TOMLDecodeError as error:
        raise DataFileError(path, "-", f"not valid TOML ({error})") from None


_MISSING = object()


class Entry:
    """One table of a data file, read field by field; unknown fields are refused."""

    def __init__(self, path: Path, where: str, raw: Any, allowed: set[str]) -> None:
        self.path, self.where = path, where
        if not isinstance(raw, dict):
            raise DataFileError(path, where, "expected a table")
        unknown = sorted(set(raw) - allowed)
        if unknown:
            raise DataFileError(path, f"{where}.{unknown[0]}", "unknown field")
        self.raw = raw

    def error(self, key: str, problem: str) -> DataFileError:
        return DataFileError(self.path, f"{self.where}.{key}", problem)

    def text(self, key: str, default: Any = _MISSING) -> str:
        value = self.raw.get(key, default)
        if value is _MISSING:
            raise self.error(key, "required, a non-empty string")
        if value is default:
            return value
        if not isinstance(value, str) or not value.strip():
            raise self.error(key, "expected a non-empty string")
        return value.strip()

    def integer(self, key: str, low: int, high: int, default: Any = _MISSING) -> int:
        value = self.raw.get(key, default)
        if value is _MISSING:
            raise self.error(key, f"required, a whole number from {low} to {high}")
        if value is default:
            return value
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            raise self.error(key, f"expected a whole number from {low} to {high}")
        return value

    def boolean(self, key: str, default: bool) -> bool:
        value = self.raw.get(key, default)
        if not isinstance(value, bool):
            raise self.error(key, "expected true or false")
        return value

    def choice(self, key: str, options: tuple[str, ...] | set[str] | frozenset[str],
               default: Any = _MISSING) -> str:
        value = self.raw.get(key, default)
        if value is _MISSING or (value is not default and value not in options):
            raise self.error(key, f"expected one of {', '.join(sorted(options))}")
        return value

    def strings(self, key: str, default: Any = _MISSING) -> list[str]:
        value = self.raw.get(key, default)
        if value is _MISSING:
            raise self.error(key, "required, a list of strings")
        if value is default:
            return value
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise self.error(key, "expected a list of non-empty strings")
        return [v.strip() for v in value]


def validate_all() -> None:
    """Load every data file once; the first bad one raises ``DataFileError``."""
    for name in LOADERS:
        module, _, function = name.partition(":")
        getattr(importlib.import_module(module), function)()
