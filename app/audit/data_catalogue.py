"""The data catalogue of the data tracker (``config/catalogues/personal_data.toml``): the Chinese
label of each piece of a person's data, each purpose and each outside recipient.

Keys with a code part (``certificate.<type>``, ``material:<code>``) are labelled by the capability
that owns the code: it registers a ``label_kind`` when its module is imported, so audit, which
every capability uses, depends on none of them.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from app.datafiles import CONFIG_DIR, DataFileError, Entry, read_toml

CATALOGUE_PATH = CONFIG_DIR / "catalogues" / "personal_data.toml"
SECTIONS = ("data", "fields", "purposes", "recipients")
OTHER_FIELD = "证照上的其他信息"

# "certificate" → a function from a code to its label (None: not a code of that kind).
_KIND_LABELS: dict[str, Callable[[str], str | None]] = {}


def label_kind(kind: str, label: Callable[[str], str | None]) -> None:
    """Register how keys ``<kind>.<code>`` (or ``<kind>:<code>``) are labelled."""
    _KIND_LABELS[kind] = label


@dataclass(frozen=True)
class DataCatalogue:
    data: dict[str, str]
    fields: dict[str, str]
    purposes: dict[str, str]
    recipients: dict[str, str]

    def data_label(self, key: str) -> str:
        kind, _, code = key.replace(":", ".", 1).partition(".")
        if kind == "field" and code:
            return self.fields.get(code, OTHER_FIELD)
        label = _KIND_LABELS.get(kind, lambda _code: None)(code) if code else None
        if label is not None:
            return label
        return self.data[key]

    def knows_data(self, key: str) -> bool:
        try:
            self.data_label(key)
        except KeyError:
            return False
        return True


def load_catalogue(path: Path = CATALOGUE_PATH) -> DataCatalogue:
    raw = read_toml(path)
    Entry(path, "catalogue", raw, set(SECTIONS))  # refuses an unknown section
    sections = {}
    for section in SECTIONS:
        table = raw.get(section)
        if not isinstance(table, dict) or not table:
            raise DataFileError(path, section, "required, a table of key = \"标签\"")
        entry = Entry(path, section, table, set(table))
        sections[section] = {key: entry.text(key) for key in table}
    return DataCatalogue(**sections)


@functools.cache
def data_catalogue() -> DataCatalogue:
    return load_catalogue()
