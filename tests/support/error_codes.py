"""Every error a test makes the API answer must be documented on its operation's ``x-error-codes``.

``watch(app)`` installs an ``after_request`` hook on the test app; an autouse fixture in
tests/conftest.py fails the test that caused an undocumented code (``check()`` after each test).
Requests outside documented operations (an unknown URL, a wrong method, the stub) are not held.
"""

from __future__ import annotations

import re
from typing import Any

from flask import Flask, Response, request

_ARG = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")
_undocumented: list[str] = []


def documented_codes(spec: dict[str, Any]) -> dict[tuple[str, str], set[str]]:
    """(OpenAPI path, method) → every code its responses list in ``x-error-codes``."""
    codes: dict[tuple[str, str], set[str]] = {}
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if isinstance(operation, dict) and "responses" in operation:
                codes[(path, method.upper())] = {
                    code for response in operation["responses"].values()
                    for code in response.get("x-error-codes", [])
                }
    return codes


def watch(app: Flask) -> None:
    documented: dict[tuple[str, str], set[str]] = {}

    def hold(response: Response) -> Response:
        if response.status_code < 400 or request.url_rule is None or not response.is_json:
            return response
        if not documented:
            documented.update(documented_codes(app.extensions["yss_api"].spec.to_dict()))
        operation = (_ARG.sub(r"{\1}", request.url_rule.rule), request.method)
        code = (response.get_json(silent=True) or {}).get("code")
        # Only yss's own error body is held; a protocol's own (OAuth's {"error": ...}) is its documentation's.
        if code is not None and operation in documented and code not in documented[operation]:
            _undocumented.append(f"{operation[1]} {operation[0]} answered {response.status_code} {code!r}, "
                                 f"which its OpenAPI x-error-codes do not list")
        return response

    app.after_request(hold)


def check() -> list[str]:
    """The undocumented answers since the last check (and forget them)."""
    found = list(dict.fromkeys(_undocumented))
    _undocumented.clear()
    return found
