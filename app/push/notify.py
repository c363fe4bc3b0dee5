"""Writing notifications exactly once and planning their WeChat delivery.

``notify`` is the entry for other areas (tickets: category ``tickets``); scans and the outbox use
``write_notifications`` for many at once. Each (recipient, dedupe key) is inserted with
INSERT … ON CONFLICT DO NOTHING, so a second scan, a replayed event or a retried job writes
nothing; only rows written now get a delivery, and their jobs are enqueued after the commit.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from app import clock
from app.acting.represented import reminder_proxies
from app.db import after_commit, session, transactional
from app.push import consent, inbox
from app.push.content import WeChatMessage, render
from app.push.delivery import enqueue_deliveries
from app.push.models import Delivery, Notification
from app.push.preferences import preferences_of, quiet_until, reserve_daily_slots
from app.push.rules import Rule
from app.sqlutil import among_pairs, insert_ignoring_conflicts, insert_rows

# {account: [(proxy account, the represented person's name)]}, as ``reminder_proxies`` answers
Proxies = dict[int, list[tuple[int, str]]]


@dataclass(frozen=True, kw_only=True)
class Planned:
    """One notification to write (built by keyword: ``plan`` for rules, ``notify`` for other areas)."""

    account_id: int
    category: str
    title: str
    body: str
    page: str | None
    why: dict[str, Any]
    dedupe_key: str
    rule_id: str | None = None
    rule_version: int | None = None
    priority: int = 5
    message: WeChatMessage | None = None


def notify(account_ids: Iterable[int], *, category: str, title: str, body: str, page: str | None,
           why: dict[str, Any], dedupe_key: str, rule_id: str | None = None,
           template: WeChatMessage | None = None, priority: int = 5) -> list[int]:
    """Put a notification in each account's inbox once (per dedupe key); WeChat where consented.

    Joins the caller's transaction. Returns the ids of the notifications written by this call.
    """
    return write_notifications([
        Planned(account_id=a, category=category, title=title, body=body, page=page, why=why, dedupe_key=dedupe_key,
                rule_id=rule_id, priority=priority, message=template)
        for a in dict.fromkeys(account_ids)])


def plan(rule: Rule, facts: dict[str, Any], account_ids: list[int]) -> list[Planned]:
    """A rule's notification for each recipient, rendered from the facts (scans and events alike)."""
    rendered = render(rule, facts)
    return [Planned(account_id=a, category=rule.category, title=rendered.title, body=rendered.body,
                    page=rendered.page, why=rule.why(facts), dedupe_key=rendered.dedupe_key, rule_id=rule.id,
                    rule_version=rule.version, priority=rule.priority, message=rendered.message)
            for a in dict.fromkeys(account_ids)]


def proxy_key(dedupe_key: str, account_id: int) -> str:
    """The dedupe key of a proxy's copy of ``account_id``'s reminder."""
    return f"{dedupe_key}|for:{account_id}"


def for_proxies(planned: list[Planned], proxies: Proxies | None = None) -> list[Planned]:
    """A copy of each reminder (a rule's notification) for whoever receives the recipient's reminders
    (亲属代办, ``receive_reminders``), with a "for whom" line; inbox only, their own WeChat consent
    being for their own reminders. ``proxies``: already looked up for these recipients (a scan)."""
    reminders = [p for p in planned if p.rule_id is not None]
    if proxies is None:
        proxies = reminder_proxies([p.account_id for p in reminders])
    return [replace(p, account_id=proxy, body=f"【为{name}代收】{p.body}", why={**p.why, "for_whom": name},
                    dedupe_key=proxy_key(p.dedupe_key, p.account_id), message=None)
            for p in reminders for proxy, name in proxies.get(p.account_id, []) if proxy != p.account_id]


def notified(pairs: set[tuple[int, str]]) -> set[tuple[int, str]]:
    """Which of these (recipient, dedupe key) pairs already have their notification, in one query.

    Lets a scan skip what an earlier run wrote before it builds any facts; the unique constraint,
    not this look-up, is what keeps a notification from being written twice."""
    if not pairs:
        return set()
    n = Notification
    rows = session().execute(select(n.recipient_account_id, n.dedupe_key)
                             .where(among_pairs(n.recipient_account_id, n.dedupe_key, pairs)))
    return {(account, key) for account, key in rows}


