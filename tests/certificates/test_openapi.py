"""Every people and certificate endpoint is documented with its schemas and an example."""

import pytest

PATHS = {
    "/api/v1/me/profile": ["get"],
    "/api/v1/me/life-events": ["get", "post"],
    "/api/v1/me/access-log": ["get"],
    "/api/v1/me/certificates": ["get"],
    "/api/v1/me/certificates/{certificate_id}": ["get"],
    "/api/v1/me/certificates/{certificate_id}/credential": ["post"],
    "/api/v1/verify": ["post"],
}


@pytest.fixture(scope="module")
def spec(app):
    return app.test_client().get("/api/openapi.json").json


@pytest.mark.parametrize(("path", "method"), [(p, m) for p, ms in PATHS.items() for m in ms])
def test_the_endpoint_has_request_and_response_schemas_and_examples(spec, path, method):
    operation = spec["paths"][path][method]
    assert operation.get("summary")
    success = next(v for k, v in operation["responses"].items() if k.startswith("2"))
    content = success["content"]["application/json"]
    assert content.get("schema") and content.get("example") is not None
    if method in ("post", "put", "patch"):
        request = operation["requestBody"]["content"]["application/json"]
        assert request.get("schema") and request.get("example") is not None
    for status, response in operation["responses"].items():
        if status.startswith(("4", "5")) and status != "default":
            # flask-smorest documents its own 422 as a reference to a shared response with the error schema
            documented = "$ref" in response or "schema" in response.get("content", {}).get("application/json", {})
            assert documented, (status, path)


def test_my_paths_are_all_listed(spec):
    mine = {p for p in spec["paths"] if p.startswith(("/api/v1/me/profile", "/api/v1/me/life-events",
                                                      "/api/v1/me/access-log", "/api/v1/me/certificates",
                                                      "/api/v1/verify"))}
    assert mine == set(PATHS)
