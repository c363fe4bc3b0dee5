"""Operations for staff: delivery figures per rule and state, failed deliveries and why, the dead
letters, and requeueing them.

Dead letters are deliveries that failed for a reason that may pass (retries exhausted, a send
interrupted mid-call); permanent refusals (bad data, unknown openid, a template WeChat does not
know…) are not requeued blindly, but every failure is listed with its reason in words.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select, update

from app import clock
from app.audit import log as audit_log
from app.audit.log import Actor
from app.db import after_commit, session, transactional
from app.errors import NotFound
from app.paging import Page, Window, fetch_page
from app.push.delivery import enqueue_deliveries
from app.push.models import Delivery

DEAD_LETTER = or_(Delivery.reason.like("retries_exhausted:%"), Delivery.reason == "interrupted")


@dataclass(frozen=True)
class DeliveryView:
    id: int
    notification_id: int
    rule_id: str | None
    template_id: str
    state: str
    reason: str | None
    attempts: int
    updated_at: datetime


def delivery_view(row: Delivery) -> DeliveryView:
    return DeliveryView(row.id, row.notification_id, row.rule_id, row.template_id, row.state, row.reason,
                        row.attempts, row.updated_at)


# A failed delivery's reason (``<kind>:<detail>``, app.push.delivery) in words for the console.
REASON_TEXT = {
    "invalid_template": "微信不认识这个订阅消息模板（模板未在小程序后台添加，或模板编号有误）",
    "invalid_data": "消息内容不符合模板关键词的格式",
    "invalid_openid": "微信不认识这位用户的 openid",
    "invalid_page": "消息跳转的小程序页面不存在",
    "wechat_error": "微信拒绝了这条消息",
    "retries_exhausted": "多次重试仍未发出（微信繁忙或不可达）",
    "interrupted": "发送途中中断，无法确认微信是否已发出",
}


@dataclass(frozen=True)
class FailureView:
    id: int
    notification_id: int
    account_id: int
    rule_id: str | None
    template_id: str
    reason: str
    reason_text: str
    requeueable: bool
    attempts: int
    updated_at: datetime


def failure_view(row: Delivery) -> FailureView:
    reason = row.reason or ""
    kind = reason.partition(":")[0]
    return FailureView(row.id, row.notification_id, row.account_id, row.rule_id, row.template_id, reason,
                       REASON_TEXT.get(kind, REASON_TEXT["wechat_error"]),
                       kind in ("retries_exhausted", "interrupted"), row.attempts, row.updated_at)


def failures(window: Window) -> Page[FailureView]:
    """Every failed delivery, newest first, with why it failed (the dead letters among them)."""
    query = select(Delivery).where(Delivery.state == "failed").order_by(Delivery.id.desc())
    return fetch_page(session(), query, window, failure_view)


def delivery_figures() -> list[dict]:
    rows = session().execute(select(Delivery.rule_id, Delivery.state, func.count())
                             .group_by(Delivery.rule_id, Delivery.state).order_by(Delivery.rule_id, Delivery.state))
    return [{"rule_id": rule_id or "(direct)", "state": state, "count": n} for rule_id, state, n in rows]


def dead_letters_query():
    return select(Delivery).where(Delivery.state == "failed", DEAD_LETTER).order_by(Delivery.id.desc())


def dead_letters(window: Window) -> Page[DeliveryView]:
    return fetch_page(session(), dead_letters_query(), window, delivery_view)


@transactional
def requeue(delivery_id: int, staff_id: int) -> DeliveryView:
    """Give a dead letter a fresh round of attempts (its consent is spent again on claim)."""
    now = clock.now()
    done = session().execute(update(Delivery).where(Delivery.id == delivery_id, Delivery.state == "failed", DEAD_LETTER)
                             .values(state="pending", reason="requeued", attempts=0, next_attempt_at=now,
                                     updated_at=now)).rowcount
    if done != 1:
        raise NotFound()
    audit_log.record("push.delivery_requeued", actor=Actor("staff", str(staff_id)), subject_type="delivery",
                     subject_id=str(delivery_id), details={})
    after_commit(lambda: enqueue_deliveries([delivery_id]))
    return delivery_view(session().get(Delivery, delivery_id, populate_existing=True))
