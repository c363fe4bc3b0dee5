"""The stub server: WeChat + registry emulator, its developer API, and the mini program pages."""

from __future__ import annotations

from typing import Any

from flask import Flask

from miniprogram_stub import devapi, messages, registries, wechat
from miniprogram_stub.state import World


def create_app(settings: dict[str, Any] | None = None) -> Flask:
    """``settings``: ``apps`` {appid: secret} registered at start; ``api_base`` (the yss API the
    pages talk to through /api) and ``web_appid`` turn on the web pages."""
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
    if settings.get("api_base"):
        from miniprogram_stub.web import web_blueprint

        app.register_blueprint(web_blueprint(settings["api_base"], settings.get("web_appid", "")))
    return app
