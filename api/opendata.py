"""Open data (开放数据): the catalogue, each dataset's dictionary, and its rows as JSON or CSV. Public.

Each published dataset has its own two download operations, so the OpenAPI document describes every
dataset's row fields (meaning, unit, null when suppressed under the negative list).
"""

from __future__ import annotations

import marshmallow as ma
from flask import Response
from flask.views import MethodView

from api.blueprint import Blueprint, paged, window
from api.schemas import Int
from app.opendata import catalogue
from app.opendata.datasets import Field
from app.opendata.errors import DatasetNotFound
from app.opendata.publish import published_datasets

blp = Blueprint("opendata", __name__, url_prefix="/api/v1", description="开放数据（负面清单之外的数据集）")

DOWNLOAD_PAGE = {"page_size": 1000, "max_page_size": 10_000}


class DatasetFieldSchema(ma.Schema):
    name = ma.fields.String()
    type = ma.fields.String(metadata={"description": "string · integer · number"})
    meaning = ma.fields.String()
    unit = ma.fields.String(allow_none=True)
    role = ma.fields.String(metadata={"description": "dimension 分组维度 · count 计数 · figure 由计数算出的指标"})
    suppressed_below = Int(allow_none=True,
                           metadata={"description": "计数低于此值时，该值（及据此算出的指标）发布为 null"})
    counted_by = ma.fields.String(allow_none=True, metadata={"description": "指标所依据的计数字段"})


class OpenDataLicenceSchema(ma.Schema):
    id = ma.fields.String()
    name = ma.fields.String()
    url = ma.fields.String()


class DatasetSchema(ma.Schema):
    code = ma.fields.String()
    title = ma.fields.String()
    description = ma.fields.String()
    publisher = ma.fields.String()
    licence = ma.fields.Nested(OpenDataLicenceSchema)
    updated_at = ma.fields.DateTime(allow_none=True, metadata={"description": "最近一次生成时间；null 尚未生成"})
    row_count = Int()
    fields = ma.fields.List(ma.fields.Nested(DatasetFieldSchema), metadata={"description": "数据字典"})
    downloads = ma.fields.Method("_downloads",
                                 metadata={"description": "json 与 csv 下载地址（分页：page、page_size）"})

    def _downloads(self, obj) -> dict[str, str]:
        return {"json": f"/api/v1/open-data/{obj.code}/rows", "csv": f"/api/v1/open-data/{obj.code}/rows.csv"}


DATASET_EXAMPLE = {
    "code": "department-quality-monthly", "title": "部门服务质量月度评价", "description": "每月每个部门的满意度……",
    "publisher": "yss", "licence": {"id": "CC-BY-4.0", "name": "知识共享署名 4.0 国际许可协议",
                                     "url": "https://creativecommons.org/licenses/by/4.0/deed.zh-hans"},
    "updated_at": "2026-12-01T02:00:00+00:00", "row_count": 96,
    "fields": [{"name": "month", "type": "string", "meaning": "统计月份（北京时间自然月，YYYY-MM）", "unit": None,
                "role": "dimension", "suppressed_below": None, "counted_by": None},
               {"name": "ratings", "type": "integer", "meaning": "计入统计的评价数", "unit": "件", "role": "count",
                "suppressed_below": 5, "counted_by": None}],
    "downloads": {"json": "/api/v1/open-data/department-quality-monthly/rows",
                  "csv": "/api/v1/open-data/department-quality-monthly/rows.csv"},
}


@blp.route("/open-data")
class Catalogue(MethodView):
    @blp.public
    @blp.response(200, DatasetSchema(many=True), example=[DATASET_EXAMPLE])
    @blp.paginate()
    def get(self, pagination_parameters):
        """The open-data catalogue: every published dataset with its dictionary, licence and update time."""
        return paged(pagination_parameters, catalogue.list_datasets(window(pagination_parameters)))


@blp.route("/open-data/<code>")
class OneDataset(MethodView):
    @blp.public
    @blp.response(200, DatasetSchema, example=DATASET_EXAMPLE)
    @blp.errors(DatasetNotFound)
    def get(self, code):
        """One dataset's description and data dictionary."""
        return catalogue.dataset(code)


def _row_field(field: Field) -> ma.fields.Field:
    kind = {"string": ma.fields.String, "integer": Int, "number": ma.fields.Float}[field.type]
    meaning = field.meaning + (f"（单位：{field.unit}）" if field.unit else "")
    if field.role != "dimension":
        meaning += "；低于阈值时为 null"
    return kind(allow_none=True, metadata={"description": meaning})


def _example(field: Field) -> object:
    if field.name == "month":
        return "2026-11"
    return {"string": "…", "integer": 12, "number": 0.92}[field.type]


def _download_routes(spec) -> None:
    code, fields = spec.code, spec.fields
    row_schema = ma.Schema.from_dict({f.name: _row_field(f) for f in fields},
                                     name="".join(p.title() for p in code.split("-")) + "RowSchema")
    example = {f.name: _example(f) for f in fields}
    csv_example = ",".join(f.name for f in fields) + "\r\n" + ",".join(str(v) for v in example.values()) + "\r\n"

    class Rows(MethodView):
        @blp.public
        @blp.response(200, row_schema(many=True), example=[example])
        @blp.paginate(**DOWNLOAD_PAGE)
        def get(self, pagination_parameters):
            return paged(pagination_parameters, catalogue.rows(code, window(pagination_parameters)))

    class RowsCsv(MethodView):
        @blp.public
        @blp.doc(responses={"200": {"description": "CSV（UTF-8，首行为字段名；空单元格为 null）",
                                    "content": {"text/csv": {"schema": {"type": "string"},
                                                             "example": csv_example}}}})
        @blp.paginate(**DOWNLOAD_PAGE)
        def get(self, pagination_parameters):
            text, page = catalogue.rows_csv(code, window(pagination_parameters))
            paged(pagination_parameters, page)
            return Response(text, mimetype="text/csv", headers={
                "Content-Disposition": f'attachment; filename="{code}.csv"'})

    Rows.get.__doc__ = f"{spec.dataset.title}: rows as JSON (paged)."
    RowsCsv.get.__doc__ = f"{spec.dataset.title}: rows as CSV (paged)."
    blp.route(f"/open-data/{code}/rows", endpoint=f"rows_{code}")(Rows)
    blp.route(f"/open-data/{code}/rows.csv", endpoint=f"rows_csv_{code}")(RowsCsv)


for _spec in published_datasets():
    _download_routes(_spec)
