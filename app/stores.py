"""When a store is out of reach: which errors mean it, and a check before an irreversible step.

The database or Redis being down (or SQLite locked past its short busy wait) is not a bug: the API
answers ``StoreUnavailable`` (503 ``store_unavailable`` with ``Retry-After``), workers retry, and
everything recovers by itself once the store is back. Other database errors stay what they are.
"""

from __future__ import annotations

import sqlite3

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, DisconnectionError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from app.db import get_engine
from app.errors import StoreUnavailable
from app.redis_store import REDIS_UNAVAILABLE, get_redis

# The exception types that can mean "a store is out of reach"; ``unavailable`` decides each one.
STORE_ERRORS: tuple[type[BaseException], ...] = (*REDIS_UNAVAILABLE, DBAPIError, DisconnectionError, PoolTimeout)

_SQLITE_UNAVAILABLE = ("database is locked", "database table is locked", "unable to open database",
                       "disk i/o error")


def unavailable(error: BaseException) -> bool:
    if isinstance(error, (*REDIS_UNAVAILABLE, DisconnectionError, PoolTimeout)):
        return True
    if not isinstance(error, DBAPIError):
        return False
    if error.connection_invalidated:
        return True
    original = error.orig
    if isinstance(original, sqlite3.OperationalError):
        return any(text_ in str(original).lower() for text_ in _SQLITE_UNAVAILABLE)
    try:
        import psycopg
    except ImportError:  # pragma: no cover - psycopg is a requirement
        return False
    # OperationalError is psycopg's "the server or the connection failed" (refused, shut down, lost).
    return isinstance(original, psycopg.OperationalError)


def require_database_and_redis() -> None:
    """Raise ``StoreUnavailable`` unless both stores answer now: call it before an outside step that
    cannot be undone (a WeChat login code is spent by its first use)."""
    try:
        with get_engine().connect() as conn:
            conn.execute(text("SELECT 1"))
        get_redis().ping()
    except STORE_ERRORS as error:
        if unavailable(error):
            raise StoreUnavailable() from error
        raise
