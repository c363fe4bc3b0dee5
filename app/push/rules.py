"""Push rules as data: ``config/rules/*.toml`` and the WeChat templates they bind to.

Loaded and validated once at start (``rules()``); every problem names the file and the field, so
a bad rule file stops the process with a message an operator can act on. A rule says who it is for
(audience), when it fires (trigger), for which facts (conditions), what it says (title, body and
the WeChat keyword values, with ``{placeholders}`` over the matched facts), where the mini program
opens, its category (for preferences), its dedupe key and its priority.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from app.datafiles import CONFIG_DIR as CONFIG
from app.datafiles import DataFileError, read_toml
from app.push.fitting import KEYWORD_TYPES

RULES_DIR = CONFIG / "rules"
TEMPLATES_FILE = CONFIG / "wechat_templates.toml"

AUDIENCES = ("person", "entity")
CATEGORIES = ("certificates", "family", "social_security", "business", "tickets", "applications")
DATE_FIELDS = ("certificate.expires_on", "licence.valid_until")
EVENTS = ("life_event.birth", "licence.suspended", "entity.representative_changed", "acting.coming_of_age",
          "appointment.reminder")
RECIPIENTS = ("self", "parents")
PLACEHOLDER = re.compile(r"\{([a-z_]+(?:\.[a-z_]+)*)\}")
RULE_ID = re.compile(r"^[a-z][a-z0-9_]{1,62}$")

# The facts each subject offers to placeholders and dedupe keys.
_PERSON = ("person.id", "person.name_masked", "person.birth_date", "person.age")
_ENTITY = ("entity.id", "entity.name", "entity.uscc")
_LICENCE = ("licence.id", "licence.number", "licence.type", "licence.type_name", "licence.valid_until",
            "licence.state", *_ENTITY)
FACTS: dict[str, tuple[str, ...]] = {
    "certificate.expires_on": ("certificate.id", "certificate.type", "certificate.type_name",
                               "certificate.number_masked", "certificate.expires_on", *_PERSON),
    "licence.valid_until": _LICENCE,
    "age": (*_PERSON, "child.id", "child.name_masked", "child.birth_date", "child.age"),
    "calendar": (*_ENTITY, "window.year", "window.date"),
    "life_event.birth": ("event.id", "event.occurred_on", "child.name_masked", "child.birth_date", *_PERSON),
    "licence.suspended": ("event.id", "event.reason", "event.effective_on", *_LICENCE),
    "entity.representative_changed": ("event.id", "event.agents", "event.administrators", *_ENTITY),
    # A ward turned 18: the parents' acting ended (app.acting.coming_of_age); told to parents and child.
    "acting.coming_of_age": ("event.id", "event.adult_on", "child.id", "child.name_masked"),
    "appointment.reminder": ("appointment.id", "appointment.hall_name", "appointment.hall_address",
                             "appointment.service_name", "appointment.date", "appointment.time"),
}
# Every condition here is applied by the scans (app.push.scans); a rule naming any other is refused.
CONDITIONS = {"certificate_type": str, "licence_types": list, "area_prefix": str, "annual_report": str}
# annual_report (calendar rules only): "not_submitted" (the default) or "any" entity still operating.
ANNUAL_REPORT_CONDITIONS = ("not_submitted", "any")


@dataclass(frozen=True)
class Template:
    key: str
    template_id: str
    kind: str  # one_time | long_term
    keywords: dict[str, str]
    enum_values: dict[str, list[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Trigger:
    type: str  # date_window | age | calendar | event
    field: str | None = None
    days_before: int = 0
    grace_days: int = 0
    years: int | None = None
    month_day: tuple[int, int] | None = None
    event: str | None = None

    @property
    def subject(self) -> str:
        """Which facts the rule sees: the date field, ``age``, ``calendar`` or the event type."""
        return {"date_window": self.field, "event": self.event}.get(self.type) or self.type


@dataclass(frozen=True)
class Rule:
    id: str
    version: int
    audience: str
    trigger: Trigger
    conditions: dict[str, Any]
    title: str
    body: str
    page: str
    category: str
    dedupe_key: str
    priority: int
    recipients: str
    template: Template | None
    template_data: dict[str, str]
    source: str
    service: str | None = None  # the service (事项) acting on it: the page opens its prefilled draft
    why_wording: str | None = None  # 为什么收到 in the resident's words ({placeholders}); app.push.why

    def why(self, facts: dict[str, Any]) -> dict[str, Any]:
        """The "why you got this" record: the rule and the facts that matched (already masked)."""
        shown = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in facts.items()
                 if not k.endswith(".id")}
        why: dict[str, Any] = {"rule": {"id": self.id, "version": self.version, "trigger": describe(self.trigger)},
                               "facts": shown}
        if self.service:
            why["service"] = self.service
        return why


def describe(trigger: Trigger) -> str:
    if trigger.type == "date_window":
        return f"{trigger.field} 在 {trigger.days_before} 天内到期"
    if trigger.type == "age":
        return f"年满 {trigger.years} 周岁"
    if trigger.type == "calendar":
        month, day = trigger.month_day or (0, 0)
        return f"每年 {month} 月 {day} 日"
    return f"事件 {trigger.event}"


def _need(data: dict, key: str, kind: type | tuple[type, ...], path: Path, prefix: str = "") -> Any:
    name = f"{prefix}{key}"
    if key not in data:
        raise DataFileError(path, name, "is required")
    value = data[key]
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise DataFileError(path, name, f"must be {getattr(kind, '__name__', kind)}")
    return value


def _opt_int(data: dict, key: str, path: Path, prefix: str, default: int, lo: int, hi: int) -> int:
    value = data.get(key, default)
    if not isinstance(value, int) or isinstance(value, bool) or not lo <= value <= hi:
        raise DataFileError(path, f"{prefix}{key}", f"must be an integer from {lo} to {hi}")
    return value


def _check_placeholders(text: str, allowed: tuple[str, ...], path: Path, field_name: str) -> None:
    for name in PLACEHOLDER.findall(text):
        if name not in allowed:
            raise DataFileError(path, field_name, f"unknown placeholder {{{name}}}; available: {', '.join(allowed)}")


def load_templates(path: Path = TEMPLATES_FILE) -> dict[str, Template]:
    data = read_toml(path)
    templates = {}
    for key, entry in data.items():
        prefix = f"{key}."
        if not isinstance(entry, dict):
            raise DataFileError(path, key, "must be a table")
        template_id = _need(entry, "template_id", str, path, prefix)
        kind = entry.get("kind", "one_time")
        if kind not in ("one_time", "long_term"):
            raise DataFileError(path, f"{prefix}kind", "must be one_time or long_term")
        keywords = _need(entry, "keywords", dict, path, prefix)
        for name, kw_type in keywords.items():
            if kw_type not in KEYWORD_TYPES:
                raise DataFileError(path, f"{prefix}keywords.{name}", f"unknown keyword type {kw_type!r}")
        templates[key] = Template(key, template_id, kind, dict(keywords), dict(entry.get("enum_values", {})))
    return templates


def _trigger(data: dict, path: Path) -> Trigger:
    raw = _need(data, "trigger", dict, path)
    kind = _need(raw, "type", str, path, "trigger.")
    if kind == "date_window":
        fld = _need(raw, "field", str, path, "trigger.")
        if fld not in DATE_FIELDS:
            raise DataFileError(path, "trigger.field", f"must be one of {', '.join(DATE_FIELDS)}")
        return Trigger(kind, field=fld, days_before=_opt_int(raw, "days_before", path, "trigger.", -1, 0, 3660))
    if kind == "age":
        fld = raw.get("field", "person.birth_date")
        if fld != "person.birth_date":
            raise DataFileError(path, "trigger.field", "must be person.birth_date")
        return Trigger(kind, field=fld, years=_opt_int(raw, "years", path, "trigger.", -1, 0, 150),
                       days_before=_opt_int(raw, "days_before", path, "trigger.", 0, 0, 366),
                       grace_days=_opt_int(raw, "grace_days", path, "trigger.", 0, 0, 366))
    if kind == "calendar":
        month_day = _need(raw, "month_day", str, path, "trigger.")
        match = re.fullmatch(r"(\d{2})-(\d{2})", month_day)
        try:
            parsed = (int(match.group(1)), int(match.group(2))) if match else None
            date(2024, *parsed) if parsed else None
        except ValueError:
            parsed = None
        if parsed is None:
            raise DataFileError(path, "trigger.month_day", "must be MM-DD, a real calendar date")
        return Trigger(kind, month_day=parsed, grace_days=_opt_int(raw, "grace_days", path, "trigger.", 0, 0, 366))
    if kind == "event":
        event = _need(raw, "event", str, path, "trigger.")
        if event not in EVENTS:
            raise DataFileError(path, "trigger.event", f"must be one of {', '.join(EVENTS)}")
        return Trigger(kind, event=event)
    raise DataFileError(path, "trigger.type", "must be date_window, age, calendar or event")


def load_rule(path: Path, templates: dict[str, Template]) -> Rule:
    data = read_toml(path)
    rule_id = _need(data, "id", str, path)
    if not RULE_ID.match(rule_id):
        raise DataFileError(path, "id", "must be snake_case letters and digits, 2–63 characters")
    version = _opt_int(data, "version", path, "", -1, 1, 10_000)
    audience = _need(data, "audience", str, path)
    if audience not in AUDIENCES:
        raise DataFileError(path, "audience", "must be person or entity")
    trigger = _trigger(data, path)
    entity_subjects = ("licence.valid_until", "calendar", "licence.suspended", "entity.representative_changed")
    if (trigger.subject in entity_subjects) != (audience == "entity"):
        raise DataFileError(path, "audience", f"does not match trigger {trigger.subject}")
    conditions = data.get("conditions", {})
    for name, value in conditions.items():
        if name not in CONDITIONS:
            raise DataFileError(path, f"conditions.{name}", f"unknown condition; known: {', '.join(CONDITIONS)}")
        if not isinstance(value, CONDITIONS[name]):
            raise DataFileError(path, f"conditions.{name}", f"must be {CONDITIONS[name].__name__}")
    if "annual_report" in conditions:
        if trigger.subject != "calendar":
            raise DataFileError(path, "conditions.annual_report", "applies to calendar rules only")
        if conditions["annual_report"] not in ANNUAL_REPORT_CONDITIONS:
            raise DataFileError(path, "conditions.annual_report",
                                f"must be one of {', '.join(ANNUAL_REPORT_CONDITIONS)}")
    category = _need(data, "category", str, path)
    if category not in CATEGORIES:
        raise DataFileError(path, "category", f"must be one of {', '.join(CATEGORIES)}")
    recipients = data.get("recipients", "self")
    if recipients not in RECIPIENTS or (recipients == "parents" and trigger.type != "age"):
        raise DataFileError(path, "recipients", "must be self, or parents for an age rule")
    allowed = FACTS[trigger.subject]
    texts = {"title": 40, "body": 500, "page": 300, "dedupe_key": 150}
    values = {}
    for name, limit in texts.items():
        value = _need(data, name, str, path)
        if not value.strip() or len(value) > limit:
            raise DataFileError(path, name, f"must be 1–{limit} characters")
        _check_placeholders(value, allowed, path, name)
        values[name] = value
    if not PLACEHOLDER.search(values["dedupe_key"]) and trigger.type != "calendar":
        raise DataFileError(path, "dedupe_key", "must name the matched facts, e.g. {certificate.id}")
    template, template_data = None, {}
    if "wechat" in data:
        wechat = _need(data, "wechat", dict, path)
        key = _need(wechat, "template", str, path, "wechat.")
        if key not in templates:
            raise DataFileError(path, "wechat.template", f"unknown template {key!r}; known: {', '.join(templates)}")
        template = templates[key]
        template_data = _need(wechat, "data", dict, path, "wechat.")
        for keyword in template.keywords:
            if keyword not in template_data:
                raise DataFileError(path, f"wechat.data.{keyword}", "is required by the template")
        for keyword, text in template_data.items():
            if keyword not in template.keywords:
                raise DataFileError(path, f"wechat.data.{keyword}", f"template {key} has no such keyword")
            if not isinstance(text, str):
                raise DataFileError(path, f"wechat.data.{keyword}", "must be a string")
            _check_placeholders(text, allowed, path, f"wechat.data.{keyword}")
    service = _service(data, values["page"], path)
    why_wording = data.get("why")
    if why_wording is not None:
        if not isinstance(why_wording, str) or not why_wording.strip() or len(why_wording) > 200:
            raise DataFileError(path, "why", "must be 1–200 characters: why the resident gets this, in their words")
        _check_placeholders(why_wording, allowed, path, "why")
    return Rule(rule_id, version, audience, trigger, dict(conditions), values["title"], values["body"],
                values["page"], category, values["dedupe_key"], _opt_int(data, "priority", path, "", 5, 1, 9),
                recipients, template, dict(template_data), path.name, service, why_wording)


APPLY_PAGE = "pages/applications/apply?service="
BOOK_PAGE = "pages/appointments/book?service="  # a service done at a service hall: book a visit


def _service(data: dict, page: str, path: Path) -> str | None:
    """A rule naming the service that acts on it opens that service's prefilled draft, or for a
    service done at a hall (an ID card's photo and fingerprints), its booking page."""
    if "service" not in data:
        return None
    code = _need(data, "service", str, path)
    # That the code names a guide is checked by the guides' loader (app.applications.guides), which
    # sits above push: push knows no 事项.
    if not any(page.startswith(prefix + code + "&") or page == prefix + code for prefix in (APPLY_PAGE, BOOK_PAGE)):
        raise DataFileError(path, "page", f"a rule naming a service opens {APPLY_PAGE}{code}[&…] "
                                          f"or {BOOK_PAGE}{code}[&…]")
    return code


def load_rules(directory: Path = RULES_DIR, templates_file: Path = TEMPLATES_FILE) -> dict[str, Rule]:
    templates = load_templates(templates_file)
    loaded: dict[str, Rule] = {}
    for path in sorted(directory.glob("*.toml")):
        rule = load_rule(path, templates)
        if rule.id in loaded:
            raise DataFileError(path, "id", f"{rule.id} is also defined in {loaded[rule.id].source}")
        loaded[rule.id] = rule
    return loaded


@functools.cache
def rules() -> dict[str, Rule]:
    return load_rules()


def rules_for(subject: str) -> list[Rule]:
    return [r for r in rules().values() if r.trigger.subject == subject]
