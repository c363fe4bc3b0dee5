"""WeChat's message push to our server: the URL check and subscribe events (plain and safe mode):
consent events go to ``consent``, reports of sent messages to ``reports``."""

from __future__ import annotations

import json

from app.integrations.errors import MessageInvalid
from app.integrations.wechat_crypto import check_signature, decrypt_message
from app.push import reports
from app.push.consent import apply_wechat_event
from config import get_settings


def verify_url(signature: str, timestamp: str, nonce: str, echostr: str) -> str:
    """The configuration check: answer ``echostr`` when the signature matches our token."""
    check_signature(signature, get_settings().wechat_message_token or "", timestamp, nonce)
    return echostr


def receive(args: dict[str, str], body: bytes) -> int:
    """Check and (in safe mode) decrypt one pushed message, then apply it; returns items applied."""
    settings = get_settings()
    token = settings.wechat_message_token or ""
    timestamp, nonce = args.get("timestamp", ""), args.get("nonce", "")
    check_signature(args.get("signature", ""), token, timestamp, nonce)
    try:
        message = json.loads(body or b"{}")
    except ValueError:
        raise MessageInvalid() from None
    if args.get("encrypt_type") == "aes":
        encrypted = str(message.get("Encrypt", ""))
        check_signature(args.get("msg_signature", ""), token, timestamp, nonce, encrypted)
        plain = decrypt_message(settings.wechat_encoding_aes_key or "", encrypted, settings.wechat_appid)
        try:
            message = json.loads(plain)
        except ValueError:
            raise MessageInvalid() from None
    if not isinstance(message, dict) or message.get("MsgType") != "event":
        return 0
    items = message.get("List") or []
    items = [items] if isinstance(items, dict) else [i for i in items if isinstance(i, dict)]
    openid, event = str(message.get("FromUserName", "")), str(message.get("Event", ""))
    if event == "subscribe_msg_sent_event":
        return reports.record(openid, items, message.get("CreateTime"))
    return apply_wechat_event(openid, event, items)
