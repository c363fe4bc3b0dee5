"""Rendering a rule over matched facts: title, body, page, dedupe key and fitted WeChat values."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date
from typing import Any

from app.push.fitting import fit_value, format_date
from app.push.rules import PLACEHOLDER, Rule


@dataclass(frozen=True)
class WeChatMessage:
    """A subscribe message ready to send: every value already fitted to its keyword type."""

    template_id: str
    kind: str  # one_time | long_term
    data: dict[str, str]


@dataclass(frozen=True)
class Rendered:
    title: str
    body: str
    page: str
    dedupe_key: str
    message: WeChatMessage | None


def _text(value: Any) -> str:
    return format_date(value) if isinstance(value, date) else str(value)


@functools.cache
def _parts(template: str) -> tuple[str, ...]:
    """The template split once into text and placeholder names: text, name, text, name, …, text."""
    return tuple(PLACEHOLDER.split(template))


def fill(template: str, facts: dict[str, Any], *, raw: bool = False) -> str:
    """Replace ``{a.b}`` placeholders; ``raw`` keeps dates ISO (for keys and keyword fitting)."""
    parts = _parts(template)  # a scan fills the same few templates for every row
    if len(parts) == 1:
        return template
    out = list(parts)
    for i in range(1, len(parts), 2):
        value = facts.get(parts[i], "")
        out[i] = value.isoformat() if raw and isinstance(value, date) else _text(value)
    return "".join(out)


def dedupe_key(rule: Rule, facts: dict[str, Any]) -> str:
    """The rule's dedupe key over the facts (a scan computes it alone to skip what is already notified)."""
    return fill(rule.dedupe_key, facts, raw=True)[:200]


def render(rule: Rule, facts: dict[str, Any]) -> Rendered:
    message = None
    if rule.template is not None:
        data = {}
        for keyword, text in rule.template_data.items():
            kind = rule.template.keywords[keyword]
            whole = PLACEHOLDER.fullmatch(text)
            value = facts.get(whole.group(1)) if whole else fill(text, facts, raw=kind in ("date", "time"))
            data[keyword] = fit_value(kind, value, rule.template.enum_values.get(keyword))
        message = WeChatMessage(rule.template.template_id, rule.template.kind, data)
    return Rendered(fill(rule.title, facts)[:120], fill(rule.body, facts), fill(rule.page, facts, raw=True),
                    dedupe_key(rule, facts), message)
