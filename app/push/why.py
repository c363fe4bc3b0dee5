"""为什么收到这条消息, in words a resident reads: the rule's own wording (``why`` in its file under
config/rules, or the notice wording in config/catalogues/push_labels.toml for the ticket, rating and
application notices) filled with the matched facts, and those facts under their labels.

A notification stores what matched (``Rule.why``: the rule id and version and the masked facts); the
sentence is rendered when it is read, so a changed wording or label reaches every notification.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from app.datafiles import CONFIG_DIR, DataFileError, Entry, read_toml
from app.push.fitting import format_date
from app.push.rules import PLACEHOLDER, rules

CATALOGUE_PATH = CONFIG_DIR / "catalogues" / "push_labels.toml"
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class WhyCatalogue:
    facts: dict[str, str]
    units: dict[str, str]
    values: dict[str, dict[str, str]]
    notices: dict[str, str]
    fallback: str
    categories: dict[str, str]
    templates: dict[str, str]


def load_catalogue(path: Path = CATALOGUE_PATH) -> WhyCatalogue:
    raw = read_toml(path)
    top = Entry(path, "catalogue", raw, {"fallback", "facts", "units", "values", "notices", "categories", "templates"})

    def table(name: str, data: Any = None) -> dict[str, str]:
        data = raw.get(name, {}) if data is None else data
        if not isinstance(data, dict):
            raise DataFileError(path, name, "must be a table of key = \"标签\"")
        entry = Entry(path, name, data, set(data))
        return {key: entry.text(key) for key in data}

    values = raw.get("values", {})
    if not isinstance(values, dict):
        raise DataFileError(path, "values", "must be a table of tables")
    return WhyCatalogue(table("facts"), table("units"),
                        {fact: table(f"values.{fact}", codes) for fact, codes in values.items()},
                        table("notices"), top.text("fallback"), table("categories"), table("templates"))


@functools.cache
def why_catalogue() -> WhyCatalogue:
    return load_catalogue()


def fact_value(key: str, value: Any) -> str | None:
    """A fact's value in words, or None when it has no words (a code the catalogue does not name)."""
    catalogue = why_catalogue()
    if key in catalogue.values:
        return catalogue.values[key].get(str(value))
    if isinstance(value, bool) or value is None or value == "":
        return None
    if isinstance(value, date) or (isinstance(value, str) and ISO_DATE.match(value)):
        return format_date(value if isinstance(value, date) else date.fromisoformat(value))
    text = f"{value}{catalogue.units.get(key, '')}"
    return None if re.fullmatch(r"[a-z_]+", text) else text


def _fill(wording: str, facts: dict[str, Any]) -> str:
    return PLACEHOLDER.sub(lambda m: fact_value(m.group(1), facts.get(m.group(1))) or "", wording)


def explain(why: dict[str, Any] | None) -> dict[str, Any]:
    """``text``: the sentence; ``matched``: [{label, value}] of the labelled facts, in the rule's order."""
    catalogue = why_catalogue()
    # A stored why of another shape (hand-made, or from an older writer) still reads as the fallback.
    why = why if isinstance(why, dict) else {}
    facts = why.get("facts") if isinstance(why.get("facts"), dict) else {}
    rule = why.get("rule")
    rule_id = rule.get("id") if isinstance(rule, dict) else None
    rule = rules().get(rule_id) if rule_id else None
    wording = (rule.why_wording if rule else None) or catalogue.notices.get(rule_id or "") or catalogue.fallback
    matched = []
    for key, value in facts.items():
        label, shown = catalogue.facts.get(key), fact_value(key, value)
        if label and shown:
            matched.append({"label": label, "value": shown})
    return {"text": _fill(wording, facts), "matched": matched}
