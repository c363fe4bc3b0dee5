"""The machine API of issuing authorities: signed batch upserts."""

from __future__ import annotations

import marshmallow as ma
from flask import g
from flask.views import MethodView

from api.blueprint import Blueprint
from api.errors import with_chinese_fields
from api.schemas import Int
from app.intake.batches import MAX_BATCH, ingest_batch
from app.intake.errors import BatchTooLarge

blp = Blueprint("intake", __name__, url_prefix="/api/v1/intake", description="发证部门数据接入（机器接口）")


class BatchSchema(ma.Schema):
    records = ma.fields.List(ma.fields.Dict(), required=True,
                             metadata={"description": f"最多 {MAX_BATCH} 条"})


class RecordResultSchema(ma.Schema):
    index = Int()
    type = ma.fields.String(attribute="record_type", allow_none=True)
    id = ma.fields.String(attribute="record_id", allow_none=True)
    version = Int(allow_none=True)
    status = ma.fields.String(metadata={"description": "accepted | unchanged | rejected"})
    reason = ma.fields.String(allow_none=True, metadata={"description": (
        "拒收原因：malformed_record、unknown_type、type_not_allowed、document_type_not_allowed（未登记签发此类证照"
        "或许可证）、record_owned_by_other_authority（该记录由其他机关签发）、invalid_data、version_conflict、"
        "stale_version，或记录类型自身的错误码")})
    details = ma.fields.Function(lambda result: with_chinese_fields(result.details),
                                 metadata={"type": "object", "description": "拒收原因的细节（字段错误为中文）"})


class BatchResultSchema(ma.Schema):
    accepted = Int()
    unchanged = Int()
    rejected = Int()
    results = ma.fields.List(ma.fields.Nested(RecordResultSchema))


@blp.route("/batches")
class Batches(MethodView):
    @blp.authority()
    @blp.arguments(BatchSchema, example={"records": [
        {"type": "certificate", "id": "GDPSB-ID-0001", "version": 1, "data": {"...": "..."}}]})
    @blp.response(200, BatchResultSchema, example={
        "accepted": 1, "unchanged": 0, "rejected": 1, "results": [
            {"index": 0, "type": "certificate", "id": "GDPSB-ID-0001", "version": 1, "status": "accepted",
             "reason": None, "details": {}},
            {"index": 1, "type": "licence", "id": "X-1", "version": 1, "status": "rejected",
             "reason": "record_owned_by_other_authority", "details": {}}]})
    @blp.errors(BatchTooLarge)
    def post(self, body):
        """Upsert a batch of records; each gets accepted, unchanged or rejected with a reason."""
        results = ingest_batch(g.authority, body["records"])
        return {"accepted": sum(r.status == "accepted" for r in results),
                "unchanged": sum(r.status == "unchanged" for r in results),
                "rejected": sum(r.status == "rejected" for r in results),
                "results": results}
