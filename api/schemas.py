"""Schemas and input types shared by every blueprint (the error body, bounded integers, the id and text
converters, the argument parser that refuses control characters in every schema's input)."""

from __future__ import annotations

import copy
from datetime import date, datetime, time
from typing import Any

import marshmallow as ma
from flask_smorest.arguments import FlaskParser
from werkzeug.routing import IntegerConverter, UnicodeConverter

from app import clock
from app.text import MESSAGE, refused_text

# The example company of every schema (a right check character: tests hold every example to its check).
USCC_EXAMPLE = "91440106MA59B8XK71"

# Ids and counts are stored in INTEGER columns (32-bit signed on PostgreSQL).
INT_MIN, INT_MAX = -(2**31), 2**31 - 1


class Int(ma.fields.Integer):
    """The integer field of every yss schema: a number too large for the database is a 422 naming
    the field, not an overflow inside a query."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.validators.insert(0, ma.validate.Range(INT_MIN, INT_MAX, error="数值超出范围"))


class DayOrAwareDateTime(ma.fields.AwareDateTime):
    """A deadline a person picks: an aware ISO 8601 time, or a plain date meaning the end of that day
    in the business time zone (Asia/Shanghai), which is what a date picker sends."""

    default_error_messages = {"invalid": "应为日期（YYYY-MM-DD）或带时区的日期时间（ISO 8601）"}

    def _deserialize(self, value, attr, data, **kwargs) -> datetime:
        if isinstance(value, str) and len(value) == 10:
            try:
                day = date.fromisoformat(value)
            except ValueError:
                raise self.make_error("invalid") from None
            return datetime.combine(day, time.max, tzinfo=clock.local_tz())
        return super()._deserialize(value, attr, data, **kwargs)


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


class TextConverter(UnicodeConverter):
    """Every string path segment: one holding control characters matches no route (404)."""

    def __init__(self, url_map, *args, **kwargs) -> None:
        super().__init__(url_map, *args, **kwargs)
        self.regex = self.regex.replace("[^/]", "[^/\\x00-\\x1f\\x7f-\\x9f]")


class TextCheckingParser(FlaskParser):
    """The parser of every ``@blp.arguments``: before any schema sees the input, a string anywhere in
    it (nested in a list or a free-form dict too, keys included) holding control characters is a 422
    naming where (``app.text`` says what is refused: tab and newline pass in bodies, not in queries).

    A schema given as a class is made once: webargs would make one on every request (a deep copy of
    its fields, about a tenth of a list page's CPU). Loading holds no state on the instance.

    A query string's arguments depend on nothing but the string (a query schema reads no clock and
    no caller: ``tests/foundation/test_query_arguments.py`` holds every one to that), so those of a
    short query are kept per schema once loaded: the same page or check asked again and again is not
    parsed again (for a public check, a sixth of its CPU). A refused query is not kept, and each
    request gets its own copy of the arguments."""

    QUERY_KEPT = 1024  # queries kept per parser (of at most MAX_KEPT_QUERY bytes each)
    MAX_KEPT_QUERY = 256

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._schemas: dict[type, ma.Schema] = {}
        self._queries: dict[tuple, dict[str, Any]] = {}

    def parse(self, argmap: Any, req: Any = None, *, location: str | None = None, **kwargs: Any) -> Any:
        if location not in ("query", "querystring") or not isinstance(argmap, type) or kwargs.get("validate"):
            return super().parse(argmap, req, location=location, **kwargs)
        req = req if req is not None else self.get_default_request()
        query = req.query_string
        if len(query) > self.MAX_KEPT_QUERY:
            return super().parse(argmap, req, location=location, **kwargs)
        key = (argmap, query, kwargs.get("unknown"))
        kept = self._queries.get(key)
        if kept is None:
            kept = super().parse(argmap, req, location=location, **kwargs)
            if len(self._queries) >= self.QUERY_KEPT:
                self._queries.clear()  # many distinct queries: start again rather than track use
            self._queries[key] = kept
        if isinstance(kept, dict):
            return {name: list(value) if isinstance(value, list) else value for name, value in kept.items()}
        return copy.copy(kept)  # e.g. smorest's PaginationParameters, which the view's page then fills in

    def _get_schema(self, argmap: Any, req: Any) -> ma.Schema:
        if isinstance(argmap, type) and issubclass(argmap, ma.Schema):
            schema = self._schemas.get(argmap)
            if schema is None:
                schema = self._schemas.setdefault(argmap, argmap())
            return schema
        return super()._get_schema(argmap, req)

    def _load_location_data(self, *, schema, req, location):
        data = super()._load_location_data(schema=schema, req=req, location=location)
        if location in ("query", "querystring", "headers", "form"):
            values = req.headers if location == "headers" else req.form if location == "form" else req.args
            problems = {key: [MESSAGE] for key in values
                        if refused_text([key, *values.getlist(key)], multiline=location == "form")}
        else:
            problems = refused_text(data if isinstance(data, dict | list) else {})
        if problems:
            raise ma.ValidationError(problems)
        return data
