"""The stub server: WeChat + registry emulator, its developer API, and the mini program pages."""

from __future__ import annotations

from typing import Any

from flask import Flask

from miniprogram_stub import devapi, messages, registries, wechat
from miniprogram_stub.state import World


def create_app(settings: dict[str, Any] | None = None) -> Flask:
    """``settings``: ``apps`` {appid: secret} registered at start; ``api_base`` (the yss API the
    pages talk to through /api, also settable later in ``app.config["YSS_API_BASE"]``) and
    ``web_appid`` (the appid the pages log in to)."""
    settings = settings or {}
    app = Flask(__name__)
    app.json.ensure_ascii = False
    world = World()
    world.apps.update(settings.get("apps") or {})
    app.extensions["emulator_world"] = world
    app.extensions["emulator_initial_apps"] = dict(world.apps)
    app.before_request(wechat.apply_fault)
    for blueprint in (wechat.blp, messages.blp, registries.blp, devapi.blp):
        app.register_blueprint(blueprint)
    from miniprogram_stub.web import web_blueprint

    app.config.update(YSS_API_BASE=settings.get("api_base"), WEB_APPID=settings.get("web_appid", ""))
    app.register_blueprint(web_blueprint())
    return app
