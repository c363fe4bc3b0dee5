"""Publishing: datasets under the negative list, rebuilt by a periodic job.

``published_datasets`` (checked at start, in ``app.datafiles.LOADERS``) leaves out closed datasets
and fields and refuses any dataset with a field read from a personal column. ``publish_all`` builds
each one, applies the threshold (a count below it becomes null, and so does every figure computed
over it) and replaces the stored rows in one transaction, so a download never sees half a build.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select

from app import clock
from app.datafiles import DataFileError
from app.db import session, transactional
from app.opendata.datasets import COUNT, DATASETS, DIMENSION, FIGURE, TYPES, Dataset, Field
from app.opendata.models import PublishedDataset, PublishedRow
from app.opendata.negative_list import NEGATIVE_LIST_FILE, NegativeList, negative_list
from app.queue import actor


@dataclass(frozen=True)
class Published:
    """A dataset as published: its fields without the closed ones."""

    dataset: Dataset
    fields: tuple[Field, ...]

    @property
    def code(self) -> str:
        return self.dataset.code


def check_datasets(datasets: tuple[Dataset, ...], rules: NegativeList) -> tuple[Published, ...]:
    """The datasets that may be published, or ``DataFileError`` naming the first that breaks the list."""
    codes = {d.code: d for d in datasets}
    for closure in rules.closed:
        where = f"closed[{closure.dataset}]"
        if closure.dataset not in codes:
            raise DataFileError(NEGATIVE_LIST_FILE, where, f"no such dataset: {closure.dataset}")
        names = {f.name: f for f in codes[closure.dataset].fields}
        if closure.field is not None and closure.field not in names:
            raise DataFileError(NEGATIVE_LIST_FILE, where, f"no such field: {closure.field}")
        if (closure.field is not None and names[closure.field].role == DIMENSION
                and not codes[closure.dataset].additive):
            raise DataFileError(NEGATIVE_LIST_FILE, where, "its figures cannot be regrouped: close the dataset")
    published = []
    for dataset in datasets:
        for field in dataset.fields:
            assert field.type in TYPES and (field.role != FIGURE or field.counted_by), (dataset.code, field.name)
            for source in field.sources:
                if source in rules.personal:
                    raise DataFileError(NEGATIVE_LIST_FILE, f"{dataset.code}.{field.name}",
                                        f"reads {source}, a personal field ({rules.personal[source]})")
        if rules.closed_dataset(dataset.code):
            continue
        closed = rules.closed_fields(dataset.code)
        published.append(Published(dataset, tuple(f for f in dataset.fields if f.name not in closed)))
    return tuple(published)


@functools.cache
def published_datasets() -> tuple[Published, ...]:
    return check_datasets(DATASETS, negative_list())


def published(code: str) -> Published | None:
    return next((p for p in published_datasets() if p.code == code), None)


def apply_negative_list(spec: Published, raw: list[dict[str, Any]], threshold: int) -> list[dict[str, Any]]:
    names = [f.name for f in spec.fields]
    rows = [{name: row[name] for name in names} for row in raw]
    if len(names) < len(spec.dataset.fields) and spec.dataset.additive:
        dimensions = [f.name for f in spec.fields if f.role == DIMENSION]
        merged: dict[tuple, dict[str, Any]] = {}
        for row in rows:
            key = tuple(row[d] for d in dimensions)
            if key in merged:
                for f in spec.fields:
                    if f.role == COUNT:
                        merged[key][f.name] += row[f.name]
            else:
                merged[key] = dict(row)
        rows = list(merged.values())
    counts = [f for f in spec.fields if f.role == COUNT]
    figures = [f for f in spec.fields if f.role == FIGURE]
    for row in rows:
        suppressed = {f.name for f in counts if row[f.name] is not None and row[f.name] < threshold}
        for name in suppressed:
            row[name] = None
        for f in figures:
            if f.counted_by in suppressed or row.get(f.counted_by) is None:
                row[f.name] = None
    return rows


def build(spec: Published) -> list[dict[str, Any]]:
    """The rows ``spec`` would publish now (read-only)."""
    return apply_negative_list(spec, spec.dataset.build(), negative_list().threshold)


@transactional
def publish(spec: Published) -> int:
    rows = build(spec)
    s = session()
    s.execute(delete(PublishedRow).where(PublishedRow.dataset_code == spec.code))
    record = s.get(PublishedDataset, spec.code) or PublishedDataset(code=spec.code)
    record.built_at, record.row_count = clock.now(), len(rows)
    s.add(record)
    s.flush()
    s.add_all(PublishedRow(dataset_code=spec.code, position=i, values=row) for i, row in enumerate(rows))
    return len(rows)


def publish_all() -> dict[str, int]:
    """Rebuild every published dataset (each in its own transaction); returns rows per dataset."""
    counts = {spec.code: publish(spec) for spec in published_datasets()}
    stale = [code for code in session().scalars(select(PublishedDataset.code)) if code not in counts]
    if stale:
        _drop(stale)
    return counts


@transactional
def _drop(codes: list[str]) -> None:
    """A dataset closed since its last build is taken down."""
    session().execute(delete(PublishedRow).where(PublishedRow.dataset_code.in_(codes)))
    session().execute(delete(PublishedDataset).where(PublishedDataset.code.in_(codes)))


@actor(queue_name="opendata", max_retries=3)
def refresh_open_data() -> None:
    publish_all()
