"""County-level administrative division codes (config/catalogues/areas.toml, GB/T 2260).

The six digits an ID number starts with and the area a resident reports moving to are such codes;
a relocation names one that exists (a city without districts, such as 东莞 441900, is one itself).
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from app.datafiles import CONFIG_DIR, DataFileError, read_toml

AREAS_PATH = CONFIG_DIR / "catalogues" / "areas.toml"
_CODE = re.compile(r"^[1-8]\d{5}$")


def load_areas(path: Path = AREAS_PATH) -> dict[str, str]:
    table = read_toml(path).get("areas")
    if not isinstance(table, dict) or not table:
        raise DataFileError(path, "areas", "required, a table of area code = full name")
    for code, name in table.items():
        if not _CODE.match(code):
            raise DataFileError(path, f"areas.{code}", "expected a six-digit area code")
        if not isinstance(name, str) or not name.strip():
            raise DataFileError(path, f"areas.{code}", "expected the area's full name")
    return dict(table)


@functools.cache
def areas() -> dict[str, str]:
    return load_areas()


def area_name(code: str) -> str | None:
    """The area's full name (广东省广州市天河区), or None for a code that is not a county-level area."""
    return areas().get(code)