@transactional
def write_notifications(planned: list[Planned], proxies: Proxies | None = None) -> list[int]:
    return [nid for nid, _p in write_planned(planned, proxies)]


@transactional
def write_planned(planned: list[Planned], proxies: Proxies | None = None) -> list[tuple[int, Planned]]:
    """``write_notifications`` answering (notification id, what was written) for each row written now."""
    now = clock.now()
    planned = [*planned, *for_proxies(planned, proxies)]
    by_key = {(p.account_id, p.dedupe_key): p for p in planned}
    written = insert_ignoring_conflicts(Notification, [
        {"recipient_account_id": p.account_id, "rule_id": p.rule_id, "rule_version": p.rule_version,
         "category": p.category, "priority": p.priority, "title": p.title, "body": p.body, "page": p.page,
         "why": p.why, "dedupe_key": p.dedupe_key, "created_at": now} for p in by_key.values()],
        ("recipient_account_id", "dedupe_key"),
        returning=(Notification.id, Notification.recipient_account_id, Notification.dedupe_key))
    new = sorted(((row.id, by_key[(row.recipient_account_id, row.dedupe_key)]) for row in written),
                 key=lambda item: item[0])
    inbox.changed({p.account_id for _nid, p in new})  # a bulk insert: the ORM sees no row
    _plan_deliveries([(nid, p) for nid, p in new if p.message is not None], now)
    return new


def _plan_deliveries(items: list[tuple[int, Planned]], now: datetime) -> None:
    if not items:
        return
    accounts = sorted({p.account_id for _n, p in items})
    prefs = preferences_of(accounts)
    allowed: dict[str, set[int]] = {}
    planned = []  # (notification id, planned, state, reason, due, send day or None)
    for notification_id, p in sorted(items, key=lambda item: item[1].priority):
        message = p.message
        assert message is not None
        if message.template_id not in allowed:
            allowed[message.template_id] = consent.usable(accounts, message.template_id, message.kind)
        pref = prefs[p.account_id]
        if p.category in pref.disabled_categories:
            planned.append((notification_id, p, "inbox_only", "category_off", None, None))
        elif p.account_id not in allowed[message.template_id]:
            planned.append((notification_id, p, "inbox_only", "no_consent", None, None))
        else:
            due = quiet_until(pref, now)
            planned.append((notification_id, p, "pending", None, due, (due or now).astimezone(clock.local_tz()).date()))
    # The daily cap for the whole batch in one statement; slots go to the messages in priority order.
    wanted: dict[tuple[int, date], int] = {}
    for _n, p, _s, _r, _d, day in planned:
        if day is not None:
            wanted[(p.account_id, day)] = wanted.get((p.account_id, day), 0) + 1
    slots = reserve_daily_slots({key: (n, prefs[key[0]].daily_cap) for key, n in wanted.items()})
    rows, pending = [], []
    for notification_id, p, state, reason, due, day in planned:
        if day is not None:
            key = (p.account_id, day)
            if slots[key] > 0:
                slots[key] -= 1
                if due is not None:
                    state, reason = "deferred", "quiet_hours"
                else:
                    pending.append(notification_id)
            else:
                state, reason, due = "inbox_only", "daily_cap", None
        message = p.message
        assert message is not None
        rows.append({"notification_id": notification_id, "account_id": p.account_id, "rule_id": p.rule_id,
                     "channel": "wechat", "template_id": message.template_id, "template_kind": message.kind,
                     "data": message.data, "page": p.page, "state": state, "reason": reason, "attempts": 0,
                     "next_attempt_at": due, "created_at": now, "updated_at": now})
    if not pending:
        insert_rows(Delivery.__table__, rows)
        return
    # Only the pending rows' ids are needed, to enqueue them after the commit.
    by_notification = {row.notification_id: row.id for row in insert_rows(
        Delivery.__table__, rows, returning=(Delivery.id, Delivery.notification_id))}
    pending_ids = [by_notification[n] for n in pending]
    after_commit(lambda: enqueue_deliveries(pending_ids))
