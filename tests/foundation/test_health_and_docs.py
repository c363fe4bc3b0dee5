from openapi_spec_validator import validate


def test_healthz_answers_while_the_process_is_alive(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok"}


def test_readyz_reports_database_and_redis_reachable(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json["checks"] == {"database": True, "redis": True}


def test_readyz_is_503_when_the_database_is_unreachable(client, monkeypatch):
    from app.system import checks

    monkeypatch.setattr(checks, "get_engine", lambda: _broken_engine())
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json["checks"]["database"] is False


def _broken_engine():
    from sqlalchemy import create_engine

    return create_engine("sqlite:////nonexistent-dir/never.sqlite3")


def test_openapi_document_is_valid_openapi_3(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    spec = response.json
    assert spec["openapi"].startswith("3.")
    validate(spec)
    # Everything is under /api/v1 except the OpenID Provider's protocol endpoints, whose places the
    # specs fix relative to the issuer (discovery at /.well-known/openid-configuration).
    assert all(path.startswith(("/api/v1/", "/oidc/")) or path == "/.well-known/openid-configuration"
               for path in spec["paths"])


def test_interactive_docs_render_with_locally_served_assets(client):
    page = client.get("/api/docs")
    assert page.status_code == 200
    assert "swagger-ui-bundle.js" in page.get_data(as_text=True)
    asset = client.get("/api/swagger-ui/swagger-ui-bundle.js")
    assert asset.status_code == 200
    assert len(asset.data) > 100_000


def test_every_response_carries_a_request_id_and_keeps_a_given_one(client):
    assert len(client.get("/healthz").headers["X-Request-ID"]) == 32
    given = "abc-123-def-456"
    assert client.get("/healthz", headers={"X-Request-ID": given}).headers["X-Request-ID"] == given
    # A value that could smuggle text into logs is replaced, not echoed.
    odd = client.get("/healthz", headers={"X-Request-ID": "x\x01y"}).headers["X-Request-ID"]
    assert odd != "x\x01y"
