"""INSERT … ON CONFLICT on both backends (SQLite and PostgreSQL share the syntax)."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite

from app.db import session


def _insert(model: type):
    return (postgresql.insert if session().get_bind().dialect.name == "postgresql" else sqlite.insert)(model)


@functools.cache
def _ignoring(model: type, conflict: tuple[str, ...], returning: tuple[Any, ...], dialect: str):
    # One statement object per shape, executed with many parameter sets: SQLAlchemy compiles it once
    # (its compiled cache) and batches the rows itself ("insertmanyvalues"), RETURNING included.
    make = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = make(model).on_conflict_do_nothing(index_elements=list(conflict))
    return stmt.returning(*returning) if returning else stmt


def insert_ignoring_conflicts(model: type, rows: list[dict[str, Any]], conflict: Sequence[str],
                              returning: Sequence[Any] = ()) -> list[Any]:
    """Insert ``rows``; those clashing on the unique ``conflict`` columns are skipped.

    Returns the ``returning`` columns of the rows actually inserted (none for skipped ones), which is
    how callers learn what they wrote exactly once.
    """
    if not rows:
        return []
    stmt = _ignoring(model, tuple(conflict), tuple(returning), session().get_bind().dialect.name)
    if returning:
        return list(session().execute(stmt, rows).all())
    session().execute(stmt, rows)
    return []


def add_counts(model: type, rows: list[dict[str, Any]], conflict: Sequence[str], column: str,
               returning: Sequence[Any]) -> list[Any]:
    """Insert ``rows`` or add their ``column`` to the existing row's, in one statement; the new values.

    Rows are sorted by their conflict key so that two writers lock the same rows in the same order.
    """
    if not rows:
        return []
    rows = sorted(rows, key=lambda r: tuple(r[c] for c in conflict))
    stmt = _insert(model).values(rows)
    stmt = stmt.on_conflict_do_update(index_elements=list(conflict),
                                      set_={column: getattr(model, column) + getattr(stmt.excluded, column)})
    return list(session().execute(stmt.returning(*returning)).all())
