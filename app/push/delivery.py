"""Sending a delivery to WeChat exactly once, and the sweep that keeps deliveries moving.

A job carries a delivery id only. It first *claims* the row — one conditional UPDATE from
``pending`` to ``sending`` with a lease, spending the consent credit in the same transaction — so
a job delivered twice (Dramatiq redelivery, the sweep, a requeue) finds nothing to claim and sends
nothing. Outcomes (WECHAT.md errcodes):
- success → ``sent`` with WeChat's msgid;
- 43101 → consent gone: recorded on the consent, ``inbox_only``;
- 47003 / 40003 / 40037 / 41030 (and other business errors) → ``failed`` with the reason;
- -1, 45009, no connection and 5xx → back to ``pending`` with exponential backoff, at most
  ``MAX_ATTEMPTS`` (about four hours), then ``failed`` as ``retries_exhausted`` (the dead letters);
- a call that may have been sent — the answer timed out, the connection dropped after the request
  was written (``UpstreamInterrupted``) — → ``failed`` as ``interrupted`` at once, never retried.
A row left ``sending`` past its lease belongs to a worker that died mid-call: the same doubt, the
same dead letter (``interrupted``), from the sweep. WeChat may or may not have sent either, and
there is no way to ask, so neither is resent on its own; WeChat's own sent report settles it when
one arrives (``reports``); an operator may requeue one that never arrived.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import and_, bindparam, or_, select, update

from app import clock
from app.db import after_commit, session, transactional
from app.errors import UpstreamUnavailable
from app.identity.models import Account
from app.integrations.errors import UpstreamInterrupted, WeChatError
from app.integrations.wechat import wechat
from app.push import consent, reports
from app.push.models import Delivery
from app.queue import DELIVERY, PUSH, actor, send_many
from config import get_settings

log = logging.getLogger("yss.push")

MAX_ATTEMPTS = 10
BASE_BACKOFF = timedelta(seconds=15)
MAX_BACKOFF = timedelta(hours=1)
LEASE = timedelta(minutes=2)  # longer than any WeChat call (HTTP timeout) plus the bookkeeping
STUCK_AFTER = timedelta(minutes=5)
SWEEP_BATCH = 5000
# Deliveries per job: one claim and one record per batch. A worker killed mid-batch leaves at most this
# many rows per thread ``sending`` (interrupted dead letters, settled by WeChat's sent reports; those
# never sent wait for an operator). 100 rather than 10: the claim, the record and Dramatiq's own cost
# per job come to ~60 µs a message instead of ~500 (bench/RESULTS.md, push-delivery).
BATCH = 100
PERMANENT = {47003: "invalid_data", 40003: "invalid_openid", 40037: "invalid_template", 41030: "invalid_page"}
RETRYABLE = {-1, 45009}


def backoff(attempts: int) -> timedelta:
    return min(MAX_BACKOFF, BASE_BACKOFF * (2 ** max(0, attempts - 1)))


@dataclass(frozen=True)
class Claimed:
    delivery_id: int
    openid: str
    template_id: str
    data: dict
    page: str | None
    kind: str
    account_id: int


# A job that fails (the database busy, say) is retried soon: safe, because a retry claims only rows
# still ``pending`` — whatever the first run claimed or sent it leaves alone.
RETRY = {"max_retries": 3, "min_backoff": 500, "max_backoff": 5000}


@actor(queue_name=DELIVERY, **RETRY)
def deliver(delivery_id: int) -> None:
    """One delivery (jobs enqueued before batches existed, an operator's requeue)."""
    deliver_many([delivery_id])


@actor(queue_name=DELIVERY, **RETRY)
def deliver_batch(delivery_ids: list[int]) -> None:
    deliver_many(delivery_ids)


def deliver_many(delivery_ids: list[int]) -> None:
    """Claim, send, record. Sends are retried on the row (not by Dramatiq) so they stay bounded.

    One transaction claims the batch and one records it; the sends between go out one after another
    on the process's keep-alive connections, with one access_token read for the batch. When WeChat
    is unreachable, or a send's fate is unknown, the rest of the batch is not tried (each would wait
    out the timeout, past the lease): those rows go back with a backoff. Sends stop early enough that
    the last one ends inside the lease, so the sweep never calls a send in progress interrupted; the
    rows not reached go back to the queue as they were.
    """
    claims = claim_batch(delivery_ids)
    if not claims:
        return
    client = wechat()
    # The worst a send can take: a token fetch and the send, twice (one token refresh), each up to the timeout.
    stop_at = time.monotonic() + LEASE.total_seconds() - 4 * get_settings().http_timeout_seconds
    outcome = Outcome()
    with client.reusing_token():
        for n, claimed in enumerate(claims):
            if time.monotonic() > stop_at:
                outcome.untried += claims[n:]
                break
            try:
                msgid = client.send_subscribe_message(openid=claimed.openid, template_id=claimed.template_id,
                                                      data=claimed.data, page=claimed.page)
            except WeChatError as error:
                outcome.failed.append((claimed.delivery_id, error.errcode, claimed.kind))
                continue
            except UpstreamInterrupted:
                outcome.interrupted.append(claimed.delivery_id)
                outcome.failed += [(c.delivery_id, None, c.kind) for c in claims[n + 1:]]
                break
            except UpstreamUnavailable:
                outcome.failed += [(c.delivery_id, None, c.kind) for c in claims[n:]]
                break
            outcome.sent.append((claimed.delivery_id, msgid))
    _record(outcome)


@dataclass
class Outcome:
    """What a batch's sends came to, for ``_record``."""

    sent: list[tuple[int, str | None]] = field(default_factory=list)
    failed: list[tuple[int, int | None, str]] = field(default_factory=list)  # (id, errcode or None, kind)
    interrupted: list[int] = field(default_factory=list)  # may have been sent: never resent on its own
    untried: list[Claimed] = field(default_factory=list)  # not reached before the lease ran short


def claim(delivery_id: int) -> tuple[str, str, dict, str | None, str] | None:
    """Claim one delivery: (openid, template, data, page, kind), or None when there is nothing to send."""
    claims = claim_batch([delivery_id])
    return (claims[0].openid, claims[0].template_id, claims[0].data, claims[0].page, claims[0].kind) if claims \
        else None


@transactional
def claim_batch(delivery_ids: list[int]) -> list[Claimed]:
    """Move the due ``pending`` rows among ``delivery_ids`` to ``sending`` with a lease, in one UPDATE,
    and spend their consent; those without a WeChat account or consent settle as ``inbox_only``."""
    now = clock.now()
    s = session()
    rows = s.execute(update(Delivery).where(
        Delivery.id.in_(delivery_ids), Delivery.state == "pending",
        or_(Delivery.next_attempt_at.is_(None), Delivery.next_attempt_at <= now + timedelta(seconds=5)),
    ).values(state="sending", lease_until=now + LEASE, attempts=Delivery.attempts + 1, updated_at=now)
        .returning(Delivery.id, Delivery.account_id, Delivery.template_id, Delivery.template_kind, Delivery.data,
                   Delivery.page).execution_options(synchronize_session=False)).all()
    if not rows:
        return []  # sent, failed, deferred, or another job holds them
    accounts = {a.id: a for a in s.execute(
        select(Account.id, Account.provider, Account.provider_uid, Account.disabled_at)
        .where(Account.id.in_({r.account_id for r in rows})))}
    standing = consent.standing({(r.account_id, r.template_id) for r in rows if r.template_kind != "one_time"})
    claims, settled = [], {}
    for row in sorted(rows, key=lambda r: r.id):
        account = accounts.get(row.account_id)
        if account is None or account.provider != "wechat" or account.disabled_at is not None:
            settled.setdefault("no_wechat_account", []).append(row.id)
        elif not ((row.account_id, row.template_id) in standing if row.template_kind != "one_time"
                  else consent.spend_credit(row.account_id, row.template_id, row.template_kind)):
            settled.setdefault("no_consent", []).append(row.id)
        else:
            claims.append(Claimed(row.id, account.provider_uid, row.template_id, dict(row.data), row.page,
                                  row.template_kind, row.account_id))
    for reason, ids in settled.items():
        s.execute(update(Delivery).where(Delivery.id.in_(ids)).values(state="inbox_only", reason=reason,
                                                                       lease_until=None, updated_at=now)
                  .execution_options(synchronize_session=False))
    return claims


def _settle(row: Delivery, state: str, reason: str | None) -> None:
    row.state, row.reason, row.lease_until, row.updated_at = state, reason, None, clock.now()


def _sending(delivery_id: int) -> Delivery | None:
    row = session().get(Delivery, delivery_id, populate_existing=True)
    return row if row is not None and row.state == "sending" else None


_MARK_SENT = Delivery.__table__.update().where(
    Delivery.__table__.c.id == bindparam("delivery_id"), Delivery.__table__.c.state == "sending",
).values(state="sent", reason=None, lease_until=None, msgid=bindparam("sent_msgid"), sent_at=bindparam("at"),
         updated_at=bindparam("at"))


_BACK_UNTRIED = Delivery.__table__.update().where(
    Delivery.__table__.c.id == bindparam("delivery_id"), Delivery.__table__.c.state == "sending",
).values(state="pending", lease_until=None, attempts=Delivery.__table__.c.attempts - 1, next_attempt_at=bindparam("at"),
         updated_at=bindparam("at"))


@transactional
def _record(outcome: Outcome) -> None:
    """What the batch's sends came to, in one transaction (the sent rows in one executemany)."""
    now = clock.now()
    s = session()
    if outcome.sent:
        s.execute(_MARK_SENT, [{"delivery_id": d, "sent_msgid": m, "at": now} for d, m in outcome.sent])
    if outcome.interrupted:
        # The consent stays spent: the message may have gone out.
        s.execute(update(Delivery).where(Delivery.id.in_(outcome.interrupted), Delivery.state == "sending")
                  .values(state="failed", reason="interrupted", lease_until=None, updated_at=now)
                  .execution_options(synchronize_session=False))
        log.warning("delivery interrupted mid-call", extra={"delivery_ids": outcome.interrupted})
    for delivery_id, errcode, kind in outcome.failed:
        _record_failure(delivery_id, errcode, kind)
    if outcome.untried:  # as they were before the claim: the attempt and the credit given back
        s.execute(_BACK_UNTRIED, [{"delivery_id": c.delivery_id, "at": now} for c in outcome.untried])
        for c in outcome.untried:
            consent.refund_credit(c.account_id, c.template_id, c.kind)
        untried = [c.delivery_id for c in outcome.untried]
        after_commit(lambda: enqueue_deliveries(untried))


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
    """One job per ``BATCH`` deliveries, all enqueued in one Redis round trip."""
    ids = list(delivery_ids)
    send_many(deliver_batch, [(ids[i:i + BATCH],) for i in range(0, len(ids), BATCH)], delay_ms)
