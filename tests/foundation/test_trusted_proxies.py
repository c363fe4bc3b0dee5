"""Behind a reverse proxy, the client address (and so its rate-limit bucket) comes from
X-Forwarded-For only when the number of trusted proxies says so."""

from api import create_app


def _statuses(app, forwarded_for: list[str]) -> list[int]:
    client = app.test_client()
    return [client.get("/api/v1/services", headers={"X-Forwarded-For": address}).status_code
            for address in forwarded_for]


def test_behind_one_trusted_proxy_each_client_has_its_own_bucket():
    app = create_app({"RATE_LIMIT_PER_MINUTE": 2, "TRUSTED_PROXIES": 1})
    assert _statuses(app, ["198.51.100.1", "198.51.100.1", "198.51.100.2", "198.51.100.2"]) == [200] * 4
    assert _statuses(app, ["198.51.100.1"]) == [429]


def test_with_no_trusted_proxy_a_forwarded_for_header_changes_nothing():
    app = create_app({"RATE_LIMIT_PER_MINUTE": 2})
    assert app.config["TRUSTED_PROXIES"] == 0
    assert _statuses(app, ["203.0.113.1", "203.0.113.2", "203.0.113.3"]) == [200, 200, 429]
