"""The emulator's in-memory world: apps, users, codes, tokens, consents, registries, faults.

One ``World`` per app instance, guarded by one lock; every expiry reads the world's own clock,
which the developer API can move forward.
"""

from __future__ import annotations

import base64
import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any

CODE_TTL = 300
TOKEN_TTL = 7200
SUPERSEDE_OVERLAP = 300
VERIFY_TTL = 3600


def rid() -> str:
    return secrets.token_hex(12)


@dataclass
class User:
    appid: str
    openid: str
    unionid: str | None = None
    phone: str | None = None
    country_code: str = "86"
    name: str | None = None
    id_number: str | None = None
    blocked: bool = False
    country_code_as_number: bool = False
    session_key: str | None = None
    face_outcome: int = 10000


@dataclass
class Code:
    value: str
    openid: str
    kind: str  # login | phone
    issued: float
    used: bool = False


@dataclass
class Token:
    value: str
    appid: str
    issued: float
    expires: float
    superseded_at: float | None = None
    stable: bool = False


@dataclass
class FaceCheck:
    verify_id: str
    appid: str
    openid: str
    out_seq_no: str
    cert_name: str
    cert_no: str
    issued: float
    verify_ret: int | None = None  # set when the client's face step has run


@dataclass
class Template:
    template_id: str
    kind: str  # one_time | long_term
    keywords: dict[str, str]
    enum_values: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class Fault:
    kind: str
    remaining: int
    delay_seconds: float = 0.0


class World:
    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.offset = 0.0
        self.reset()

    def reset(self) -> None:
        with self.lock:
            self.apps: dict[str, str] = {}
            self.users: dict[str, User] = {}
            self.codes: dict[str, Code] = {}
            self.tokens: dict[str, Token] = {}
            self.stable_force: dict[str, list[float]] = {}
            self.faces: dict[str, FaceCheck] = {}
            self.out_seq_nos: set[tuple[str, str]] = set()
            self.templates: dict[str, Template] = {}
            self.pages: set[str] = set()
            self.consents: dict[tuple[str, str], dict[str, Any]] = {}
            self.sent: list[dict[str, Any]] = []
            self.quota_limit = 10_000_000
            self.persons: dict[str, dict[str, str]] = {}
            self.entities: dict[str, dict[str, Any]] = {}
            self.faults: dict[str, list[Fault]] = {}
            self.calls: dict[str, int] = {}
            self.offset = 0.0

    def now(self) -> float:
        return time.time() + self.offset

    # --- codes and tokens ----------------------------------------------------------------------
    def mint_code(self, openid: str, kind: str) -> str:
        with self.lock:
            value = secrets.token_hex(16)
            self.codes[value] = Code(value, openid, kind, self.now())
            return value

    def new_session_key(self, user: User) -> str:
        user.session_key = base64.b64encode(secrets.token_bytes(16)).decode()
        return user.session_key

    def issue_token(self, appid: str, *, stable: bool = False) -> Token:
        now = self.now()
        for token in self.tokens.values():
            if token.appid == appid and token.stable == stable and token.superseded_at is None:
                token.superseded_at = now
        token = Token(secrets.token_urlsafe(48), appid, now, now + TOKEN_TTL, stable=stable)
        self.tokens[token.value] = token
        return token

    def token_error(self, value: str | None) -> int | None:
        """None when the token is good, else WeChat's errcode."""
        if not value:
            return 41001
        token = self.tokens.get(value)
        if token is None:
            return 40014
        now = self.now()
        if token.superseded_at is not None and now > token.superseded_at + SUPERSEDE_OVERLAP:
            return 40001
        if now >= token.expires:
            return 42001
        return None

    def app_of(self, value: str) -> str:
        return self.tokens[value].appid

    # --- faults and counting -------------------------------------------------------------------
    def take_fault(self, path: str) -> Fault | None:
        with self.lock:
            self.calls[path] = self.calls.get(path, 0) + 1
            queue = self.faults.get(path) or []
            while queue and queue[0].remaining <= 0:
                queue.pop(0)
            if not queue:
                return None
            fault = queue[0]
            fault.remaining -= 1
            return fault
