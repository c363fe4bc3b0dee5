"""Liveness and readiness, outside /api/v1 so load balancers need no token."""

from __future__ import annotations

from flask import Blueprint, jsonify

from app.system.checks import database_ok, redis_ok

blp = Blueprint("health", __name__)


@blp.get("/healthz")
def healthz():
    return jsonify(status="ok")


@blp.get("/readyz")
def readyz():
    checks = {"database": database_ok(), "redis": redis_ok()}
    ready = all(checks.values())
    return jsonify(status="ready" if ready else "unavailable", checks=checks), 200 if ready else 503
