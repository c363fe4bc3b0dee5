"""Liveness and readiness, outside /api/v1 so load balancers need no token."""

from __future__ import annotations

from flask import Blueprint, jsonify

from app import clock
from app.system.checks import database_ok, redis_ok
from app.workdays import horizon

blp = Blueprint("health", __name__)


@blp.get("/healthz")
def healthz():
    return jsonify(status="ok")


@blp.get("/readyz")
def readyz():
    checks = {"database": database_ok(), "redis": redis_ok()}
    ready = all(checks.values())
    # Not a readiness condition: how far official holiday data reaches (deadlines past it are estimates).
    calendar = horizon(clock.today())
    details = {"calendar": {"official_until": calendar.official_until.isoformat(), "days_left": calendar.days_left,
                            "warning": calendar.warning}}
    return jsonify(status="ready" if ready else "unavailable", checks=checks, details=details), 200 if ready else 503
