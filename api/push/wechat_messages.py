"""The message-push endpoint WeChat calls: URL check (GET) and subscribe events (POST, safe mode)."""

from __future__ import annotations

import marshmallow as ma
from flask import Response, request
from flask.views import MethodView

from api.blueprint import Blueprint
from app.integrations.wechat_crypto import MessageSignatureError, MessageUndecryptable, MessageWrongAppid
from app.push import wechat_messages
from app.push.errors import MessageInvalid, MessageReplayed, MessageStale, PlainModeRefused

blp = Blueprint("wechat_messages", __name__, url_prefix="/api/v1/wechat", description="微信消息推送")


class UrlCheckSchema(ma.Schema):
    signature = ma.fields.String(required=True)
    timestamp = ma.fields.String(required=True)
    nonce = ma.fields.String(required=True)
    echostr = ma.fields.String(required=True)


class PushQuerySchema(ma.Schema):
    class Meta:
        unknown = ma.EXCLUDE

    signature = ma.fields.String(required=True)
    timestamp = ma.fields.String(required=True)
    nonce = ma.fields.String(required=True)
    encrypt_type = ma.fields.String(metadata={"description": "安全模式为 aes"})
    msg_signature = ma.fields.String()


class PushBodySchema(ma.Schema):
    class Meta:
        unknown = ma.INCLUDE


def _text(value: str) -> Response:
    return Response(value, mimetype="text/plain")


@blp.route("/messages")
class Messages(MethodView):
    @blp.public
    @blp.arguments(UrlCheckSchema, location="query")
    @blp.response(200, {"type": "string"}, content_type="text/plain", example="abc")
    @blp.errors(MessageSignatureError, MessageStale, MessageReplayed)
    def get(self, args):
        """WeChat's server URL check: echo echostr when the signature matches."""
        return _text(wechat_messages.verify_url(args["signature"], args["timestamp"], args["nonce"], args["echostr"]))

    @blp.public
    @blp.arguments(PushQuerySchema, location="query")
    @blp.arguments(PushBodySchema, example={"ToUserName": "gh_123",
                                            "Encrypt": "kM3Yl1zX0c2Qw...（AES-256-CBC，Base64）"})
    @blp.response(200, {"type": "string"}, content_type="text/plain", example="success")
    @blp.errors(MessageSignatureError, MessageStale, MessageReplayed, PlainModeRefused, MessageInvalid,
                MessageUndecryptable, MessageWrongAppid)
    def post(self, args, _body):
        """Subscribe events pushed by WeChat: fresh, safe mode, each once; answers success."""
        wechat_messages.receive(request.args.to_dict(), request.get_data(cache=True))
        return _text("success")
