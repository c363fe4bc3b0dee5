"""My notifications: the list (newest first), the unread count, marking read.

The inbox is a hot read, so its answers are cached per account (``app.readcache``, owner
``inbox_owner``): every change to an account's notifications invalidates them after its commit —
ORM changes through the session event below, the bulk statements (``write_notifications``,
``mark_all_read``) by saying so.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, event, func, select, update
from sqlalchemy.orm import Session

from app import clock, readcache
from app.db import session, transactional
from app.errors import NotFound
from app.paging import Page, Window, fetch_page
from app.push.models import Notification
from app.push.why import explain


def inbox_owner(account_id: int) -> str:
    return f"inbox:{account_id}"


def changed(account_ids: Iterable[int]) -> None:
    """These accounts' notifications change in the current transaction (a bulk statement)."""
    readcache.changed_after_commit(session(), {inbox_owner(a) for a in account_ids})


@event.listens_for(Session, "after_flush")
def _changed_rows(flushed: Session, _context: Any) -> None:
    owners = {inbox_owner(obj.recipient_account_id) for obj in (*flushed.new, *flushed.dirty, *flushed.deleted)
              if isinstance(obj, Notification)}
    if owners:
        readcache.changed_after_commit(flushed, owners)


@dataclass(frozen=True)
class NotificationView:
    id: int
    category: str
    title: str
    body: str
    page: str | None
    rule_id: str | None
    created_at: datetime
    read_at: datetime | None
    why: dict[str, Any]


# What a view shows, selected as plain columns: a list page builds no ORM objects.
VIEW_COLUMNS = (Notification.id, Notification.category, Notification.title, Notification.body, Notification.page,
                Notification.rule_id, Notification.created_at, Notification.read_at, Notification.why)


def notification_view(row: Notification) -> NotificationView:
    return NotificationView(row.id, row.category, row.title, row.body, row.page, row.rule_id, row.created_at,
                            row.read_at, {**(row.why if isinstance(row.why, dict) else {}), **explain(row.why)})


# Built once, bound per request: ``account_id``.
_MINE = select(*VIEW_COLUMNS).where(Notification.recipient_account_id == bindparam("account_id"))
_LISTS = {False: _MINE.order_by(Notification.id.desc()),
          True: _MINE.where(Notification.read_at.is_(None)).order_by(Notification.id.desc())}


def list_notifications(account_id: int, *, unread_only: bool, window: Window) -> Page[NotificationView]:
    return fetch_page(session(), _LISTS[unread_only], window, notification_view, {"account_id": account_id})


def unread_count(account_id: int) -> int:
    return session().scalar(select(func.count()).where(
        Notification.recipient_account_id == account_id, Notification.read_at.is_(None))) or 0


@transactional
def mark_read(account_id: int, notification_id: int) -> NotificationView:
    row = session().get(Notification, notification_id)
    if row is None or row.recipient_account_id != account_id:
        raise NotFound()
    if row.read_at is None:
        row.read_at = clock.now()
    return notification_view(row)


@transactional
def mark_all_read(account_id: int) -> int:
    changed([account_id])
    return session().execute(update(Notification).where(
        Notification.recipient_account_id == account_id, Notification.read_at.is_(None),
    ).values(read_at=clock.now())).rowcount
