"""Event rules: an outbox event's facts, rendered by each rule for that event, to its recipients.

Payload contract (what ``outbox.emit`` callers send): ``{"facts": {"event.id": ..., ...},
"account_ids": [...]}`` — recipients are resolved by the emitter inside its own transaction (the
parents through household links for a birth, or the one parent whose link arrives after it; the
people acting for the entity with ``receive_notifications`` for a licence decision, when it takes
effect), so the event carries who was entitled then.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from app.push.content import render
from app.push.notify import Planned, write_notifications
from app.push.outbox import handles
from app.push.rules import EVENTS, Rule, rules_for

_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _facts(raw: dict[str, Any]) -> dict[str, Any]:
    return {k: date.fromisoformat(v) if isinstance(v, str) and _ISO.match(v) else v for k, v in raw.items()}


def plan(rule: Rule, facts: dict[str, Any], account_ids: list[int]) -> list[Planned]:
    rendered = render(rule, facts)
    why = rule.why(facts)
    return [Planned(a, rule.category, rendered.title, rendered.body, rendered.page, why, rendered.dedupe_key,
                    rule.id, rule.version, rule.priority, rendered.message) for a in dict.fromkeys(account_ids)]


def fire(event_type: str, payload: dict[str, Any]) -> int:
    facts, account_ids = _facts(payload.get("facts", {})), list(payload.get("account_ids", []))
    planned = [p for rule in rules_for(event_type) for p in plan(rule, facts, account_ids)]
    return len(write_notifications(planned))


for _event in EVENTS:
    handles(_event)(lambda payload, _e=_event: fire(_e, payload))
