"""Every 4xx and 5xx has the same body: code, Chinese message, details, request_id."""

import pytest


def assert_error_body(response, status, code):
    assert response.status_code == status, response.get_data(as_text=True)
    body = response.json
    assert set(body) == {"code", "message", "details", "request_id"}
    assert body["code"] == code
    assert any("\u4e00" <= ch <= "\u9fff" for ch in body["message"]), "message is for the app, in Chinese"
    assert body["request_id"] == response.headers["X-Request-ID"]
    return body


def test_unknown_path(client):
    assert_error_body(client.get("/api/v1/no-such-thing"), 404, "not_found")


def test_wrong_method(client):
    response = client.delete("/api/v1/status")
    assert_error_body(response, 405, "method_not_allowed")
    assert "GET" in response.headers["Allow"]


def test_malformed_json(app):
    import marshmallow as ma
    from flask_smorest import Blueprint

    from api import create_app

    probe = create_app()
    blp = Blueprint("probe", __name__, url_prefix="/api/v1/probe")

    class Body(ma.Schema):
        name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=5))

    @blp.route("", methods=["POST"])
    @blp.arguments(Body)
    def post(body):
        return body

    probe.extensions["yss_api"].register_blueprint(blp)
    client = probe.test_client()
    assert_error_body(
        client.post("/api/v1/probe", data="{not json", content_type="application/json"),
        400, "malformed_json",
    )
    response = client.post("/api/v1/probe", json={"name": "toolongname"})
    body = assert_error_body(response, 422, "validation_error")
    assert "name" in body["details"]["fields"]["json"]
    assert_error_body(client.post("/api/v1/probe", data="name=x", content_type="text/plain"),
                      415, "unsupported_media_type")
    assert client.post("/api/v1/probe", json={"name": "ok"}).json == {"name": "ok"}


def test_oversized_body(app):
    from api import create_app

    small = create_app({"MAX_CONTENT_LENGTH": 1024})
    import marshmallow as ma
    from flask_smorest import Blueprint

    blp = Blueprint("big", __name__, url_prefix="/api/v1/big")

    class Body(ma.Schema):
        blob = ma.fields.String()

    @blp.route("", methods=["POST"])
    @blp.arguments(Body)
    def post(body):
        return {}

    small.extensions["yss_api"].register_blueprint(blp)
    response = small.test_client().post("/api/v1/big", json={"blob": "x" * 5000})
    assert_error_body(response, 413, "payload_too_large")


def test_unhandled_exception_is_a_500_without_internals(app):
    from api import create_app

    broken = create_app()

    @broken.get("/api/v1/explode")
    def explode():
        raise RuntimeError("secret internal detail: password=hunter2")

    response = broken.test_client().get("/api/v1/explode")
    body = assert_error_body(response, 500, "internal_error")
    text = response.get_data(as_text=True)
    assert "hunter2" not in text and "Traceback" not in text and "RuntimeError" not in text
    assert body["details"] == {}


def test_too_many_requests_gets_429_with_retry_after(app):
    from api import create_app

    limited = create_app({"RATE_LIMIT_PER_MINUTE": 3})
    client = limited.test_client()
    for _ in range(3):
        assert client.get("/api/v1/status").status_code == 200
    response = client.get("/api/v1/status")
    assert_error_body(response, 429, "rate_limited")
    assert 1 <= int(response.headers["Retry-After"]) <= 60


@pytest.mark.parametrize("path", ["/healthz", "/api/v1/status"])
def test_one_json_log_line_per_request_without_query_or_headers(client, caplog, path):
    import logging

    caplog.set_level(logging.INFO, logger="yss.request")
    client.get(path + "?token=sekrit", headers={"Authorization": "Bearer sekrit-token"})
    records = [r for r in caplog.records if r.name == "yss.request"]
    assert len(records) == 1
    record = records[0]
    assert record.method == "GET" and record.path == path and record.status == 200
    assert record.request_id and record.duration_ms >= 0
    from app.logs import JsonFormatter

    line = JsonFormatter().format(record)
    assert "sekrit" not in line
