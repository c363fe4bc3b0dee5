"""The one settings object of yss, read from the environment.

Development needs nothing set: stores default to a SQLite file and an embedded Redis under
``instance/``, and keys are generated once under ``instance/dev-keys.json`` (see ``devkeys``).
Production (``YSS_ENV=production``) refuses to start while any secret is missing or is one of
those development keys, and names each one.
"""

from __future__ import annotations

import base64
import functools
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from config import devkeys

ROOT = Path(__file__).resolve().parent.parent

# Settings whose values are secrets: never logged, required in production, never a dev key.
SECRET_FIELDS = (
    "signing_keys",
    "field_encryption_keys",
    "blind_index_key",
    "wechat_secret",
    "wechat_message_token",
    "wechat_encoding_aes_key",
    "oidc_signing_keys",
    "audit_chain_key",
)


class ConfigurationError(RuntimeError):
    """The configuration cannot run the app; the message names every offending setting."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="", case_sensitive=False, extra="ignore")

    env: Literal["development", "test", "production"] = Field("development", alias="YSS_ENV")
    instance_path: Path = Field(ROOT / "instance", alias="YSS_INSTANCE_PATH")
    database_url: str | None = Field(None, alias="DATABASE_URL")
    redis_url: str | None = Field(None, alias="REDIS_URL")
    # How long a SQLite write waits for the lock before answering 503 store_unavailable.
    sqlite_busy_timeout_ms: int = Field(2000, ge=0, le=60_000, alias="SQLITE_BUSY_TIMEOUT_MS")

    # Keys. Lists are "id:base64url(key)" separated by commas; the first one signs / encrypts,
    # all of them verify / decrypt, which is how a key is rotated without downtime.
    signing_keys: str | None = Field(None, alias="SIGNING_KEYS")
    field_encryption_keys: str | None = Field(None, alias="FIELD_ENCRYPTION_KEYS")
    blind_index_key: str | None = Field(None, alias="BLIND_INDEX_KEY")

    # The audit chain: each entry's hash is an HMAC under this key (base64url), so rewriting the log
    # needs a secret the database does not hold; signed checkpoints of the chain's head are appended
    # to a file outside the database (default: a directory of its own under the instance path).
    audit_chain_key: str | None = Field(None, alias="AUDIT_CHAIN_KEY")
    audit_checkpoint_path: Path | None = Field(None, alias="AUDIT_CHECKPOINT_PATH")

    wechat_api_base: str = Field("http://127.0.0.1:8001", alias="WECHAT_API_BASE")
    wechat_appid: str = Field("wxdevyss000000001", alias="WECHAT_APPID")
    wechat_secret: str | None = Field(None, alias="WECHAT_SECRET")
    wechat_message_token: str | None = Field(None, alias="WECHAT_MESSAGE_TOKEN")
    wechat_encoding_aes_key: str | None = Field(None, alias="WECHAT_ENCODING_AES_KEY")
    # Plain-mode (明文) message pushes carry an unsigned body: development only, refused in production.
    wechat_plain_messages: bool = Field(False, alias="WECHAT_PLAIN_MESSAGES")
    registry_base_url: str = Field("http://127.0.0.1:8001/registry", alias="REGISTRY_BASE_URL")
    http_timeout_seconds: float = Field(5.0, alias="HTTP_TIMEOUT_SECONDS")

    # OpenID Provider for department apps. Its own RSA keys (PKCS#8 DER, "kid:base64url,..."): OpenID
    # Connect requires RS256 for ID tokens, and relying parties pin this JWKS, not the app's own keys.
    oidc_signing_keys: str | None = Field(None, alias="OIDC_SIGNING_KEYS")
    oidc_issuer: str | None = Field(None, alias="OIDC_ISSUER")
    oidc_consent_url: str = Field("http://127.0.0.1:8001/app/", alias="OIDC_CONSENT_URL")

    l3_max_age_days: int = Field(30, alias="L3_MAX_AGE_DAYS")
    access_token_minutes: int = Field(15, alias="ACCESS_TOKEN_MINUTES")
    # A spent refresh token presented again within this many seconds (a client refreshing twice at
    # once) gets the same new pair instead of revoking its family as reuse.
    refresh_grace_seconds: int = Field(10, ge=0, le=60, alias="REFRESH_GRACE_SECONDS")
    # 好差评: a bad rating's rectification is due in this many working days (5 or 15 by province).
    rectification_working_days: int = Field(15, alias="RECTIFICATION_WORKING_DAYS")

    timezone: str = Field("Asia/Shanghai", alias="TIMEZONE")
    log_level: str = Field("INFO", alias="LOG_LEVEL")
    max_request_bytes: int = Field(2 * 1024 * 1024, alias="MAX_REQUEST_BYTES")
    rate_limit_per_minute: int = Field(600, alias="RATE_LIMIT_PER_MINUTE")
    # Reverse proxies in front of the app whose X-Forwarded-For / -Proto are believed (0: none, so
    # a client cannot pick its own address; 1 behind one nginx or load balancer).
    trusted_proxies: int = Field(0, ge=0, le=5, alias="TRUSTED_PROXIES")
    # The public origin of the API: the ``iss`` of SD-JWT credentials and their status-list URLs.
    public_base_url: str = Field("http://127.0.0.1:8000", alias="PUBLIC_BASE_URL")
    credential_days: int = Field(30, alias="CREDENTIAL_DAYS")

    @property
    def is_production(self) -> bool:
        return self.env == "production"

    @property
    def sqlalchemy_url(self) -> str:
        if self.database_url:
            url = self.database_url
            # Accept the common postgres:// spellings and use psycopg 3.
            for prefix in ("postgres://", "postgresql://"):
                if url.startswith(prefix):
                    return "postgresql+psycopg://" + url[len(prefix):]
            return url
        return f"sqlite:///{self.instance_path / 'yss.sqlite3'}"

    @property
    def audit_checkpoint_file(self) -> Path:
        return self.audit_checkpoint_path or self.instance_path / "audit-anchor" / "checkpoints.jsonl"

    def key_list(self, name: str) -> list[tuple[str, bytes]]:
        """Parse an "id:base64url,id:base64url" key list into (id, bytes) pairs."""
        raw = getattr(self, name) or ""
        pairs = []
        for item in filter(None, (part.strip() for part in raw.split(","))):
            key_id, _, encoded = item.partition(":")
            if not key_id or not encoded:
                raise ConfigurationError(f"{name.upper()}: each entry must be 'id:base64key'")
            pairs.append((key_id, _b64decode(encoded)))
        return pairs

    def key_bytes(self, name: str) -> bytes:
        return _b64decode(getattr(self, name) or "")


def _b64decode(value: str) -> bytes:
    return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))


def check_production(settings: Settings) -> None:
    """Refuse to run production on missing or development secrets, naming each."""
    problems = []
    for name in SECRET_FIELDS:
        value = getattr(settings, name)
        if not value:
            problems.append(f"{name.upper()} is not set")
        elif devkeys.is_development_value(value):
            problems.append(f"{name.upper()} is a development key")
    if settings.wechat_plain_messages:
        problems.append("WECHAT_PLAIN_MESSAGES must be off (only safe-mode pushes in production)")
    if not settings.database_url:
        problems.append("DATABASE_URL is not set")
    if not settings.redis_url:
        problems.append("REDIS_URL is not set")
    if not settings.oidc_issuer:  # never taken from a request's Host header in production
        problems.append("OIDC_ISSUER is not set")
    if problems:
        raise ConfigurationError("refusing to start in production: " + "; ".join(problems))


def load_settings() -> Settings:
    settings = Settings()
    if settings.is_production:
        check_production(settings)
        return settings
    # Development and tests: fill missing secrets from keys generated once under instance/.
    generated = devkeys.load_or_create(settings.instance_path)
    updates = {name: generated[name] for name in SECRET_FIELDS if not getattr(settings, name)}
    return settings.model_copy(update=updates)


@functools.cache
def get_settings() -> Settings:
    return load_settings()
