"""The WeChat + registry emulator as a real HTTP server, and a small client of its developer API."""

from __future__ import annotations

from typing import Any

import requests

from tests.support.live_server import start_server

_running: dict[str, object] = {}


def start_emulator() -> str:
    """One emulator per test process (it also serves the stub pages for browser tests)."""
    from miniprogram_stub.app import create_app

    app = create_app()
    base_url, _stop = start_server(app)
    _running["app"] = app
    return base_url


def emulator_app():
    return _running["app"]


class Emulator:
    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.http = requests.Session()

    def _post(self, path: str, body: dict[str, Any] | None = None) -> Any:
        response = self.http.post(f"{self.base_url}/__emulator__{path}", json=body or {}, timeout=10)
        assert response.status_code < 300, response.text
        return response.json() if response.content else None

    def _get(self, path: str, **params: Any) -> Any:
        response = self.http.get(f"{self.base_url}/__emulator__{path}", params=params, timeout=10)
        assert response.status_code < 300, response.text
        return response.json()

    def reset(self, appid: str, secret: str) -> None:
        self._post("/reset")
        self._post("/apps", {"appid": appid, "secret": secret})
        self.appid = appid

    def create_user(self, **fields: Any) -> dict[str, Any]:
        return self._post("/users", {"appid": self.appid, **fields})

    def login_code(self, openid: str) -> str:
        return self._post(f"/users/{openid}/login-code")["code"]

    def phone_code(self, openid: str) -> str:
        return self._post(f"/users/{openid}/phone-code")["code"]

    def encrypted_phone(self, openid: str, appid: str | None = None) -> dict[str, str]:
        return self._post(f"/users/{openid}/encrypted-phone", {"appid": appid} if appid else {})

    def face_outcome(self, openid: str, verify_ret: int) -> None:
        self._post(f"/users/{openid}/face-outcome", {"verify_ret": verify_ret})

    def run_face(self, verify_id: str, verify_ret: int | None = None) -> None:
        self._post(f"/face/{verify_id}/run", {} if verify_ret is None else {"verify_ret": verify_ret})

    def fault(self, path: str, kind: str, count: int = 1, delay_seconds: float | None = None) -> None:
        body: dict[str, Any] = {"path": path, "kind": kind, "count": count}
        if delay_seconds is not None:
            body["delay_seconds"] = delay_seconds
        self._post("/faults", body)

    def calls(self, path: str) -> int:
        return self._get("/stats")["calls"].get(path, 0)

    def advance(self, seconds: int) -> None:
        self._post("/clock", {"advance_seconds": seconds})

    def register_person(self, name: str, id_number: str, status: str = "alive") -> None:
        self._post("/registry/persons", {"name": name, "id_number": id_number, "status": status})

    def register_entity(self, **fields: Any) -> None:
        self._post("/registry/entities", fields)

    def fetch_token_as_another_process(self, secret: str) -> str:
        response = self.http.get(f"{self.base_url}/cgi-bin/token", params={
            "grant_type": "client_credential", "appid": self.appid, "secret": secret}, timeout=10)
        return response.json()["access_token"]
