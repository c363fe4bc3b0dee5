"""Readiness: can this process reach its stores right now."""

from __future__ import annotations

from sqlalchemy import text

from app.db import get_engine
from app.redis_store import get_redis


def database_ok() -> bool:
    try:
        with get_engine().connect() as conn:
            conn.execute(text("SELECT 1"))
        return True
    except Exception:
        return False


def redis_ok() -> bool:
    try:
        return bool(get_redis().ping())
    except Exception:
        return False
