"""Settling sends cut off mid-call, from WeChat's own reports (``subscribe_msg_sent_event``).

A delivery whose worker died during the WeChat call becomes an ``interrupted`` dead letter: we
cannot ask WeChat whether it went out. WeChat does push a report for each subscribe message it
sends (MsgID, TemplateId, ErrorCode, ErrorStatus). Each report is kept once per MsgID (WeChat may
push it again), and the delivery sweep matches it:

1. to the delivery that recorded the same msgid (our own response arrived: nothing to settle);
2. otherwise, once it is older than a send's lease (so a send still in flight has had time to record
   its msgid), to the ``interrupted`` deliveries of the same account and template: those become
   ``sent`` (ErrorCode 0) or ``failed`` with WeChat's status.

A report names no content, so it settles a group of interrupted sends of one template to one person
only when the reports account for every send in the group with one outcome (one interrupted send and
its report; or all of them arrived). When only some of several arrived, no one can tell which:
the group stays in the dead letters, for an operator, rather than marking the wrong message sent.
A report that matches nothing within a day (a message sent from elsewhere) is left alone, and every
report is deleted after ``KEEP_FOR``: by then its delivery carries the msgid.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, select, update

from app import clock
from app.db import session, transactional
from app.identity.accounts import find_by_openid
from app.push.models import Delivery, SentReport
from app.sqlutil import insert_ignoring_conflicts

MATCH_FOR = timedelta(days=1)
KEEP_FOR = timedelta(days=7)
CLOCK_SLACK = timedelta(minutes=1)  # WeChat's CreateTime against our clock
BATCH = 1000


def _reported_at(create_time: Any, now: datetime) -> datetime:
    try:
        return datetime.fromtimestamp(int(create_time), UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return now


@transactional
def record(openid: str, items: list[dict[str, Any]], create_time: Any) -> int:
    """Keep WeChat's sent reports for one of our accounts; returns how many were new."""
    account = find_by_openid(openid)
    if account is None:
        return 0
    account_id, now = account.id, clock.now()
    reported_at = _reported_at(create_time, now)
    rows = []
    for item in items:
        msgid, template_id = str(item.get("MsgID", "")).strip(), str(item.get("TemplateId", "")).strip()
        try:
            code = int(item.get("ErrorCode", 0))
        except (TypeError, ValueError):
            continue
        if not msgid or len(msgid) > 64 or not template_id or len(template_id) > 128 or abs(code) > 2**31 - 1:
            continue
        rows.append({"msgid": msgid, "account_id": account_id, "template_id": template_id, "error_code": code,
                     "error_status": str(item.get("ErrorStatus", "success"))[:64], "reported_at": reported_at,
                     "received_at": now, "delivery_id": None})
    return len(insert_ignoring_conflicts(SentReport, rows, ("msgid",), returning=(SentReport.id,)))


def settle(now: datetime, lease: timedelta) -> int:
    """Match recent reports to deliveries (inside the sweep's transaction); returns how many
    interrupted deliveries a report settled."""
    s = session()
    s.execute(delete(SentReport).where(SentReport.received_at < now - KEEP_FOR))
    recent = (SentReport.delivery_id.is_(None), SentReport.received_at >= now - MATCH_FOR)
    s.execute(update(SentReport).where(*recent).values(delivery_id=select(Delivery.id).where(
        Delivery.msgid == SentReport.msgid).order_by(Delivery.id).limit(1).scalar_subquery()))
    groups: dict[tuple[int, str], list[SentReport]] = defaultdict(list)
    for report in s.scalars(select(SentReport).where(*recent, SentReport.received_at < now - lease)
                            .order_by(SentReport.id).limit(BATCH)):
        groups[(report.account_id, report.template_id)].append(report)
    settled = 0
    for (account_id, template_id), group in groups.items():
        rows = list(s.scalars(select(Delivery).where(
            Delivery.account_id == account_id, Delivery.template_id == template_id, Delivery.state == "failed",
            Delivery.reason == "interrupted", Delivery.msgid.is_(None),
            Delivery.created_at <= max(r.reported_at for r in group) + CLOCK_SLACK).order_by(Delivery.id)))
        outcomes = {r.error_code for r in group}
        if not rows or len(group) < len(rows) or (len(rows) > 1 and len(outcomes) > 1):
            continue  # nothing to settle, or reports that cannot say which message they are about
        for row, report in zip(rows, group, strict=False):
            if report.error_code == 0:
                row.state, row.reason, row.sent_at = "sent", "reported", report.reported_at
            else:
                row.state, row.reason = "failed", f"reported:{report.error_status}"
            row.msgid, row.lease_until, row.updated_at = report.msgid, None, now
            report.delivery_id = row.id
            settled += 1
    return settled
