"""State of one emulator instance, guarded by one lock.

State hangs off the Flask app (not module globals), so several emulators can live in one process.
Handlers take `state.lock` around every read-modify-write; nothing slow runs under the lock.
Everything is in memory except the WeChat users when a state file is given: WeChat keeps a person's
openid for ever, so an emulator restarted under `make run` must hand the same phone the same openid
again (yss remembers the phone as bound to it). A reset forgets the users and empties the file.
"""

from __future__ import annotations

import json
import os
import secrets
import string
import threading
from collections import Counter
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from flask import current_app

from miniprogram_stub.clock import EmulatorClock

EXTENSION_KEY = "miniprogram_stub"
SUBSCRIBE_SEND_PATH = "/cgi-bin/message/subscribe/send"
DEFAULT_DAILY_LIMIT = 10_000_000
CHINA_OFFSET_SECONDS = 8 * 3600  # WeChat's daily quotas roll over at midnight Beijing time

_URLSAFE = string.ascii_letters + string.digits + "-_"


@dataclass
class App:
    appid: str
    secret: str
    current_token: str | None = None  # the latest /cgi-bin/token answer
    stable_token: str | None = None  # the latest /cgi-bin/stable_token answer (independent)
    force_refreshes: list[float] = field(default_factory=list)


@dataclass
class Token:
    value: str
    appid: str
    expires_at: float
    superseded_at: float | None = None


@dataclass
class User:
    appid: str
    openid: str
    unionid: str | None = None
    phone: str = ""
    country_code: str = "86"
    name: str | None = None
    id_number: str | None = None
    blocked: bool = False
    country_code_as_number: bool = False
    session_key: str | None = None
    face_outcome: int | None = None  # outcome of the next face step; None means pass (10000)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class OneTimeCode:
    code: str
    appid: str
    openid: str
    expires_at: float
    used: bool = False


@dataclass
class Verify:
    verify_id: str
    appid: str
    openid: str
    out_seq_no: str
    cert_type: str
    cert_name: str
    cert_no: str
    expires_at: float
    verify_ret: int | None = None  # set once the client's face step has finished


@dataclass
class Template:
    template_id: str
    kind: str  # one_time | long_term
    keywords: dict[str, str]
    enum_values: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class Consent:
    openid: str
    template_id: str
    status: str = "filter"  # the last answer: accept | reject | ban | filter
    credits: int = 0  # one-time templates: unused accepts
    banned: bool = False  # switched off in settings ("always refuse"): nothing sends
    long_term_allowed: bool = False

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Fault:
    kind: str  # busy | rate_limit | slow | http_500 | blocked | disconnect
    remaining: int
    delay_seconds: float = 0.0


class State:
    """Everything one emulator instance remembers."""

    def __init__(self, clock: EmulatorClock, preset_apps: dict[str, str], state_file: Path | None = None) -> None:
        self.clock = clock
        self.preset_apps = dict(preset_apps)
        self.state_file = state_file
        self.lock = threading.RLock()
        self.reset(keep_saved=True)

    def reset(self, keep_saved: bool = False) -> None:
        """Forget everything but the pre-registered apps; the saved users too unless ``keep_saved``."""
        with self.lock:
            self.clock.reset()
            self.apps: dict[str, App] = {a: App(a, s) for a, s in self.preset_apps.items()}
            self.tokens: dict[str, Token] = {}
            self.users: dict[str, User] = {}
            self.login_codes: dict[str, OneTimeCode] = {}
            self.phone_codes: dict[str, OneTimeCode] = {}
            self.verifies: dict[str, Verify] = {}
            self.out_seq_nos: set[tuple[str, str]] = set()
            self.templates: dict[str, Template] = {}
            self.pages: list[str] = []
            self.consents: dict[tuple[str, str], Consent] = {}
            self.sent: list[dict[str, Any]] = []
            self.daily_limit = DEFAULT_DAILY_LIMIT
            self.daily_usage: Counter[tuple[int, str]] = Counter()
            self.faults: dict[str, list[Fault]] = {}
            self.calls: Counter[str] = Counter()
            self.persons: dict[str, dict[str, str]] = {}
            self.entities: dict[str, dict[str, Any]] = {}
            self.next_msgid = 1_000_000
            if keep_saved:
                self.users = self._load_users()
            else:
                self.save_users()

    def record_sent(self, message: dict[str, Any]) -> None:
        """Keep one accepted subscribe message (caller holds the lock); ``GET /__emulator__/sent`` lists them."""
        self.sent.append(message)

    def user_by_phone(self, appid: str, phone: str) -> User | None:
        """The first WeChat user of ``appid`` with this phone: one person, one openid per app."""
        return next((u for u in self.users.values() if u.appid == appid and u.phone == phone), None)

    def _load_users(self) -> dict[str, User]:
        if self.state_file is None or not self.state_file.exists():
            return {}
        known = {f.name for f in fields(User)}
        saved = json.loads(self.state_file.read_text(encoding="utf-8") or "{}").get("users", [])
        users = [User(**{k: v for k, v in row.items() if k in known}) for row in saved]
        return {u.openid: u for u in users}

    def save_users(self) -> None:
        """Write the users to the state file (atomically: a crash leaves the old file or the new one)."""
        if self.state_file is None:
            return
        self.state_file.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.state_file.with_name(self.state_file.name + ".tmp")
        temporary.write_text(json.dumps({"users": [u.to_json() for u in self.users.values()]}, ensure_ascii=False),
                             encoding="utf-8")
        os.replace(temporary, self.state_file)

    def now(self) -> float:
        return self.clock.now()

    def today(self) -> int:
        """Index of the current Beijing calendar day on the emulator clock."""
        return int((self.now() + CHINA_OFFSET_SECONDS) // 86400)

    def consent(self, openid: str, template_id: str) -> Consent:
        key = (openid, template_id)
        if key not in self.consents:
            self.consents[key] = Consent(openid, template_id)
        return self.consents[key]


def get_state() -> State:
    """The state of the emulator serving the current request."""
    return current_app.extensions[EXTENSION_KEY]


def new_openid() -> str:
    # Real openids are 28 characters starting with "o".
    return "o" + "".join(secrets.choice(_URLSAFE) for _ in range(27))


def new_token() -> str:
    # Real access tokens are long opaque strings; the prefix lets us tell malformed from unknown.
    return "ACCESS_" + secrets.token_urlsafe(96)


def new_code() -> str:
    return secrets.token_hex(16)


def new_verify_id() -> str:
    return secrets.token_hex(20)


def new_rid() -> str:
    return f"{secrets.token_hex(4)}-{secrets.token_hex(4)}-{secrets.token_hex(4)}"
