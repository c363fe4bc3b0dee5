"""Per-request (or per-job) context that the domain may read without knowing about HTTP."""

from __future__ import annotations

from contextvars import ContextVar

request_id: ContextVar[str | None] = ContextVar("request_id", default=None)
