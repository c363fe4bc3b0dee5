"""One connection pool per process for outside calls (keep-alive), with the configured timeout.

urllib3 (what requests is built on) directly: a call costs about half the CPU of the same call
through a requests Session, whose per-call proxy, cookie, hook and settings-merging machinery
we do not use; at a delivery backlog's volume that is most of a send's cost on our side. Nothing is
retried here: a call that may have reached the service is not repeated blindly (``UpstreamInterrupted``).
"""

from __future__ import annotations

import functools
import json as jsonlib
from typing import Any
from urllib.parse import urlencode

import urllib3
from urllib3.exceptions import ConnectTimeoutError, HTTPError

from app.errors import UpstreamUnavailable
from app.integrations.errors import UpstreamInterrupted
from config import get_settings

RETRY_AFTER_SECONDS = 30
JSON_HEADERS = {"Content-Type": "application/json"}


@functools.cache
def http_pool() -> urllib3.PoolManager:
    # Connections are kept per host and reused by any thread; a busy moment opens more (block=False)
    # and keeps up to ``maxsize`` of them. No proxy or netrc lookups from the environment: the
    # configured outside services are reached directly.
    return urllib3.PoolManager(num_pools=8, maxsize=32, block=False, retries=False)


@functools.lru_cache(maxsize=16)
def _host_pool(origin: str) -> urllib3.HTTPConnectionPool:
    # The pool of one origin, found once: PoolManager parses and normalises the URL on every call.
    return http_pool().connection_from_url(origin)


@functools.lru_cache(maxsize=4)
def _timeout(seconds: float) -> urllib3.Timeout:
    return urllib3.Timeout(connect=seconds, read=seconds)


def request_json(method: str, url: str, *, service: str, params: dict[str, str] | None = None,
                 json: Any = None, timeout: float | None = None) -> tuple[int, Any]:
    """Call an outside service and return (status, JSON body).

    Raises ``UpstreamUnavailable`` when the request cannot have had an effect (no connection, or a 5xx
    answer) and ``UpstreamInterrupted`` (a subclass) when it may have: the answer timed out, the
    connection dropped after the request was written, or a 2xx–4xx answer could not be read.
    The URL may carry an access token, so it is never put into the error or the log.
    """
    scheme, _empty, host, *path = url.split("/", 3)
    target = "/" + (path[0] if path else "")
    if params:
        target = f"{target}{'&' if '?' in target else '?'}{urlencode(params)}"
    body = None if json is None else jsonlib.dumps(json, ensure_ascii=False, separators=(",", ":")).encode()
    wait = get_settings().http_timeout_seconds if timeout is None else timeout
    try:
        response = _host_pool(f"{scheme}//{host}").urlopen(
            method, target, body=body, headers=JSON_HEADERS if body is not None else None, timeout=_timeout(wait),
            redirect=False, retries=False)
    except ConnectTimeoutError:  # also refused and unresolvable: the request never went out
        raise UpstreamUnavailable(details={"service": service}, retry_after=RETRY_AFTER_SECONDS) from None
    except HTTPError as exc:  # read timeout, connection reset or closed mid-call
        raise UpstreamInterrupted(details={"service": service}, retry_after=RETRY_AFTER_SECONDS) from (
            _scrub(exc))
    if response.status >= 500:
        raise UpstreamUnavailable(details={"service": service}, retry_after=RETRY_AFTER_SECONDS)
    try:
        return response.status, jsonlib.loads(response.data)
    except ValueError:
        raise UpstreamInterrupted(details={"service": service}, retry_after=RETRY_AFTER_SECONDS) from None


def _scrub(exc: Exception) -> Exception:
    # urllib3's messages include the full URL (and so the access_token); keep only the type.
    return RuntimeError(type(exc).__name__)
