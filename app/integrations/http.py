"""One HTTP session per process for outside calls, with the configured timeout."""

from __future__ import annotations

import functools
from typing import Any

import requests
from requests.adapters import HTTPAdapter

from app.errors import UpstreamUnavailable
from config import get_settings

RETRY_AFTER_SECONDS = 30


@functools.cache
def http_session() -> requests.Session:
    s = requests.Session()
    # No proxy or netrc lookups from the environment: requests redoes them on every call otherwise,
    # and the configured outside services are reached directly.
    s.trust_env = False
    adapter = HTTPAdapter(pool_connections=8, pool_maxsize=32)
    s.mount("http://", adapter)
    s.mount("https://", adapter)
    return s


def request_json(method: str, url: str, *, service: str, **kwargs: Any) -> tuple[int, Any]:
    """Call an outside service; network failures and 5xx become ``UpstreamUnavailable``.

    The URL may carry an access token, so it is never put into the error or the log.
    """
    kwargs.setdefault("timeout", get_settings().http_timeout_seconds)
    try:
        response = http_session().request(method, url, **kwargs)
    except requests.RequestException as exc:
        raise UpstreamUnavailable(details={"service": service}, retry_after=RETRY_AFTER_SECONDS) from (
            _scrub(exc)
        )
    if response.status_code >= 500:
        raise UpstreamUnavailable(details={"service": service}, retry_after=RETRY_AFTER_SECONDS)
    try:
        return response.status_code, response.json()
    except ValueError:
        raise UpstreamUnavailable(details={"service": service}, retry_after=RETRY_AFTER_SECONDS) from None


def _scrub(exc: requests.RequestException) -> Exception:
    # requests' messages include the full URL (and so the access_token); keep only the type.
    return RuntimeError(type(exc).__name__)
