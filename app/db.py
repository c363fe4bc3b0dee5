"""The relational store: engine, the declarative base, and the one transaction boundary.

Use cases are wrapped in ``@transactional``: commit on success, roll back on error, and only
after the commit run the callbacks registered with ``after_commit`` (e.g. enqueueing a job that
carries a row id, so a job never sees a row that was rolled back).
"""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, ParamSpec, TypeVar

from sqlalchemy import DateTime, Engine, MetaData, create_engine, event
from sqlalchemy.orm import DeclarativeBase, Session, scoped_session, sessionmaker
from sqlalchemy.types import TypeDecorator

from config import get_settings

log = logging.getLogger("yss.db")

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on every backend (SQLite keeps no zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # pysqlite's own transaction handling is off so that ``_sqlite_begin`` decides how to begin.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    # A short wait for the write lock: past it "database is locked" answers 503 store_unavailable
    # fast, instead of holding the request (and a worker thread) for many seconds.
    cursor.execute(f"PRAGMA busy_timeout={int(get_settings().sqlite_busy_timeout_ms)}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


_tx_mode = threading.local()


def _reading() -> bool:
    """True outside a use case in a unit of work that asked for plain reads (``plain_reads``)."""
    return getattr(_tx_mode, "plain_reads", False) and not getattr(_tx_mode, "immediate", False)


def plain_reads() -> None:
    """Until ``remove_session``, statements outside a use case run without a transaction: no BEGIN
    and no ROLLBACK round trip, no lock. The API asks for it per request; each statement then sees
    its own snapshot (READ COMMITTED sees nothing more inside a transaction on PostgreSQL)."""
    _tx_mode.plain_reads = True


def _sqlite_begin(conn: Any) -> None:
    # A use case (``transactional``) takes SQLite's write lock up front: one that read first and
    # wrote later would otherwise fail with SQLITE_BUSY_SNAPSHOT when another connection committed
    # in between. Other reads stay deferred so they never block writers, and plain reads (the
    # driver's own autocommit, ``isolation_level = None``) begin nothing at all.
    if _reading():
        return
    immediate = getattr(_tx_mode, "immediate", False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _postgresql_begin(conn: Any) -> None:
    # psycopg sends BEGIN before the first statement unless the connection is in autocommit; the
    # flag is client-side, set on every begin so a pooled connection never carries it into a use case.
    dbapi_connection = conn.connection.dbapi_connection
    autocommit = _reading()
    if dbapi_connection.autocommit != autocommit:
        dbapi_connection.autocommit = autocommit


def build_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        timeout = get_settings().sqlite_busy_timeout_ms / 1000
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": timeout})
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    # No pre-ping (a round trip per checkout): connections are recycled after half an hour, and one
    # the server dropped (a restart) fails its first statement, which invalidates the whole pool;
    # the API then retries a read once on a fresh connection (api.YssFlask.dispatch_request).
    engine = create_engine(url, pool_size=10, max_overflow=10, pool_timeout=10, pool_recycle=1800,
                           connect_args={"connect_timeout": 3})
    event.listen(engine, "begin", _postgresql_begin)
    return engine


@functools.cache
def get_engine() -> Engine:
    settings = get_settings()
    settings.instance_path.mkdir(parents=True, exist_ok=True)
    return build_engine(settings.sqlalchemy_url)


# One session per thread; the API removes it at the end of each request, workers after each job.
Session_ = scoped_session(sessionmaker(expire_on_commit=False))
_bound = False


def session() -> Session:
    """The current unit of work's session."""
    global _bound
    if not _bound:
        Session_.configure(bind=get_engine())
        _bound = True
    return Session_()


def remove_session() -> None:
    Session_.remove()
    _tx_mode.plain_reads = False


P = ParamSpec("P")
R = TypeVar("R")


def transactional(func: Callable[P, R]) -> Callable[P, R]:
    """Commit when the outermost use case returns, roll back when it raises."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        s = session()
        depth = s.info.get("tx_depth", 0)
        if depth == 0:
            if s.in_transaction():
                s.commit()  # end the read-only transaction the caller may have started
            _tx_mode.immediate = True
        s.info["tx_depth"] = depth + 1
        try:
            result = func(*args, **kwargs)
            if depth == 0:
                s.commit()
                _run_after_commit(s)
            return result
        except BaseException:
            if depth == 0:
                s.rollback()
                s.info.pop("after_commit", None)
            raise
        finally:
            s.info["tx_depth"] = depth
            if depth == 0:
                _tx_mode.immediate = False

    return wrapper


def after_commit(callback: Callable[[], Any]) -> None:
    """Run ``callback`` once the current transaction has committed (dropped on rollback)."""
    s = session()
    if s.info.get("tx_depth", 0) == 0:
        callback()
        return
    s.info.setdefault("after_commit", []).append(callback)


def _run_after_commit(s: Session) -> None:
    from app import stores

    for callback in s.info.pop("after_commit", []):
        try:
            callback()
        except stores.STORE_ERRORS as error:
            # The write is committed: its answer must say so. What the callback did (enqueue a job
            # carrying a row id, drop a cache entry) is redone by the sweeps or expires by itself.
            if not stores.unavailable(error):
                raise
            # Only the error's type: a database error's text carries the statement and its parameters.
            cause = getattr(error, "orig", None) or error
            log.warning("after-commit step skipped, a store is unavailable", extra={"error": type(cause).__name__})
