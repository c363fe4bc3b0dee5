"""The emulator's Flask app factory."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from flask import Flask, Response, request

from miniprogram_stub import (
    devapi,
    devapi_messages,
    devapi_users,
    face,
    fastpath,
    faults,
    registries,
    subscribe,
    wechat,
)
from miniprogram_stub.clock import EmulatorClock
from miniprogram_stub.replies import json_error
from miniprogram_stub.state import EXTENSION_KEY, State


def parse_apps(spec: str) -> dict[str, str]:
    """'appid:secret,appid2:secret2' → {appid: secret}; blanks are skipped."""
    apps: dict[str, str] = {}
    for pair in spec.split(","):
        pair = pair.strip()
        if not pair:
            continue
        appid, sep, secret = pair.partition(":")
        if not sep or not appid or not secret:
            raise ValueError(f"bad app spec {pair!r}; expected appid:secret")
        apps[appid.strip()] = secret.strip()
    return apps


def create_app(settings: dict[str, Any] | None = None) -> Flask:
    """Build one emulator with its own state.

    settings: {"apps": {appid: secret} or "appid:secret,..."}; without "apps" the
    EMULATOR_APPS environment variable is read. Pre-registered apps survive /__emulator__/reset.
    "api_base" (or app.config["YSS_API_BASE"] later) is the yss API the pages talk to, and
    "web_appid" the appid they log in to (default: the first registered app). "state_file" (or the
    EMULATOR_STATE_FILE environment variable) is where the WeChat users are kept across restarts;
    without one they live in memory only.
    """
    settings = settings or {}
    apps = settings.get("apps", os.environ.get("EMULATOR_APPS", ""))
    if isinstance(apps, str):
        apps = parse_apps(apps)
    app = Flask(__name__, static_folder=None)
    app.json.ensure_ascii = False  # WeChat answers in UTF-8, not \\u escapes
    state_file = settings.get("state_file", os.environ.get("EMULATOR_STATE_FILE"))
    state = State(EmulatorClock(), apps, Path(state_file) if state_file else None)
    app.extensions[EXTENSION_KEY] = state
    for module in (wechat, subscribe, face, registries, devapi, devapi_users, devapi_messages):
        app.register_blueprint(module.bp)
    faults.install(app)
    devapi.install(app)
    app.wsgi_app = fastpath.FastSend(app.wsgi_app, state)  # the send at volume, without Flask's overhead
    # The mini program's pages; /api is forwarded to the yss API at YSS_API_BASE.
    from miniprogram_stub.web import web_blueprint

    app.config.update(YSS_API_BASE=settings.get("api_base"), WEB_APPID=settings.get("web_appid", next(iter(apps), "")))
    app.register_blueprint(web_blueprint())
    # A sample department app logging residents in with yss (OpenID Connect).
    from miniprogram_stub import rp

    app.register_blueprint(rp.bp)

    # JSON, not Flask's HTML pages, so a client's wrong path or method reads clearly in a test log.
    @app.errorhandler(404)
    def _not_found(_error: Exception) -> tuple[Response, int]:
        return json_error(404, "not_found", f"no such path {request.path}")

    @app.errorhandler(405)
    def _bad_method(_error: Exception) -> tuple[Response, int]:
        return json_error(405, "method_not_allowed", f"{request.method} not allowed on {request.path}")

    return app
