"""Service status for clients and operators."""

from __future__ import annotations

import marshmallow as ma
from flask.views import MethodView

from api.blueprint import Blueprint
from app import clock
from app.system.heartbeat import last_heartbeat

blp = Blueprint("system", __name__, url_prefix="/api/v1/status", description="服务状态")


class StatusSchema(ma.Schema):
    version = ma.fields.String(metadata={"example": "v1"})
    server_time = ma.fields.DateTime(metadata={"example": "2026-11-28T08:00:00+00:00"})
    worker_last_seen = ma.fields.DateTime(allow_none=True)


@blp.route("")
class Status(MethodView):
    @blp.public
    @blp.response(200, StatusSchema, example={
        "version": "v1", "server_time": "2026-11-28T08:00:00+00:00",
        "worker_last_seen": "2026-11-28T07:59:30+00:00",
    })
    def get(self):
        """Server time and when a worker was last seen."""
        beat = last_heartbeat()
        return {"version": "v1", "server_time": clock.now(),
                "worker_last_seen": beat.seen_at if beat else None}
