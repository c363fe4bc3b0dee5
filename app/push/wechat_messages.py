"""WeChat's message push to our server: the URL check and subscribe events: consent events go to
``consent``, reports of sent messages to ``reports``.

A push is taken only when it is fresh (its signed timestamp within ``WINDOW`` of our clock), in safe
mode (plain mode signs only token, timestamp and nonce, so one captured query would carry any body:
it is for development, behind ``WECHAT_PLAIN_MESSAGES``), with a (timestamp, nonce) pair never seen
before, and its event is applied once per its own identity (``message_key``), however often WeChat
retries it. The nonce, the receipt and the event's effect commit in one transaction: a push that
fails half-way spends nothing and WeChat's retry applies it.
"""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta
from typing import Any

from sqlalchemy import delete

from app import clock
from app.db import session, transactional
from app.integrations.wechat_crypto import check_signature, decrypt_message
from app.push import reports
from app.push.consent import apply_wechat_event
from app.push.errors import MessageInvalid, MessageReplayed, MessageStale, PlainModeRefused
from app.push.models import ReceivedMessage
from app.queue import PUSH, actor
from app.security import nonces
from app.sqlutil import insert_ignoring_conflicts
from config import get_settings

WINDOW = timedelta(minutes=5)
NONCE_SCOPE = "wechat-push"
KEEP_RECEIPTS_FOR = timedelta(days=1)  # WeChat retries within seconds; the window bounds replays


def _check_fresh(timestamp: str) -> None:
    if not (timestamp.isascii() and timestamp.isdigit() and len(timestamp) <= 12):
        raise MessageStale()
    if abs(clock.now().timestamp() - int(timestamp)) > WINDOW.total_seconds():
        raise MessageStale()


def _spend_nonce(timestamp: str, nonce: str) -> None:
    if not nonces.spend(NONCE_SCOPE, f"{timestamp}:{nonce}"[:128], 2 * WINDOW):
        raise MessageReplayed()


@transactional
def _spend_url_check_nonce(timestamp: str, nonce: str) -> None:
    _spend_nonce(timestamp, nonce)


def verify_url(signature: str, timestamp: str, nonce: str, echostr: str) -> str:
    """The configuration check: answer ``echostr`` when the signature matches our token."""
    check_signature(signature, get_settings().wechat_message_token or "", timestamp, nonce)
    _check_fresh(timestamp)
    _spend_url_check_nonce(timestamp, nonce)
    return echostr


def message_key(message: dict[str, Any]) -> str:
    """A message's own identity: its ``MsgId`` when it has one; for an event (which has none), the
    sender, ``CreateTime`` and ``Event`` WeChat recommends, plus a digest of the message so two
    different events of one user in the same second stay two (a retry repeats the message exactly)."""
    if message.get("MsgId") not in (None, ""):
        identity = f"msgid:{message['MsgId']}"
    else:
        canonical = json.dumps(message, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        identity = "event:" + "|".join([str(message.get("FromUserName", "")), str(message.get("CreateTime", "")),
                                        str(message.get("Event", "")), hashlib.sha256(canonical.encode()).hexdigest()])
    return hashlib.sha256(identity.encode()).hexdigest()


def _parse(raw: bytes | str) -> dict[str, Any]:
    try:
        message = json.loads(raw or b"{}")
    except ValueError:
        raise MessageInvalid() from None
    if not isinstance(message, dict):
        raise MessageInvalid()
    return message


def receive(args: dict[str, str], body: bytes) -> int:
    """Check and decrypt one pushed message, then apply it once; returns items applied."""
    settings = get_settings()
    token = settings.wechat_message_token or ""
    timestamp, nonce = args.get("timestamp", ""), args.get("nonce", "")
    check_signature(args.get("signature", ""), token, timestamp, nonce)
    _check_fresh(timestamp)
    message = _parse(body)
    if args.get("encrypt_type") == "aes":
        encrypted = str(message.get("Encrypt", ""))
        check_signature(args.get("msg_signature", ""), token, timestamp, nonce, encrypted)
        message = _parse(decrypt_message(settings.wechat_encoding_aes_key or "", encrypted, settings.wechat_appid))
    elif not settings.wechat_plain_messages:
        raise PlainModeRefused()
    return _apply_once(timestamp, nonce, message)


@transactional
def _apply_once(timestamp: str, nonce: str, message: dict[str, Any]) -> int:
    _spend_nonce(timestamp, nonce)
    first = insert_ignoring_conflicts(ReceivedMessage, [{"key": message_key(message), "received_at": clock.now()}],
                                      conflict=("key",), returning=(ReceivedMessage.key,))
    if not first or message.get("MsgType") != "event":
        return 0  # a retry of what we already applied, or a message type we do not act on
    listed = message.get("List") or []  # an object for one item, an array for several
    items = [listed] if isinstance(listed, dict) else [i for i in listed if isinstance(i, dict)] if isinstance(
        listed, list) else []
    openid, event = str(message.get("FromUserName", "")), str(message.get("Event", ""))
    if event == "subscribe_msg_sent_event":
        return reports.record(openid, items, message.get("CreateTime"))
    return apply_wechat_event(openid, event, items)


@transactional
def purge_receipts() -> int:
    cutoff = clock.now() - KEEP_RECEIPTS_FOR
    return session().execute(delete(ReceivedMessage).where(ReceivedMessage.received_at < cutoff)).rowcount


@actor(queue_name=PUSH, max_retries=3)
def purge_message_receipts() -> None:
    purge_receipts()
