"""A small client of one running emulator, shared by the stub tests."""

from __future__ import annotations

from typing import Any

import requests

APPID = "wxstubapp0000001"
SECRET = "stub-secret-0001"


class Emulator:
    """Thin client of one running emulator: WeChat calls and the developer API."""

    def __init__(self, base_url: str) -> None:
        self.url = base_url
        self.http = requests.Session()

    def dev(self, method: str, path: str, json: Any = None, **params: Any) -> requests.Response:
        url = f"{self.url}/__emulator__{path}"
        return self.http.request(method, url, json=json, params=params, timeout=10)

    def ok(self, method: str, path: str, json: Any = None, **params: Any) -> Any:
        response = self.dev(method, path, json, **params)
        assert response.status_code == 200, response.text
        return response.json()

    def get(self, path: str, **params: Any) -> requests.Response:
        return self.http.get(f"{self.url}{path}", params=params, timeout=10)

    def post(self, path: str, json: Any = None, **params: Any) -> requests.Response:
        return self.http.post(f"{self.url}{path}", json=json, params=params, timeout=10)

    def advance(self, seconds: float) -> int:
        return self.ok("POST", "/clock", {"advance_seconds": seconds})["now"]

    def user(self, **fields: Any) -> dict[str, Any]:
        return self.ok("POST", "/users", {"appid": APPID, **fields})

    def login(self, openid: str) -> dict[str, Any]:
        code = self.ok("POST", f"/users/{openid}/login-code")["code"]
        return self.get(
            "/sns/jscode2session", appid=APPID, secret=SECRET, js_code=code, grant_type="authorization_code"
        ).json()

    def token(self) -> str:
        body = self.get("/cgi-bin/token", grant_type="client_credential", appid=APPID, secret=SECRET).json()
        return body["access_token"]
