"""Schemas and input types shared by every blueprint (the error body, bounded integers, the id converter)."""

from __future__ import annotations

import marshmallow as ma
from werkzeug.routing import IntegerConverter

# Ids and counts are stored in INTEGER columns (32-bit signed on PostgreSQL).
INT_MIN, INT_MAX = -(2**31), 2**31 - 1


class Int(ma.fields.Integer):
    """The integer field of every yss schema: a number too large for the database is a 422 naming
    the field, not an overflow inside a query."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.validators.insert(0, ma.validate.Range(INT_MIN, INT_MAX, error="数值超出范围"))


class ErrorBodySchema(ma.Schema):
    code = ma.fields.String(metadata={"description": "稳定的错误码 (snake_case)", "example": "not_found"})
    message = ma.fields.String(metadata={"description": "给用户看的中文说明", "example": "请求的资源不存在"})
    details = ma.fields.Dict(metadata={"description": "附加信息，如出错的字段"})
    request_id = ma.fields.String(metadata={"description": "请求编号，与 X-Request-ID 相同"})


class IdConverter(IntegerConverter):
    """``<int:...>`` in every route: an id too large for the database matches no route (404)."""

    def __init__(self, url_map, *args, **kwargs) -> None:
        kwargs.setdefault("max", INT_MAX)
        super().__init__(url_map, *args, **kwargs)
