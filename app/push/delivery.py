"""Sending a delivery to WeChat exactly once, and the sweep that keeps deliveries moving.

A job carries a delivery id only. It first *claims* the row — one conditional UPDATE from
``pending`` to ``sending`` with a lease, spending the consent credit in the same transaction — so
a job delivered twice (Dramatiq redelivery, the sweep, a requeue) finds nothing to claim and sends
nothing. Outcomes (WECHAT.md errcodes):
- success → ``sent`` with WeChat's msgid;
- 43101 → consent gone: recorded on the consent, ``inbox_only``;
- 47003 / 40003 / 40037 / 41030 (and other business errors) → ``failed`` with the reason;
- -1, 45009, timeouts and 5xx → back to ``pending`` with exponential backoff, at most
  ``MAX_ATTEMPTS`` (about four hours), then ``failed`` as ``retries_exhausted`` (the dead letters).
A row left ``sending`` past its lease belongs to a worker that died mid-call: WeChat may or may not
have sent it, and there is no way to ask, so it is never resent on its own — it becomes a dead
letter (``interrupted``). WeChat's own sent report settles it when one arrives (``reports``); an
operator may requeue one that never arrived.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import and_, or_, select, update

from app import clock
from app.db import after_commit, session, transactional
from app.errors import UpstreamUnavailable
from app.identity.models import Account
from app.integrations.errors import WeChatError
from app.integrations.wechat import wechat
from app.push import consent, reports
from app.push.models import Delivery
from app.queue import PUSH, actor

log = logging.getLogger("yss.push")

MAX_ATTEMPTS = 10
BASE_BACKOFF = timedelta(seconds=15)
MAX_BACKOFF = timedelta(hours=1)
LEASE = timedelta(minutes=2)  # longer than any WeChat call (HTTP timeout) plus the bookkeeping
STUCK_AFTER = timedelta(minutes=5)
SWEEP_BATCH = 5000
PERMANENT = {47003: "invalid_data", 40003: "invalid_openid", 40037: "invalid_template", 41030: "invalid_page"}
RETRYABLE = {-1, 45009}


def backoff(attempts: int) -> timedelta:
    return min(MAX_BACKOFF, BASE_BACKOFF * (2 ** max(0, attempts - 1)))


@actor(queue_name=PUSH, max_retries=0)
def deliver(delivery_id: int) -> None:
    """Claim, send, record. Retries are scheduled on the row (not by Dramatiq) so they stay bounded."""
    claimed = claim(delivery_id)
    if claimed is None:
        return
    openid, template_id, data, page, kind = claimed
    try:
        msgid = wechat().send_subscribe_message(openid=openid, template_id=template_id, data=data, page=page)
    except WeChatError as error:
        _record_failure(delivery_id, error.errcode, kind)
        return
    except UpstreamUnavailable:
        _record_failure(delivery_id, None, kind)
        return
    _mark_sent(delivery_id, msgid)


@transactional
def claim(delivery_id: int) -> tuple[str, str, dict, str | None, str] | None:
    now = clock.now()
    result = session().execute(update(Delivery).where(
        Delivery.id == delivery_id, Delivery.state == "pending",
        or_(Delivery.next_attempt_at.is_(None), Delivery.next_attempt_at <= now + timedelta(seconds=5)),
    ).values(state="sending", lease_until=now + LEASE, attempts=Delivery.attempts + 1, updated_at=now))
    if result.rowcount != 1:
        return None  # sent, failed, deferred, or another job holds it
    row = session().get(Delivery, delivery_id, populate_existing=True)
    account = session().get(Account, row.account_id)
    if account is None or account.provider != "wechat" or account.disabled_at is not None:
        _settle(row, "inbox_only", "no_wechat_account")
        return None
    if not consent.spend_credit(row.account_id, row.template_id, row.template_kind):
        _settle(row, "inbox_only", "no_consent")
        return None
    return account.provider_uid, row.template_id, dict(row.data), row.page, row.template_kind


def _settle(row: Delivery, state: str, reason: str | None) -> None:
    row.state, row.reason, row.lease_until, row.updated_at = state, reason, None, clock.now()


def _sending(delivery_id: int) -> Delivery | None:
    row = session().get(Delivery, delivery_id, populate_existing=True)
    return row if row is not None and row.state == "sending" else None


@transactional
def _mark_sent(delivery_id: int, msgid: str | None) -> None:
    row = _sending(delivery_id)
    if row is not None:
        _settle(row, "sent", None)
        row.msgid, row.sent_at = msgid, clock.now()


@transactional
def _record_failure(delivery_id: int, errcode: int | None, kind: str) -> None:
    row = _sending(delivery_id)
    if row is None:
        return
    if errcode == 43101:
        consent.consent_gone(row.account_id, row.template_id)
        _settle(row, "inbox_only", "consent_gone")
        return
    consent.refund_credit(row.account_id, row.template_id, kind)  # WeChat refused before sending
    label = "upstream_unavailable" if errcode is None else f"errcode_{errcode}"
    if errcode is not None and errcode not in RETRYABLE:
        _settle(row, "failed", f"{PERMANENT.get(errcode, 'wechat_error')}:{errcode}")
        return
    if row.attempts >= MAX_ATTEMPTS:
        _settle(row, "failed", f"retries_exhausted:{label}")
        log.warning("delivery dead-lettered", extra={"delivery_id": row.id, "reason": label})
        return
    wait = backoff(row.attempts)
    _settle(row, "pending", f"retrying:{label}")
    row.next_attempt_at = clock.now() + wait
    delivery_id = row.id
    after_commit(lambda: enqueue_deliveries([delivery_id], delay_ms=int(wait.total_seconds() * 1000)))


@actor(queue_name=PUSH, max_retries=3)
def sweep_deliveries() -> None:
    sweep()


@transactional
def sweep() -> dict[str, int]:
    """Move what the queue may have lost: due deferred rows, stuck pending rows, expired leases."""
    now = clock.now()
    s = session()
    due = list(s.scalars(select(Delivery.id).where(Delivery.state == "deferred", Delivery.next_attempt_at <= now)
                         .order_by(Delivery.id).limit(SWEEP_BATCH)))
    if due:
        s.execute(update(Delivery).where(Delivery.id.in_(due), Delivery.state == "deferred")
                  .values(state="pending", reason=None, next_attempt_at=now, updated_at=now))
    stuck_before = now - STUCK_AFTER
    stuck = list(s.scalars(select(Delivery.id).where(
        Delivery.state == "pending",
        or_(and_(Delivery.next_attempt_at.is_(None), Delivery.updated_at < stuck_before),
            Delivery.next_attempt_at < stuck_before)).order_by(Delivery.id).limit(SWEEP_BATCH)))
    if stuck:
        s.execute(update(Delivery).where(Delivery.id.in_(stuck)).values(next_attempt_at=now, updated_at=now))
    interrupted = s.execute(update(Delivery).where(Delivery.state == "sending", Delivery.lease_until < now)
                            .values(state="failed", reason="interrupted", lease_until=None, updated_at=now)).rowcount
    settled = reports.settle(now, LEASE)
    ids = due + stuck
    if ids:
        after_commit(lambda: enqueue_deliveries(ids))
    return {"deferred_due": len(due), "requeued": len(stuck), "interrupted": interrupted, "settled": settled}


def enqueue_deliveries(delivery_ids: list[int], delay_ms: int | None = None) -> None:
    for delivery_id in delivery_ids:
        deliver.send_with_options(args=(delivery_id,), delay=delay_ms)
