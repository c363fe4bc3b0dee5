"""Residents known to the emulator, our templates registered there, and consent on both sides."""

from __future__ import annotations

import pytest

from app import clock
from app.push import consent
from app.push.rules import load_templates
from config import get_settings
from tests.support.residents import create_resident


@pytest.fixture
def wechat(emulator):
    """The emulator with every template our rules bind registered as they are on WeChat."""
    for template in load_templates().values():
        emulator._post("/templates", {"template_id": template.template_id, "kind": template.kind,
                                      "keywords": template.keywords})
    return emulator


@pytest.fixture
def person(wechat):
    """Make a resident whose WeChat openid the emulator knows; ``accept`` consents on both sides."""

    def make(accept: dict[str, int] | None = None, **fields):
        user = wechat.create_user()
        resident = create_resident(openid=user["openid"], **fields)
        for template_id, times in (accept or {}).items():
            for _ in range(times):
                wechat._post("/consents", {"openid": user["openid"], "template_id": template_id, "status": "accept"})
                consent.record_client_results(resident.account_id, {template_id: "accept"})
        return resident

    return make


def push_event(emulator, live_url: str, openid: str, event: str, items: list[dict], safe_mode: bool = True,
               **more) -> dict:
    """Have the emulator push a subscribe event to our message endpoint, as WeChat does, at yss's
    time (frozen or not: WeChat's clock and ours agree)."""
    settings = get_settings()
    return emulator._post("/push-event", {
        "url": f"{live_url}/api/v1/wechat/messages", "token": settings.wechat_message_token,
        "encoding_aes_key": settings.wechat_encoding_aes_key, "appid": settings.wechat_appid,
        "safe_mode": safe_mode, "event": event, "openid": openid, "items": items,
        "at": int(clock.now().timestamp()), **more})


def sent_to(emulator, openid: str) -> list[dict]:
    return emulator._get("/sent", openid=openid)["sent"]


@pytest.fixture(scope="session")
def live_api(app):
    """Our API over real HTTP, for WeChat (the emulator) to push messages to."""
    from tests.support.live_server import start_server

    base_url, stop = start_server(app)
    yield base_url
    stop()
