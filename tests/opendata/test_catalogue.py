"""The catalogue lists every dataset with its dictionary, and the downloads keep to that dictionary."""

from __future__ import annotations

import csv
import io
import json

from app.opendata import publish
from app.opendata.datasets import DATASETS
from app.opendata.negative_list import negative_list
from tests.support.jobs import run_queued_jobs

TYPES = {"string": (str,), "integer": (int,), "number": (int, float)}


def _conforms(value, kind: str) -> bool:
    return value is None or (isinstance(value, TYPES[kind]) and not isinstance(value, bool))


def test_the_catalogue_lists_every_dataset_with_its_dictionary_licence_update_time_and_row_count(
        client, personal_world):
    before = client.get("/api/v1/open-data").json
    assert [d["code"] for d in before] == [d.code for d in DATASETS]
    assert all(d["updated_at"] is None and d["row_count"] == 0 for d in before)  # not built yet

    publish.refresh_open_data.send()  # what the scheduler enqueues hourly
    run_queued_jobs(queues=("opendata",))

    answer = client.get("/api/v1/open-data")
    assert answer.status_code == 200
    assert json.loads(answer.headers["X-Pagination"])["total"] == len(DATASETS)
    for entry, dataset in zip(answer.json, DATASETS, strict=True):
        assert entry["title"] == dataset.title and entry["licence"]["id"] == "CC-BY-4.0"
        assert entry["updated_at"] is not None and entry["row_count"] > 0
        assert [f["name"] for f in entry["fields"]] == [f.name for f in dataset.fields]
        for f in entry["fields"]:
            assert f["meaning"] and f["type"] in TYPES
            assert f["suppressed_below"] == (negative_list().threshold if f["role"] != "dimension" else None)
        assert client.get(f"/api/v1/open-data/{dataset.code}").json == entry
        assert entry["downloads"] == {"json": f"/api/v1/open-data/{dataset.code}/rows",
                                      "csv": f"/api/v1/open-data/{dataset.code}/rows.csv"}


def test_json_and_csv_downloads_validate_against_the_dictionary(client, personal_world):
    publish.publish_all()
    for entry in client.get("/api/v1/open-data").json:
        fields = {f["name"]: f["type"] for f in entry["fields"]}
        rows = client.get(entry["downloads"]["json"] + "?page_size=10000").json
        assert len(rows) == entry["row_count"]
        for row in rows:
            assert list(row) == list(fields) or set(row) == set(fields), (entry["code"], row)
            assert all(_conforms(row[name], kind) for name, kind in fields.items()), (entry["code"], row)
        answer = client.get(entry["downloads"]["csv"] + "?page_size=10000")
        assert answer.headers["Content-Type"] == "text/csv; charset=utf-8"
        reader = csv.reader(io.StringIO(answer.get_data(as_text=True)))
        assert next(reader) == list(fields)
        lines = list(reader)
        assert len(lines) == entry["row_count"]
        for line, row in zip(lines, rows, strict=True):
            for cell, (name, kind) in zip(line, fields.items(), strict=True):
                value = None if cell == "" else {"string": str, "integer": int, "number": float}[kind](cell)
                assert value == row[name], (entry["code"], name, cell, row[name])


def test_an_unknown_or_closed_dataset_is_not_found(client):
    answer = client.get("/api/v1/open-data/residents-with-addresses")
    assert answer.status_code == 404 and answer.json["code"] == "dataset_not_found"
    assert client.get("/api/v1/open-data/residents-with-addresses/rows").status_code == 404


def test_the_openapi_document_describes_each_datasets_rows(client):
    spec = client.get("/api/openapi.json").json
    for dataset in DATASETS:
        operation = spec["paths"][f"/api/v1/open-data/{dataset.code}/rows"]["get"]
        schema = operation["responses"]["200"]["content"]["application/json"]["schema"]["items"]
        name = schema["$ref"].rsplit("/", 1)[-1]
        properties = spec["components"]["schemas"][name]["properties"]
        assert list(properties) == [f.name for f in dataset.fields] or set(properties) == {
            f.name for f in dataset.fields}
        assert all(dataset_field.meaning in properties[dataset_field.name]["description"]
                   for dataset_field in dataset.fields)
        assert "text/csv" in spec["paths"][f"/api/v1/open-data/{dataset.code}/rows.csv"]["get"]["responses"]["200"][
            "content"]


def test_the_scheduler_rebuilds_the_open_data_every_hour():
    from app import scheduler

    assert (3_600, "app.opendata.publish:refresh_open_data", ()) in scheduler.PERIODIC
