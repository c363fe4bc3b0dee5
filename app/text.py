"""What text yss accepts from outside: no control characters and no lone surrogates.

Refused everywhere: C0 controls (U+0000–U+001F) other than tab, line feed and carriage return,
DEL (U+007F), C1 controls (U+0080–U+009F) and lone surrogates (U+D800–U+DFFF, which JSON's
``\\u`` escapes can smuggle in). PostgreSQL cannot store NUL in text and no UTF-8 encoder takes a
lone surrogate; the others have no place in a name, an address or a message and can hide text
from a reader (escape sequences, backspaces). Tab, line feed and carriage return are allowed in
body text, where multi-line text is legitimate (a ticket message, a reason); each field's own
validation still decides what a single-line field takes. In query strings, path segments and
headers nothing of the kind is legitimate, so they refuse all of U+0000–U+001F as well.
"""

from __future__ import annotations

import re
from typing import Any

REFUSED_IN_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
REFUSED_IN_LINE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
MESSAGE = "不能包含控制字符"


def is_clean(text: str, *, multiline: bool = True) -> bool:
    return not (REFUSED_IN_TEXT if multiline else REFUSED_IN_LINE).search(text)


def refused_text(data: Any, *, multiline: bool = True) -> dict[str, list[str]]:
    """Every place in ``data`` (JSON-like: dicts, lists, strings) holding refused characters, by its
    dotted path (``records.3.data.name``; a bad key is reported at its own path)."""
    found: dict[str, list[str]] = {}
    _walk(data, "", found, REFUSED_IN_TEXT if multiline else REFUSED_IN_LINE)
    return found


def _walk(value: Any, path: str, found: dict[str, list[str]], refused: re.Pattern[str]) -> None:
    if isinstance(value, str):
        if refused.search(value):
            found[path or "_"] = [MESSAGE]
    elif isinstance(value, dict):
        for key, item in value.items():
            at = f"{path}.{key}" if path else str(key)
            if isinstance(key, str) and refused.search(key):
                found[at] = [MESSAGE]
                continue
            _walk(item, at, found, refused)
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            _walk(item, f"{path}.{index}" if path else str(index), found, refused)
