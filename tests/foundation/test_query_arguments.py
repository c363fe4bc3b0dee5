"""A query string's arguments are loaded once per distinct short query and kept (api/schemas.py,
``TextCheckingParser``): that is right only while loading a query depends on nothing but the string.
These tests hold every query schema to that, and show what a caller would notice if the keeping went
wrong: a refused query is refused every time, one request's arguments are not another's, and
two residents asking for the same page each see their own totals."""

from __future__ import annotations

import json

import marshmallow as ma

from api.blueprint import Blueprint
from api.schemas import TextCheckingParser
from app.push.notify import notify
from tests.support.residents import create_resident

# Constructors of an empty container: the only callable defaults a query field may have.
PURE_DEFAULTS = (dict, list)


def _query_schemas(app) -> dict[str, type[ma.Schema]]:
    """Every schema some operation loads from its query string (smorest's pagination included)."""
    found: dict[str, type[ma.Schema]] = {}
    for endpoint, view in app.view_functions.items():
        view_class = getattr(view, "view_class", None)
        handlers = [getattr(view_class, m) for m in ("get", "post", "put", "patch", "delete")
                    if view_class is not None and hasattr(view_class, m)] or [view]
        for handler in handlers:
            doc = getattr(handler, "_apidoc", {})
            parameters = list(doc.get("arguments", {}).get("parameters", []))
            if "pagination" in doc:
                parameters.append(doc["pagination"]["parameters"])
            for parameter in parameters:
                if parameter["in"] in ("query", "querystring"):
                    found[f"{endpoint}:{parameter['schema'].__name__}"] = parameter["schema"]
    return found


def test_every_query_schema_depends_on_the_query_alone(app):
    schemas = _query_schemas(app)
    assert len(schemas) >= 10  # the inbox, the licence list and the check among them
    for where, schema_class in schemas.items():
        schema = schema_class()
        for name, field in schema.fields.items():
            default = field.load_default
            assert not callable(default) or default in PURE_DEFAULTS, (
                f"{where}.{name}: a default computed per request (e.g. from the clock) would be kept "
                "with the query; compute it in the view instead")
        hooks = {tag for tag, registered in schema_class._hooks.items() if registered}
        if schema_class.__module__.startswith("api."):
            assert not hooks, f"{where}: {hooks} — a hook could read more than the query"
        else:  # smorest's pagination: its post_load only wraps the page and its size
            assert hooks <= {"post_load"}, where


def test_a_refused_query_is_refused_every_time(client):
    for _ in range(3):
        response = client.get("/api/v1/licences/check", query_string={"number": "x" * 65})
        assert response.status_code == 422
        assert "number" in response.json["details"]["fields"]["query"]
        response = client.get("/api/v1/licences/check", query_string={"number": "JY1\x01"})
        assert response.status_code == 422


def test_one_requests_arguments_are_not_anothers(app):
    parser: TextCheckingParser = Blueprint.ARGUMENTS_PARSER

    class ListQuery(ma.Schema):
        tags = ma.fields.List(ma.fields.String(), load_default=list)
        page = ma.fields.Integer(load_default=1)

    with app.test_request_context("/?tags=a&page=2"):
        from flask import request

        first = parser.parse(ListQuery, request, location="query")
        first["tags"].append("changed by the first view")
        first["page"] = 99
        second = parser.parse(ListQuery, request, location="query")
    assert second == {"tags": ["a"], "page": 2}


def test_the_kept_queries_are_bounded(app):
    parser = TextCheckingParser()

    class One(ma.Schema):
        q = ma.fields.String()

    from flask import request

    for i in range(parser.QUERY_KEPT + 10):
        with app.test_request_context(f"/?q={i}"):
            assert parser.parse(One, request, location="query") == {"q": str(i)}
    assert len(parser._queries) <= parser.QUERY_KEPT
    with app.test_request_context("/?q=" + "x" * parser.MAX_KEPT_QUERY):  # too long to keep
        assert parser.parse(One, request, location="query") == {"q": "x" * parser.MAX_KEPT_QUERY}
    assert all(len(query) <= parser.MAX_KEPT_QUERY for _schema, query, _unknown in parser._queries)


def test_two_residents_asking_the_same_page_each_get_their_own_totals(client):
    """Both requests load the same query (the second from what the first kept); each page's
    pagination is filled in on a copy, so each resident sees only their own totals."""
    many, few = create_resident(level=3), create_resident(level=3)
    for n in range(5):
        _notify(many.account_id, n)
    _notify(few.account_id, 9)
    for resident, total, titles in ((many, 5, 2), (few, 1, 1), (many, 5, 2)):
        response = client.get("/api/v1/me/notifications", headers=resident.headers,
                              query_string={"page": 1, "page_size": 2})
        assert response.status_code == 200
        assert len(response.json) == titles
        assert json.loads(response.headers["X-Pagination"])["total"] == total


def _notify(account_id: int, n: int) -> None:
    notify([account_id], category="tickets", title=f"通知{n}", body="内容", page=None,
           why={"rule": {"id": "ticket_reply"}, "facts": {"ticket": n}}, dedupe_key=f"t{n}")
