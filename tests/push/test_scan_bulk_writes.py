"""What a scan batch writes in bulk reads back exactly as planned, on SQLite and on PostgreSQL (where
the rows travel as one JSON document): awkward text, nested JSON, NULLs, aware times; a row whose
(recipient, dedupe key) exists is skipped; the daily cap of a batch goes to the most urgent first."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from app import clock
from app.db import remove_session, session
from app.push.content import WeChatMessage
from app.push.models import DailyCount, Delivery, Notification
from app.push.notify import Planned, notified, write_notifications
from tests.support.residents import create_resident

LONG = "tmpl-service-reminder-0002"  # long-term: thing1, thing2, date3
NOON = datetime(2026, 7, 3, 4, 0, tzinfo=UTC)  # 12:00 in Asia/Shanghai
AWKWARD = ['引号"与\\反斜杠', "{大括号},逗号", "NULL", "", "emoji 🎉 and 'single'", "换行\n制表\t"]


def _planned(account_id: int, key: str, text: str, priority: int = 5, page: str | None = None) -> Planned:
    return Planned(account_id=account_id, category="certificates", title=f"标题{text}"[:40], body=f"正文{text}",
                   page=page, why={"rule": {"id": "x", "list": [1, None, text]}, "facts": {"k": text, "n": 1.5}},
                   dedupe_key=key, rule_id="id_card_expiring", rule_version=3, priority=priority,
                   message=WeChatMessage(LONG, "long_term",
                                         {"thing1": text[:20], "thing2": "说明", "date3": "2026年7月3日"}))


def test_bulk_written_notifications_and_deliveries_read_back_as_planned_and_are_written_once(person):
    first, second = person(accept={LONG: 1}), create_resident(name="李四")
    planned = [_planned(first.account_id if n % 2 else second.account_id, f"key:{n}|\"{text}\"", text,
                        page=None if n % 3 else f"pages/x?q={text}") for n, text in enumerate(AWKWARD)]
    with clock.freeze(NOON):
        written = write_notifications(planned)
        assert len(written) == len(AWKWARD)
        assert write_notifications(planned) == [], "every (recipient, dedupe key) exists: nothing written"
        assert notified({(p.account_id, p.dedupe_key) for p in planned} | {(first.account_id, "other")}) == {
            (p.account_id, p.dedupe_key) for p in planned}
    remove_session()
    rows = {n.dedupe_key: n for n in session().scalars(select(Notification))}
    deliveries = {d.notification_id: d for d in session().scalars(select(Delivery))}
    assert len(rows) == len(deliveries) == len(AWKWARD)
    for p in planned:
        row = rows[p.dedupe_key]
        assert (row.recipient_account_id, row.title, row.body, row.page, row.why, row.rule_id, row.rule_version,
                row.priority, row.created_at, row.read_at) == (
            p.account_id, p.title, p.body, p.page, p.why, p.rule_id, p.rule_version, p.priority, NOON, None)
        d = deliveries[row.id]
        assert p.message is not None
        assert (d.account_id, d.data, d.template_id, d.template_kind, d.page, d.created_at, d.next_attempt_at) == (
            p.account_id, p.message.data, LONG, "long_term", p.page, NOON, None)
        assert (d.state, d.reason) == (("pending", None) if p.account_id == first.account_id
                                       else ("inbox_only", "no_consent"))


def test_a_batch_over_the_daily_cap_gives_the_slots_to_the_most_urgent_and_counts_once(person):
    resident = person(accept={LONG: 1})
    planned = [_planned(resident.account_id, f"k{n}", f"第{n}条", priority=priority)
               for n, priority in enumerate([5, 1, 4, 2, 3])]
    with clock.freeze(NOON):
        ids = write_notifications(planned)
        [late] = write_notifications([_planned(resident.account_id, "later", "晚到", priority=1)])
    remove_session()
    by_key = {n.id: n.dedupe_key for n in session().scalars(select(Notification))}
    states = {by_key[d.notification_id]: (d.state, d.reason) for d in session().scalars(select(Delivery))}
    assert len(ids) == 5
    assert {k for k, (state, _r) in states.items() if state == "pending"} == {"k1", "k3", "k4"}, \
        "priorities 1, 2 and 3 of the batch take the three slots"
    assert states["k0"] == states["k2"] == states["later"] == ("inbox_only", "daily_cap")
    [count] = session().scalars(select(DailyCount)).all()
    assert (count.account_id, count.day.isoformat(), count.count) == (resident.account_id, "2026-07-03", 6)
    assert late in by_key
