"""Every dataset, built from a database full of personal data, publishes no value of a negative-list
field and no count below the threshold, in JSON and in CSV."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime

import pytest
from sqlalchemy import select, text

from app.datafiles import DataFileError
from app.db import Base, session
from app.opendata import publish
from app.opendata.datasets import COUNT, DATASETS, FIGURE, Dataset, Field
from app.opendata.negative_list import Closure, NegativeList, negative_list


def _stored_personal_values() -> set[str]:
    """What the negative-list columns hold in the database (text, dates and JSON; not bare ids)."""
    found = set()
    for column in negative_list().personal:
        table, name = column.split(".")
        col = Base.metadata.tables[table].c[name]
        for (value,) in session().execute(select(col).where(col.is_not(None))):
            items = value if isinstance(value, list) else [value]
            for item in items:
                if isinstance(item, (date, datetime)):
                    found.add(item.isoformat())
                elif isinstance(item, str) and len(item) >= 2:
                    found.add(item)
                elif isinstance(item, dict):
                    found.update(str(v) for v in item.values() if len(str(v)) >= 2)
    return found


def _download_all(client, code: str) -> tuple[list[dict], str, str]:
    """Every row, page by page (2 a page), as JSON rows, the JSON text and the CSV text."""
    rows, json_text, csv_text, page = [], "", "", 1
    while True:
        answer = client.get(f"/api/v1/open-data/{code}/rows?page={page}&page_size=2")
        assert answer.status_code == 200, answer.json
        as_csv = client.get(f"/api/v1/open-data/{code}/rows.csv?page={page}&page_size=2")
        assert as_csv.status_code == 200 and as_csv.mimetype == "text/csv"
        rows += answer.json
        json_text += answer.get_data(as_text=True)
        csv_text += as_csv.get_data(as_text=True)
        total = json.loads(answer.headers["X-Pagination"])["total"]
        assert json.loads(as_csv.headers["X-Pagination"])["total"] == total
        if page * 2 >= total:
            return rows, json_text, csv_text
        page += 1


def test_no_personal_value_and_no_small_count_is_published_in_any_dataset(client, personal_world):
    counts = publish.publish_all()
    assert set(counts) == {d.code for d in DATASETS}
    personal = personal_world.values | _stored_personal_values()
    threshold = negative_list().threshold
    published_counts, suppressed = 0, 0
    for spec in publish.published_datasets():
        rows, json_text, csv_text = _download_all(client, spec.code)
        assert len(rows) == counts[spec.code] > 0, spec.code
        for value in personal:
            assert value not in json_text, f"{spec.code} JSON publishes {value!r}"
            assert value not in csv_text, f"{spec.code} CSV publishes {value!r}"
        for row in rows:
            for f in spec.fields:
                if f.role == COUNT:
                    assert row[f.name] is None or row[f.name] >= threshold, (spec.code, row)
                    published_counts += row[f.name] is not None
                    suppressed += row[f.name] is None
                if f.role == FIGURE and row[f.counted_by] is None:
                    assert row[f.name] is None, f"{spec.code}.{f.name} computed over a suppressed count: {row}"
        for line in csv.DictReader(io.StringIO(csv_text)):
            for f in spec.fields:
                if f.role == COUNT and line.get(f.name) not in ("", None, f.name):
                    assert int(line[f.name]) >= threshold, (spec.code, line)
    # The world has both kinds, so the checks above were put to work.
    assert published_counts and suppressed


def test_a_dataset_reading_a_personal_column_cannot_be_published():
    snooping = Dataset("ratings-with-comments", "评价原文", "…", "yss", (
        Field("comment", "string", "评价内容", None, ("ratings.comment",)),), lambda: [])
    with pytest.raises(DataFileError, match=r"ratings\.comment, a personal field"):
        publish.check_datasets((*DATASETS, snooping), negative_list())


def test_a_closed_field_is_left_out_and_its_counts_merged_and_a_closed_dataset_is_not_published(
        client, personal_world):
    rules = negative_list()
    closed = NegativeList(rules.threshold, rules.personal, (
        Closure("licences-by-type-district-status", "district_code", "gz-scjgj", "在审"),
        Closure("ticket-times-monthly", None, "gd-gat", "暂不开放")))
    specs = {p.code: p for p in publish.check_datasets(DATASETS, closed)}
    assert "ticket-times-monthly" not in specs
    licences = specs["licences-by-type-district-status"]
    assert "district_code" not in [f.name for f in licences.fields]
    rows = publish.apply_negative_list(licences, licences.dataset.build(), rules.threshold)
    assert {r["licence_type"]: r["licences"] for r in rows} == {"food_business_licence": 7,
                                                                 "drug_business_licence": None}


def test_a_negative_list_naming_a_column_that_does_not_exist_stops_the_start(tmp_path):
    from app.opendata.negative_list import read_negative_list

    bad = tmp_path / "negative_list.toml"
    bad.write_text('threshold = 5\n[[personal]]\ncolumn = "persons.nickname"\nkind = "name"\n', encoding="utf-8")
    with pytest.raises(DataFileError, match=r"personal\[0\].column: no such table.column"):
        read_negative_list(bad)
    bad.write_text('threshold = 0\n', encoding="utf-8")
    with pytest.raises(DataFileError, match="threshold"):
        read_negative_list(bad)


def test_the_suppression_keeps_the_database_untouched(personal_world):
    publish.publish_all()
    assert session().execute(text("SELECT count(*) FROM ratings")).scalar_one() == 8
