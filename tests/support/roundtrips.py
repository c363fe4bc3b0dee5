"""Counting what a request sends to the stores: SQL statements (and how many ran inside a
transaction), and Redis round trips with the commands they carried.

SQL is counted with SQLAlchemy's cursor events on the real engine. A statement "in a transaction"
is one the driver runs inside BEGIN … COMMIT/ROLLBACK: on SQLite an explicit BEGIN was issued, on
PostgreSQL the connection is not in autocommit (psycopg then sends BEGIN before it, and a ROLLBACK
or COMMIT after). Redis is counted by wrapping redis-py's single commands and its packing of several commands into
one write (a pipeline's, or ``redis_store.exchange``'s).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import redis
from redis.connection import AbstractConnection
from sqlalchemy import event

from app.db import get_engine


@dataclass
class RoundTrips:
    sql: list[str] = field(default_factory=list)
    sql_in_transaction: int = 0
    redis: list[list[str]] = field(default_factory=list)  # one entry per round trip: its commands

    @property
    def redis_commands(self) -> int:
        return sum(len(trip) for trip in self.redis)


def _in_transaction(dbapi_connection: Any) -> bool:
    autocommit = getattr(dbapi_connection, "autocommit", None)
    if isinstance(autocommit, bool):  # psycopg
        return not autocommit
    return bool(dbapi_connection.in_transaction)  # sqlite3: True once BEGIN ran


@contextlib.contextmanager
def counting() -> Iterator[RoundTrips]:
    trips = RoundTrips()
    engine = get_engine()

    def before(conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        trips.sql.append(statement)
        if statement.strip().upper().startswith("BEGIN") or _in_transaction(conn.connection.dbapi_connection):
            trips.sql_in_transaction += 1

    single, batch = redis.Redis.execute_command, AbstractConnection.pack_commands

    def execute_command(self: redis.Redis, *args: Any, **kwargs: Any) -> Any:
        trips.redis.append([str(args[0])])
        return single(self, *args, **kwargs)

    def pack_commands(self: AbstractConnection, commands: Any) -> Any:
        commands = list(commands)  # a transaction's list carries its MULTI and EXEC
        trips.redis.append([str(command[0]) for command in commands])
        return batch(self, commands)

    event.listen(engine, "before_cursor_execute", before)
    redis.Redis.execute_command, AbstractConnection.pack_commands = execute_command, pack_commands  # type: ignore[method-assign]
    try:
        yield trips
    finally:
        redis.Redis.execute_command, AbstractConnection.pack_commands = single, batch  # type: ignore[method-assign]
        event.remove(engine, "before_cursor_execute", before)
