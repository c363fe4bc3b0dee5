"""My notifications: the list (newest first), the unread count, marking read."""

from __future__ import annotations

from sqlalchemy import func, select, update

from app import clock
from app.db import session, transactional
from app.errors import NotFound
from app.push.models import Notification


def my_notifications_query(account_id: int, unread_only: bool = False):
    stmt = select(Notification).where(Notification.recipient_account_id == account_id)
    if unread_only:
        stmt = stmt.where(Notification.read_at.is_(None))
    return stmt.order_by(Notification.id.desc())


def list_notifications(account_id: int, *, unread_only: bool, offset: int, limit: int) -> tuple[list, int]:
    stmt = my_notifications_query(account_id, unread_only)
    total = session().scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    return list(session().scalars(stmt.offset(offset).limit(limit))), total


def unread_count(account_id: int) -> int:
    return session().scalar(select(func.count()).where(
        Notification.recipient_account_id == account_id, Notification.read_at.is_(None))) or 0


@transactional
def mark_read(account_id: int, notification_id: int) -> Notification:
    row = session().get(Notification, notification_id)
    if row is None or row.recipient_account_id != account_id:
        raise NotFound()
    if row.read_at is None:
        row.read_at = clock.now()
    return row


@transactional
def mark_all_read(account_id: int) -> int:
    return session().execute(update(Notification).where(
        Notification.recipient_account_id == account_id, Notification.read_at.is_(None),
    ).values(read_at=clock.now())).rowcount
