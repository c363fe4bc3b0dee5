"""The one pager: every list a use case returns is a ``Page`` of frozen views for a ``Window``.

The API turns flask-smorest's pagination parameters into a ``Window`` and a ``Page`` back into the
items and the ``X-Pagination`` header (``api.blueprint.paged``); workers and the CLI use the same
calls. The total is counted only when it is not already known from a short first page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

T = TypeVar("T")


@dataclass(frozen=True)
class Window:
    offset: int = 0
    limit: int = 10


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    total: int


def fetch_page(session: Session, statement: Select, window: Window, view: Callable[[Any], T],
               params: dict[str, Any] | None = None) -> Page[T]:
    """Run ``statement`` (ordered, unpaged; ``params`` for its bound parameters) for one window;
    ``view`` turns each row into its view."""
    rows = session.execute(statement.offset(window.offset).limit(window.limit), params).all()
    if len(rows) < window.limit and (rows or window.offset == 0):
        total = window.offset + len(rows)  # a short page ends the list: no count needed
    else:
        counted = select(func.count()).select_from(statement.order_by(None).subquery())
        total = session.execute(counted, params).scalar_one()
    return Page([view(row[0] if len(row) == 1 else row) for row in rows], total)


def page_of(items: list[T], window: Window) -> Page[T]:
    """A window over a list already in memory (small, bounded lists only)."""
    return Page(items[window.offset:window.offset + window.limit], len(items))
