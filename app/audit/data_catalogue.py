"""The data catalogue of the data tracker (``config/catalogues/personal_data.toml``): the Chinese
label of each piece of a person's data, each purpose and each outside recipient."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from app.datafiles import CONFIG_DIR, DataFileError, Entry, read_toml

CATALOGUE_PATH = CONFIG_DIR / "catalogues" / "personal_data.toml"
SECTIONS = ("data", "fields", "purposes", "recipients")
OTHER_FIELD = "证照上的其他信息"


@dataclass(frozen=True)
class DataCatalogue:
    data: dict[str, str]
    fields: dict[str, str]
    purposes: dict[str, str]
    recipients: dict[str, str]

    def data_label(self, key: str) -> str:
        from app.certificates.catalogue import certificate_types

        kind, _, code = key.partition(".")
        if kind == "certificate" and code in certificate_types():
            return f"电子证照：{certificate_types()[code].name}"
        if kind == "field" and code:
            return self.fields.get(code, OTHER_FIELD)
        if key.startswith("material:") and len(key) > len("material:"):
            return f"申请材料：{_material_name(key.removeprefix('material:'))}"
        return self.data[key]

    def knows_data(self, key: str) -> bool:
        try:
            self.data_label(key)
        except KeyError:
            return False
        return True


def _material_name(code: str) -> str:
    from app.applications.guides import guides

    names = {m.code: m.name for guide in guides().values() for m in guide.materials}
    return names.get(code, "其他材料")


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
