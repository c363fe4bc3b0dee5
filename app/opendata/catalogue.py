"""Reading the open-data catalogue and downloads: what the public endpoints return."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from app.db import session
from app.opendata.datasets import COUNT, FIGURE, LICENCE
from app.opendata.errors import DatasetNotFound
from app.opendata.models import PublishedDataset, PublishedRow
from app.opendata.negative_list import negative_list
from app.opendata.publish import Published, published, published_datasets
from app.paging import Page, Window, fetch_page, page_of


@dataclass(frozen=True)
class FieldView:
    name: str
    type: str
    meaning: str
    unit: str | None
    role: str
    suppressed_below: int | None  # a count (or a figure over one) below this is published as null
    counted_by: str | None


@dataclass(frozen=True)
class LicenceView:
    id: str
    name: str
    url: str


@dataclass(frozen=True)
class DatasetView:
    code: str
    title: str
    description: str
    publisher: str
    licence: LicenceView
    updated_at: datetime | None
    row_count: int
    fields: tuple[FieldView, ...]


def _view(spec: Published, record: PublishedDataset | None) -> DatasetView:
    threshold = negative_list().threshold
    fields = tuple(FieldView(f.name, f.type, f.meaning, f.unit, f.role,
                             threshold if f.role in (COUNT, FIGURE) else None, f.counted_by) for f in spec.fields)
    d = spec.dataset
    return DatasetView(d.code, d.title, d.description, d.publisher, LicenceView(**LICENCE),
                       record.built_at if record else None, record.row_count if record else 0, fields)


def _spec(code: str) -> Published:
    spec = published(code)
    if spec is None:
        raise DatasetNotFound(details={"dataset": code})
    return spec


def list_datasets(window: Window) -> Page[DatasetView]:
    records = {r.code: r for r in session().scalars(select(PublishedDataset))}
    return page_of([_view(spec, records.get(spec.code)) for spec in published_datasets()], window)


def dataset(code: str) -> DatasetView:
    spec = _spec(code)
    return _view(spec, session().get(PublishedDataset, spec.code))


def rows(code: str, window: Window) -> Page[dict[str, Any]]:
    """One window of the last build's rows, each a mapping of the dictionary's fields."""
    spec = _spec(code)
    stmt = (select(PublishedRow.values).where(PublishedRow.dataset_code == spec.code)
            .order_by(PublishedRow.position))
    return fetch_page(session(), stmt, window, lambda values: values)


def rows_csv(code: str, window: Window) -> tuple[str, Page[dict[str, Any]]]:
    """The same window as CSV (header row of field names; an empty cell is null: suppressed or none)."""
    page = rows(code, window)
    names = [f.name for f in _spec(code).fields]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(names)
    for row in page.items:
        writer.writerow(["" if row.get(n) is None else row.get(n) for n in names])
    return out.getvalue(), page
