"""Test environment: each xdist worker gets its own instance dir, database and Redis.

Imported by tests/conftest.py before any application module, because settings are read once.
With DATABASE_URL / REDIS_URL unset the embedded defaults are used (SQLite file, embedded Redis);
set, each worker uses ``<database>_<worker>`` on that server and Redis database ``<index> + n``.
"""

from __future__ import annotations

import os
import tempfile
from urllib.parse import urlsplit, urlunsplit

WORKER = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
WORKER_NUMBER = int(WORKER.removeprefix("gw") or 0)


def _worker_database_url(url: str) -> str:
    parts = urlsplit(url)
    name = parts.path.lstrip("/") or "test"
    return urlunsplit(parts._replace(path=f"/{name}_{WORKER}"))


def _worker_redis_url(url: str) -> str:
    parts = urlsplit(url)
    base = int(parts.path.lstrip("/") or 0)
    return urlunsplit(parts._replace(path=f"/{base + WORKER_NUMBER}"))


def prepare() -> None:
    # Short path: the embedded Redis socket lives here and socket paths are limited to 108 bytes.
    instance = tempfile.mkdtemp(prefix=f"yss-{WORKER}-", dir="/tmp")
    os.environ["YSS_INSTANCE_PATH"] = instance
    os.environ.setdefault("YSS_ENV", "test")
    os.environ["RATE_LIMIT_PER_MINUTE"] = "0"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    # One emulator (WeChat + registries) per worker, over real HTTP; tests reset it between them.
    from tests.support.emulator import start_emulator

    emulator_url = start_emulator()
    os.environ["EMULATOR_URL"] = emulator_url
    os.environ["WECHAT_API_BASE"] = emulator_url
    os.environ["REGISTRY_BASE_URL"] = f"{emulator_url}/registry"
    if os.environ.get("DATABASE_URL"):
        admin_url = os.environ["DATABASE_URL"]
        os.environ["YSS_ADMIN_DATABASE_URL"] = admin_url
        os.environ["DATABASE_URL"] = _worker_database_url(admin_url)
    if os.environ.get("REDIS_URL"):
        os.environ["REDIS_URL"] = _worker_redis_url(os.environ["REDIS_URL"])


def _on_server(*statements: str) -> None:
    """Run statements against the admin database of the configured PostgreSQL (no-op on SQLite)."""
    admin_url = os.environ.get("YSS_ADMIN_DATABASE_URL")
    if not admin_url:
        return
    import psycopg

    # The server's maintenance database, so the configured one need not exist yet.
    parts = urlsplit(admin_url.replace("postgresql+psycopg://", "postgresql://"))
    conninfo = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(conninfo, autocommit=True) as conn:
        for statement in statements:
            conn.execute(statement)


def _worker_database_name() -> str:
    return urlsplit(os.environ.get("DATABASE_URL", "")).path.lstrip("/")


def create_worker_database() -> None:
    """Recreate this worker's PostgreSQL database."""
    name = _worker_database_name()
    _on_server(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"')


def drop_worker_database() -> None:
    _on_server(f'DROP DATABASE IF EXISTS "{_worker_database_name()}" WITH (FORCE)')
