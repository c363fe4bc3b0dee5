"""INSERT … ON CONFLICT on both backends (SQLite and PostgreSQL share the syntax), and the bulk
forms a population scan writes with.

On PostgreSQL a many-row write is one statement with one parameter: the rows as one JSON document
(``INSERT … SELECT … FROM json_populate_recordset(NULL::table, :rows)``), and a long IN list one
array (``col = ANY(:ids)``). The statement text is the same for 1 row or 1,000, so SQLAlchemy
compiles it once and psycopg parses it once, where a VALUES list or an IN list of thousands of
parameters is rebuilt and re-parsed on every call (most of a scan batch's driver time); and the
rows are serialized by ``json.dumps`` in C, not escaped value by value as array literals.
SQLite keeps the portable forms (executemany, IN lists).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Collection, Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    ColumnElement,
    Table,
    Text,
    TypeDecorator,
    any_,
    bindparam,
    cast,
    column,
    func,
    literal_column,
    select,
    tuple_,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.dialects.postgresql import ARRAY

from app.db import UTCDateTime, session


def _dialect() -> str:
    return session().get_bind().dialect.name


def _insert(model: type):
    return (postgresql.insert if _dialect() == "postgresql" else sqlite.insert)(model)


def _table(model: Any) -> Table:
    return model if isinstance(model, Table) else model.__table__


def _records(table: Table, names: tuple[str, ...]):
    """``SELECT a, b, … FROM json_populate_recordset(NULL::table, :rows)``: the rows as one JSON array."""
    rows = func.json_populate_recordset(literal_column(f"NULL::{table.name}"),
                                        cast(bindparam("rows", type_=Text), JSON)).table_valued(*names, name="rows")
    return select(*[rows.c[name] for name in names])


def _json_value(value: Any) -> str:
    if isinstance(value, datetime):  # what UTCDateTime binds on PostgreSQL: aware, in UTC
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"cannot bulk-insert a {type(value).__name__}")


@functools.cache
def _bind_processors(table: Table, names: tuple[str, ...]) -> tuple[tuple[str, Any], ...]:
    """What any other TypeDecorator does to a value before it is bound (UTCDateTime's is ``_json_value``)."""
    dialect = postgresql.dialect()
    return tuple((name, functools.partial(table.c[name].type.process_bind_param, dialect=dialect))
                 for name in names if isinstance(table.c[name].type, TypeDecorator)
                 and not isinstance(table.c[name].type, UTCDateTime))


def _rows_json(table: Table, rows: list[dict[str, Any]]) -> dict[str, str]:
    processors = _bind_processors(table, tuple(rows[0]))
    if processors:
        rows = [{**row, **{name: process(row[name]) for name, process in processors}} for row in rows]
    return {"rows": json.dumps(rows, default=_json_value, separators=(",", ":"))}


@functools.cache
def _ignoring(model: type, conflict: tuple[str, ...], returning: tuple[Any, ...], dialect: str,
              names: tuple[str, ...]):
    if dialect == "postgresql":  # on the Table: Core, not an ORM bulk insert, takes one set of arrays
        stmt = postgresql.insert(_table(model)).from_select(list(names), _records(_table(model), names))
    else:
        # One statement object per shape, executed with many parameter sets: SQLAlchemy compiles it
        # once (its compiled cache) and batches the rows itself ("insertmanyvalues"), RETURNING included.
        stmt = sqlite.insert(model)
    stmt = stmt.on_conflict_do_nothing(index_elements=list(conflict))
    return stmt.returning(*returning) if returning else stmt


def insert_ignoring_conflicts(model: type, rows: list[dict[str, Any]], conflict: Sequence[str],
                              returning: Sequence[Any] = ()) -> list[Any]:
    """Insert ``rows`` (dicts with the same keys); those clashing on the unique ``conflict`` columns are skipped.

    Returns the ``returning`` columns of the rows actually inserted (none for skipped ones), which is
    how callers learn what they wrote exactly once.
    """
    if not rows:
        return []
    dialect = _dialect()
    stmt = _ignoring(model, tuple(conflict), tuple(returning), dialect, tuple(rows[0]))
    params: Any = _rows_json(_table(model), rows) if dialect == "postgresql" else rows
    if returning:
        return list(session().execute(stmt, params).all())
    session().execute(stmt, params)
    return []


@functools.cache
def _inserting(table: Table, returning: tuple[Any, ...], dialect: str, names: tuple[str, ...]):
    stmt = postgresql.insert(table).from_select(list(names), _records(table, names)) if dialect == "postgresql" \
        else table.insert()
    return stmt.returning(*returning) if returning else stmt


def insert_rows(table: Table, rows: list[dict[str, Any]], returning: Sequence[Any] = ()) -> list[Any]:
    """Insert ``rows`` (dicts with the same keys) in one statement; their ``returning`` columns."""
    if not rows:
        return []
    dialect = _dialect()
    stmt = _inserting(table, tuple(returning), dialect, tuple(rows[0]))
    result = session().execute(stmt, _rows_json(table, rows) if dialect == "postgresql" else rows)
    return list(result.all()) if returning else []


@functools.cache
def _adding(model: type, conflict: tuple[str, ...], column: str, returning: tuple[Any, ...],
            names: tuple[str, ...]):
    table = _table(model)
    stmt = postgresql.insert(table).from_select(list(names), _records(table, names))
    stmt = stmt.on_conflict_do_update(index_elements=list(conflict),
                                      set_={column: table.c[column] + getattr(stmt.excluded, column)})
    return stmt.returning(*returning)


def add_counts(model: type, rows: list[dict[str, Any]], conflict: Sequence[str], column: str,
               returning: Sequence[Any]) -> list[Any]:
    """Insert ``rows`` or add their ``column`` to the existing row's, in one statement; the new values.

    Rows are sorted by their conflict key so that two writers lock the same rows in the same order.
    """
    if not rows:
        return []
    rows = sorted(rows, key=lambda r: tuple(r[c] for c in conflict))
    if _dialect() == "postgresql":
        stmt = _adding(model, tuple(conflict), column, tuple(returning), tuple(rows[0]))
        return list(session().execute(stmt, _rows_json(_table(model), rows)).all())
    stmt = _insert(model).values(rows)
    stmt = stmt.on_conflict_do_update(index_elements=list(conflict),
                                      set_={column: getattr(model, column) + getattr(stmt.excluded, column)})
    return list(session().execute(stmt.returning(*returning)).all())


def among(column: Any, values: Collection[Any]) -> ColumnElement[bool]:
    """``column IN values``: on PostgreSQL ``column = ANY(:array)``, one parameter however many values.

    Integers travel as one array literal (``'{1,2,3}'``, joined in C) rather than element by element
    through the driver's array dumper."""
    values = list(values)
    if _dialect() != "postgresql":
        return column.in_(values)
    array = ARRAY(column.type)
    if all(type(v) is int for v in values):
        return column == any_(cast(bindparam(None, "{" + ",".join(map(str, values)) + "}", type_=Text), array))
    return column == any_(cast(bindparam(None, values, type_=array), array))


def among_pairs(first: Any, second: Any, pairs: Collection[tuple[Any, Any]]) -> ColumnElement[bool]:
    """``(first, second) IN pairs``: on PostgreSQL against one JSON parameter (``json_to_recordset``),
    one statement text however many pairs, with no per-value escaping by the driver."""
    ordered = sorted(pairs)
    if _dialect() != "postgresql":
        return tuple_(first, second).in_(ordered)
    rows = json.dumps([{"a": a, "b": b} for a, b in ordered], separators=(",", ":"))
    wanted = func.json_to_recordset(cast(bindparam(None, rows, type_=Text), JSON)).table_valued(
        column("a", first.type), column("b", second.type), name="wanted").render_derived(with_types=True)
    return tuple_(first, second).in_(select(wanted.c.a, wanted.c.b))
