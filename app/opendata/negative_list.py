"""The negative list (负面清单): what open data never contains, read from config/open_data/negative_list.toml.

Personal columns are named as ``table.column`` and checked against the models, so a renamed column
cannot silently fall off the list. Closed datasets and fields name a dataset (and field) that exists
and the department that closed it.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from app.datafiles import CONFIG_DIR, DataFileError, Entry, read_toml

NEGATIVE_LIST_FILE = CONFIG_DIR / "open_data" / "negative_list.toml"
KINDS = ("name", "id_number", "phone", "address", "birth_date", "household_link", "free_text")


@dataclass(frozen=True)
class Closure:
    dataset: str
    field: str | None
    department: str
    reason: str


@dataclass(frozen=True)
class NegativeList:
    threshold: int
    personal: dict[str, str]  # "table.column" → kind
    closed: tuple[Closure, ...]

    def closed_dataset(self, code: str) -> bool:
        return any(c.dataset == code and c.field is None for c in self.closed)

    def closed_fields(self, code: str) -> set[str]:
        return {c.field for c in self.closed if c.dataset == code and c.field is not None}


def _columns() -> set[str]:
    import app.models  # noqa: F401  (every table, so the check sees them all)
    from app.db import Base

    return {f"{table.name}.{column.name}" for table in Base.metadata.sorted_tables for column in table.columns}


def read_negative_list(path: Path = NEGATIVE_LIST_FILE) -> NegativeList:
    data = read_toml(path)
    top = Entry(path, "negative_list", data, {"threshold", "personal", "closed"})
    threshold = top.integer("threshold", 1, 1000)
    known = _columns()
    personal: dict[str, str] = {}
    for i, raw in enumerate(data.get("personal", [])):
        entry = Entry(path, f"personal[{i}]", raw, {"column", "kind"})
        column = entry.text("column")
        if column not in known:
            raise entry.error("column", f"no such table.column: {column}")
        personal[column] = entry.choice("kind", KINDS)
    if not personal:
        raise DataFileError(path, "personal", "required, at least one personal column")
    from app.staff.catalogue import read_catalogue

    departments = {d.code for d in read_catalogue()}
    closed = []
    for i, raw in enumerate(data.get("closed", [])):
        entry = Entry(path, f"closed[{i}]", raw, {"dataset", "field", "department", "reason"})
        department = entry.text("department")
        if department not in departments:
            raise entry.error("department", f"no such department: {department}")
        closed.append(Closure(entry.text("dataset"), entry.text("field", None), department, entry.text("reason")))
    return NegativeList(threshold, personal, tuple(closed))


@functools.cache
def negative_list() -> NegativeList:
    return read_negative_list()
