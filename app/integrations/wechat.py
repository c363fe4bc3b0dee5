"""WeChat server API client (wire formats: shared/WECHAT.md).

The access_token is cached in Redis and refreshed single-flight across every process: a fetch
supersedes the previous token, so processes refreshing on their own would knock each other out.
A token error from an API call drops the cached token (only if it is still the one that failed),
fetches once and retries once; never a loop. A batch of calls (``reusing_token``) reads the token
from Redis once rather than once a call.
"""

from __future__ import annotations

import contextlib
import functools
import secrets
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from app.errors import UpstreamUnavailable
from app.integrations.errors import UpstreamInterrupted, WeChatBusy, WeChatError, WeChatRateLimited
from app.integrations.http import RETRY_AFTER_SECONDS, request_json
from app.redis_store import get_redis
from config import get_settings

TOKEN_KEY = "wechat:access_token"
LOCK_KEY = "wechat:access_token:lock"
TOKEN_ERRORS = {40001, 40014, 41001, 42001}
# Refresh a little before WeChat's expiry so no call goes out with a token about to lapse.
EXPIRY_MARGIN_SECONDS = 300
LOCK_MS = 10_000

_RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end"


def _error(errcode: int) -> WeChatError:
    if errcode == -1:
        return WeChatBusy(errcode, retry_after=RETRY_AFTER_SECONDS)
    if errcode in (45011, 45009):
        return WeChatRateLimited(errcode, retry_after=60)
    return WeChatError(errcode)


@dataclass(frozen=True)
class LoginSession:
    openid: str
    session_key: str
    unionid: str | None


@dataclass(frozen=True)
class PhoneInfo:
    phone_number: str
    pure_phone_number: str
    country_code: str


