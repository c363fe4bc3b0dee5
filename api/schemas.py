"""Schemas shared by every blueprint."""

from __future__ import annotations

import marshmallow as ma


class ErrorBodySchema(ma.Schema):
    code = ma.fields.String(metadata={"description": "稳定的错误码 (snake_case)", "example": "not_found"})
    message = ma.fields.String(metadata={"description": "给用户看的中文说明", "example": "请求的资源不存在"})
    details = ma.fields.Dict(metadata={"description": "附加信息，如出错的字段"})
    request_id = ma.fields.String(metadata={"description": "请求编号，与 X-Request-ID 相同"})
