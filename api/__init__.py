"""The HTTP layer: flask-smorest blueprints under /api/v1, auth, and one error shape."""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable
from typing import Any

from flask import Flask, request, send_from_directory
from flask_smorest import Api
from sqlalchemy.exc import DBAPIError
from werkzeug.middleware.proxy_fix import ProxyFix

from api.errors import register_error_handlers
from api.schemas import ErrorBodySchema, IdConverter, TextConverter
from app import db
from app.logs import configure_logging
from config import get_settings

# Blueprint modules in registration order; each exposes ``blp``.
BLUEPRINTS: tuple[str, ...] = (
    "api.system", "api.sessions", "api.identity", "api.intake", "api.people", "api.acting", "api.certificates",
    "api.entities", "api.licences", "api.staff", "api.tickets.routes", "api.ratings.routes", "api.applications",
    "api.opendata", "api.halls.routes",
    "api.push.inbox", "api.push.preferences", "api.push.consent", "api.push.wechat_messages",
    "api.push.operations", "api.oidc.provider", "api.oidc.consent", "api.oidc.clients",
)


class YssFlask(Flask):
    def ensure_sync(self, func: Callable) -> Callable:
        """No view here is a coroutine: smorest asks this of every decorator layer on every request,
        and ``inspect.iscoroutinefunction`` cost a cached read about a twentieth of its CPU."""
        code = getattr(func, "__code__", None)
        if code is not None and not code.co_flags & inspect.CO_COROUTINE:
            return func
        return super().ensure_sync(func)

    def dispatch_request(self) -> Any:
        """A read that met a connection the database had dropped (a restart) runs once more, on a
        fresh one: the disconnect invalidated the pool, so no request pays a ping to find out."""
        try:
            return super().dispatch_request()
        except DBAPIError as error:
            if not error.connection_invalidated or request.method not in ("GET", "HEAD"):
                raise
            db.remove_session()
            db.plain_reads()
            return super().dispatch_request()


class YssApi(Api):
    ERROR_SCHEMA = ErrorBodySchema

    def _register_error_handlers(self) -> None:
        register_error_handlers(self._app)


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    settings = get_settings()
    configure_logging(settings.log_level)
    app = YssFlask(__name__, instance_path=str(settings.instance_path))
    app.config.update(
        MAX_CONTENT_LENGTH=settings.max_request_bytes,
        RATE_LIMIT_PER_MINUTE=settings.rate_limit_per_minute,
        TRUSTED_PROXIES=settings.trusted_proxies,
        JSON_SORT_KEYS=False,
        API_TITLE="yss 粤省事后端 API",
        API_VERSION="v1",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/api",
        OPENAPI_JSON_PATH="openapi.json",
        OPENAPI_SWAGGER_UI_PATH="docs",
        OPENAPI_SWAGGER_UI_URL="/api/swagger-ui/",
        API_SPEC_OPTIONS={
            "info": {"description": "Residents, businesses, staff and issuing authorities."},
            "components": {
                "securitySchemes": {
                    "bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"},
                }
            },
        },
    )
    app.config.update(overrides or {})
    if app.config["TRUSTED_PROXIES"]:
        # The client address (rate limits, audit) is then the one the last trusted proxy saw.
        proxies = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)  # type: ignore[method-assign]
    app.json.ensure_ascii = False  # Chinese stays readable in bodies
    app.url_map.converters["int"] = IdConverter
    app.url_map.converters["default"] = app.url_map.converters["string"] = TextConverter

    from app.datafiles import validate_all

    validate_all()  # rules, catalogues, the negative list: a bad data file stops the start, naming file and field

    from api import observability
    from api.health import blp as health_blp

    observability.install(app)
    app.register_blueprint(health_blp)
    _serve_swagger_assets(app)

    api = YssApi(app)
    for module_name in BLUEPRINTS:
        api.register_blueprint(importlib.import_module(module_name).blp)
    app.extensions["yss_api"] = api

    app.teardown_appcontext(lambda _exc: db.remove_session())
    from app.cli import register_commands
    from app.push import newcomers as _newcomers  # noqa: F401  (its when_verified listener: scanned at once)

    register_commands(app.cli)
    return app


def _serve_swagger_assets(app: Flask) -> None:
    import swagger_ui_bundle

    @app.get("/api/swagger-ui/<path:filename>")
    def swagger_ui_asset(filename: str):
        return send_from_directory(swagger_ui_bundle.swagger_ui_path, filename)
