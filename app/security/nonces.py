"""One-time values (request nonces) remembered in the database until they expire.

A signed request carries a timestamp and a nonce; the timestamp bounds how long a captured request
could be replayed, and the nonce, spent here once, closes that window. They are kept in the
relational store, not Redis, because a Redis restart would forget them and reopen the window.
``spend`` runs inside the caller's transaction, so a request that is rolled back spends nothing;
``purge_expired`` (a periodic job) deletes what the timestamp check now refuses anyway.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import String, delete
from sqlalchemy.orm import Mapped, mapped_column

from app import clock
from app.db import Base, UTCDateTime, session, transactional
from app.queue import actor
from app.sqlutil import insert_ignoring_conflicts


class UsedNonce(Base):
    __tablename__ = "used_nonces"

    scope: Mapped[str] = mapped_column(String(80), primary_key=True)  # e.g. "intake:<authority>"
    nonce: Mapped[str] = mapped_column(String(128), primary_key=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


def spend(scope: str, nonce: str, keep_for: timedelta) -> bool:
    """Remember ``nonce`` in ``scope``; False when it was already spent (a replay)."""
    inserted = insert_ignoring_conflicts(
        UsedNonce, [{"scope": scope, "nonce": nonce, "expires_at": clock.now() + keep_for}],
        conflict=("scope", "nonce"), returning=(UsedNonce.nonce,))
    return bool(inserted)


@transactional
def purge_expired() -> int:
    return session().execute(delete(UsedNonce).where(UsedNonce.expires_at < clock.now())).rowcount


@actor(queue_name="security", max_retries=3)
def purge_expired_nonces() -> None:
    purge_expired()