class WeChatClient:
    def __init__(self, base_url: str, appid: str, secret: str) -> None:
        self.base_url = base_url.rstrip("/")
        self.appid = appid
        self._secret = secret
        self._batch = threading.local()  # this thread's token while inside ``reusing_token``

    # --- access_token -------------------------------------------------------------------------
    @contextlib.contextmanager
    def reusing_token(self) -> Iterator[None]:
        """Within the block, this thread's calls share one access_token read (a batch of sends).

        Safe for a batch's length (under a minute or two): a token superseded meanwhile by another
        process keeps working for WeChat's 5-minute overlap, the cached one expires with a 5-minute
        margin, and a token error still drops it and fetches once."""
        self._batch.active, self._batch.token = True, None
        try:
            yield
        finally:
            self._batch.active, self._batch.token = False, None

    def access_token(self) -> str:
        if getattr(self._batch, "active", False):
            if self._batch.token is None:
                self._batch.token = self._shared_token()
            return self._batch.token
        return self._shared_token()

    def _shared_token(self) -> str:
        redis = get_redis()
        token = redis.get(TOKEN_KEY)
        if token:
            return token
        owner = secrets.token_hex(8)
        deadline = time.monotonic() + LOCK_MS / 1000
        while time.monotonic() < deadline:
            if redis.set(LOCK_KEY, owner, nx=True, px=LOCK_MS):
                try:
                    token = redis.get(TOKEN_KEY)  # another process may have just stored one
                    return token or self._fetch_token()
                finally:
                    redis.eval(_RELEASE, 1, LOCK_KEY, owner)
            time.sleep(0.02)
            token = redis.get(TOKEN_KEY)
            if token:
                return token
        raise UpstreamUnavailable(details={"service": "wechat"}, retry_after=RETRY_AFTER_SECONDS)

    def _fetch_token(self) -> str:
        try:
            _status, body = request_json(
                "GET", f"{self.base_url}/cgi-bin/token", service="wechat",
                params={"grant_type": "client_credential", "appid": self.appid, "secret": self._secret},
            )
        except UpstreamInterrupted:  # whether or not it took effect, no token came back: plainly unavailable
            raise UpstreamUnavailable(details={"service": "wechat"}, retry_after=RETRY_AFTER_SECONDS) from None
        errcode = body.get("errcode", 0)
        if errcode:
            raise _error(errcode)
        token, expires_in = body["access_token"], int(body.get("expires_in", 7200))
        ttl = max(60, expires_in - EXPIRY_MARGIN_SECONDS)
        get_redis().set(TOKEN_KEY, token, ex=ttl)
        return token

    def _drop_token(self, failed: str) -> None:
        if getattr(self._batch, "token", None) == failed:
            self._batch.token = None
        get_redis().eval(_RELEASE, 1, TOKEN_KEY, failed)

    def _call(self, method: str, path: str, *, json: dict[str, Any] | None = None,
              params: dict[str, str] | None = None) -> dict[str, Any]:
        """Call an access_token API; on a token error refresh once and retry once."""
        for attempt in (1, 2):
            token = self.access_token()
            _status, body = request_json(
                method, f"{self.base_url}{path}", service="wechat",
                params={**(params or {}), "access_token": token}, json=json,
            )
            errcode = body.get("errcode", 0)
            if errcode in TOKEN_ERRORS and attempt == 1:
                self._drop_token(token)
                continue
            if errcode:
                raise _error(errcode)
            return body
        raise AssertionError("unreachable")  # pragma: no cover

    # --- APIs --------------------------------------------------------------------------------
    def code_to_session(self, js_code: str) -> LoginSession:
        _status, body = request_json(
            "GET", f"{self.base_url}/sns/jscode2session", service="wechat",
            params={"appid": self.appid, "secret": self._secret, "js_code": js_code,
                    "grant_type": "authorization_code"},
        )
        errcode = body.get("errcode", 0)
        if errcode:
            raise _error(errcode)
        return LoginSession(body["openid"], body["session_key"], body.get("unionid"))

    def phone_number(self, code: str, openid: str | None = None) -> PhoneInfo:
        payload = {"code": code, **({"openid": openid} if openid else {})}
        body = self._call("POST", "/wxa/business/getuserphonenumber", json=payload)
        return phone_info_from(body["phone_info"])

    def face_verify_id(self, *, out_seq_no: str, name: str, id_number: str, openid: str) -> str:
        body = self._call("POST", "/cityservice/face/identify/getverifyid", json={
            "out_seq_no": out_seq_no,
            "cert_info": {"cert_type": "IDENTITY_CARD", "cert_name": name, "cert_no": id_number},
            "openid": openid,
        })
        return body["verify_id"]

    def face_verify_result(self, *, verify_id: str, out_seq_no: str, cert_hash: str, openid: str) -> int:
        """WeChat's verify_ret; 10000 is the only pass."""
        body = self._call("POST", "/cityservice/face/identify/queryverifyinfo", json={
            "verify_id": verify_id, "out_seq_no": out_seq_no, "cert_hash": cert_hash, "openid": openid,
        })
        return int(body["verify_ret"])

    def send_subscribe_message(self, *, openid: str, template_id: str, data: dict[str, str],
                               page: str | None = None, state: str | None = None) -> str | None:
        """Send one subscribe message; WeChat's msgid. ``UpstreamInterrupted`` means it may have been sent."""
        payload: dict[str, Any] = {
            "touser": openid, "template_id": template_id, "lang": "zh_CN",
            "data": {key: {"value": value} for key, value in data.items()},
        }
        if page:
            payload["page"] = page
        if state:
            payload["miniprogram_state"] = state
        body = self._call("POST", "/cgi-bin/message/subscribe/send", json=payload)
        msgid = body.get("msgid")
        return None if msgid is None else str(msgid)


def phone_info_from(info: dict[str, Any]) -> PhoneInfo:
    # countryCode arrives both as a string and as a number.
    return PhoneInfo(str(info["phoneNumber"]), str(info["purePhoneNumber"]), str(info["countryCode"]))


@functools.cache
def wechat() -> WeChatClient:
    settings = get_settings()
    return WeChatClient(settings.wechat_api_base, settings.wechat_appid, settings.wechat_secret or "")
