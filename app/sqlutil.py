"""INSERT … ON CONFLICT DO NOTHING on both backends (SQLite and PostgreSQL share the syntax)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite

from app.db import session


def insert_ignoring_conflicts(model: type, rows: list[dict[str, Any]], conflict: Sequence[str],
                              returning: Sequence[Any] = ()) -> list[Any]:
    """Insert ``rows``; those clashing on the unique ``conflict`` columns are skipped.

    Returns the ``returning`` columns of the rows actually inserted (none for skipped ones), which is
    how callers learn what they wrote exactly once.
    """
    if not rows:
        return []
    dialect = session().get_bind().dialect.name
    make = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = make(model).values(rows).on_conflict_do_nothing(index_elements=list(conflict))
    if returning:
        return list(session().execute(stmt.returning(*returning)).all())
    session().execute(stmt)
    return []
