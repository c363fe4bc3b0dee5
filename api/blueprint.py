"""The Blueprint every yss resource uses: it attaches and documents who may call each view.

Every view under /api/v1 declares a policy — ``@blp.auth(level=...)`` for residents,
``@blp.public`` for anyone — and a test walks all routes to prove none is left without one.
Staff use ``@blp.staff(role=...)`` (their own tokens, audience ``yss:staff``), issuing
authorities ``@blp.authority()``.

Errors are documented from their classes, never by hand: ``@blp.errors(RealNameMismatch, ...)``
lists what a view can answer besides success; the policies add their own (401, 403). The OpenAPI
document then carries, per operation and status, the error body schema, one example per code and
``x-error-codes``, the list a test holds against what the views really answer. What any operation
can answer (``api.errors.EVERY_OPERATION``, and ``WITH_BODY`` for POST, PUT and PATCH) is added to
every operation here.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Any

import flask_smorest
from flask import Response, current_app, g, request

from api.errors import EVERY_OPERATION, WITH_BODY
from api.schemas import ErrorBodySchema, TextCheckingParser
from app import clock, ratelimit, readcache
from app.acting import represented
from app.acting.errors import ActingNeedsAccount, ActingNotSupported, ActingRefused
from app.errors import AppError, SessionRevoked, ValidationFailed
from app.halls.errors import NotThisHall, UnknownHall
from app.halls.officers import Desk, desk_of
from app.identity.errors import AccountDisabled, LevelRequired, LoginRequired, TokenInvalid
from app.identity.models import L0
from app.identity.sessions import Principal, authenticate
from app.intake.errors import NonceInvalid, NonceReplayed, SignatureError, SignatureMissing, TimestampStale
from app.intake.signing import authenticate_request
from app.paging import Page, Window
from app.security.errors import TokenExpired, TokenSignatureInvalid
from app.staff import auth as staff_auth
from app.staff.errors import NotAStaffToken, RoleRequired, StaffLoginRequired, StaffTokenInvalid
from app.staff.models import AGENT

MAX_PAGE = 100_000
PAGINATION_HEADER_DOC = {
    "description": "分页信息，JSON 字符串：total 总条数、total_pages 总页数、first_page、last_page、page 当前页、"
                   "previous_page / next_page（有则给出）",
    "schema": {"type": "string", "example": json.dumps(
        {"total": 42, "total_pages": 5, "first_page": 1, "last_page": 5, "page": 2, "previous_page": 1,
         "next_page": 3})},
}
LEVEL_NAMES = {0: "微信登录", 1: "绑定手机号", 2: "实名认证", 3: "人脸识别"}


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def current_principal() -> Principal:
    return g.principal


def current_staff() -> staff_auth.StaffPrincipal:
    return g.staff


def current_desk() -> Desk:
    """The hall officer at the hall of the URL (``@blp.hall_officer()``)."""
    return g.desk


ROLE_NAMES = {"hall_officer": "窗口工作人员", "agent": "工作人员", "supervisor": "主管", "admin": "管理员"}

# What each policy itself can answer, documented on every view that uses it.
RESIDENT_AUTH_ERRORS: tuple[type[AppError], ...] = (LoginRequired, TokenInvalid, TokenExpired, TokenSignatureInvalid,
                                                     SessionRevoked, AccountDisabled, ActingNotSupported)
ACTING_ERRORS: tuple[type[AppError], ...] = (ActingRefused, ActingNeedsAccount)
ACTING_HEADER = "X-Acting-For"
ACTING_PARAMETER = {
    "in": "header", "name": ACTING_HEADER, "required": False, "schema": {"type": "string", "maxLength": 64},
    "description": "代办：为谁办理。取值为 GET /api/v1/me/acting-for 列出的 ref（子女或授权人）；不传即本人办理。"
                   "无权代办（对方不存在、非其监护人、授权已过期或撤销、未授权此事项）一律 403 acting_refused"}
STAFF_AUTH_ERRORS: tuple[type[AppError], ...] = (StaffLoginRequired, StaffTokenInvalid, NotAStaffToken, SessionRevoked,
                                                  RoleRequired)
AUTHORITY_ERRORS: tuple[type[AppError], ...] = (SignatureError, SignatureMissing, TimestampStale, NonceInvalid,
                                                NonceReplayed)
BODY_METHODS = {"post", "put", "patch"}


def window(pagination_parameters: Any) -> Window:
    """The ``Window`` a use case takes, from flask-smorest's pagination parameters."""
    return Window(pagination_parameters.first_item, pagination_parameters.page_size)


def paged(pagination_parameters: Any, page: Page) -> list:
    """A use case's ``Page`` as the view's return: the items, with the total for ``X-Pagination``."""
    pagination_parameters.item_count = page.total
    return page.items


def _staff_session() -> staff_auth.StaffPrincipal:
    token = bearer_token()
    if token is None:
        raise StaffLoginRequired()
    return staff_auth.authenticate(token)


def _errors_of(func: Callable) -> list[type[AppError]]:
    return list(getattr(func, "_apidoc", {}).get("errors", []))


def with_errors(func: Callable, classes: tuple[type[AppError], ...]) -> Callable:
    """Record on a view function the error classes it can answer (documented at registration)."""
    known = _errors_of(func)
    func._apidoc = {**getattr(func, "_apidoc", {}),
                    "errors": known + [c for c in classes if c not in known]}
    return func


def error_responses(classes: list[type[AppError]]) -> dict[int, dict[str, Any]]:
    """One documented response per status: the error body schema and an example per code."""
    by_status: dict[int, dict[str, type[AppError]]] = {}
    for cls in classes:
        by_status.setdefault(cls.status, {}).setdefault(cls.code, cls)
    responses = {}
    for status, codes in sorted(by_status.items()):
        responses[status] = {
            "description": "；".join(f"{c.message}（{code}）" for code, c in codes.items()),
            "examples": {code: {"summary": c.message,
                                "value": {"code": code, "message": c.message, "details": {},
                                          "request_id": "0f8e6a3c5b2d4e1f"}}
                         for code, c in codes.items()},
            "x-error-codes": list(codes),
        }
    return responses


def _cache_place(owner: Callable[[int, dict[str, Any]], str],
                 url: dict[str, Any]) -> Callable[[int], tuple[str, str]]:
    """account id → (owner, field) of this request's answer: the field names the caller, the view,
    the query string and the local day (statuses derived from dates change at midnight)."""
    page = f"{request.endpoint}?{request.query_string.decode('latin-1')}@{clock.today()}"
    return lambda account_id: (owner(account_id, url), f"{account_id}:{page}")


def kept_json(body: str) -> Response:
    """A 200 answer kept as the JSON text it is sent as (a cached read): sent without a dump."""
    return current_app.response_class(body, mimetype="application/json")


def _cached_answer(owner: str, field: str, answer: Callable[[], Any]) -> Any:
    """The cached 200 answer of ``owner`` for ``field``, or the view's own (kept when it is a 200)."""
    found = readcache.lookup(owner, field)
    if found.value is not None:
        pagination, _, body = found.value.partition("\n")  # the header's JSON holds no newline
        response = kept_json(body)
        if pagination:
            response.headers[Blueprint.PAGINATION_HEADER_NAME] = pagination
        return response
    response = answer()
    if isinstance(response, Response) and response.status_code == 200:
        pagination = response.headers.get(Blueprint.PAGINATION_HEADER_NAME, "")
        readcache.store(owner, field, f"{pagination}\n{response.get_data(as_text=True)}", found.generation)
    return response


class Blueprint(flask_smorest.Blueprint):
    ARGUMENTS_PARSER = TextCheckingParser()
    PAGINATION_ARGUMENTS_PARSER = TextCheckingParser()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Before smorest's own response documentation, so the error responses join the others.
        self._prepare_doc_cbks.insert(0, self._prepare_errors_doc)

    @staticmethod
    def _make_pagination_metadata(page: int, page_size: int, item_count: int) -> dict[str, int]:
        """``X-Pagination`` as smorest builds it, without instantiating its schema on every request
        (the values are plain ints already; ``PAGINATION_HEADER_DOC`` documents them)."""
        if item_count == 0:
            return {"total": 0, "total_pages": 0}
        last_page = (item_count - 1) // page_size + 1
        metadata = {"total": item_count, "total_pages": last_page, "first_page": 1, "last_page": last_page}
        if page <= last_page:
            metadata["page"] = page
            if page > 1:
                metadata["previous_page"] = page - 1
            if page < last_page:
                metadata["next_page"] = page + 1
        return metadata

    def errors(self, *classes: type[AppError]) -> Callable[[Callable], Callable]:
        """Document the errors a view can answer, from their classes (status, code, message)."""

        def decorator(func: Callable) -> Callable:
            return with_errors(func, classes)

        return decorator

    @staticmethod
    def _prepare_errors_doc(doc: dict, doc_info: dict, *, method: str, **_kwargs: Any) -> dict:
        responses = doc_info.setdefault("response", {}).setdefault("responses", {})
        # What any operation can answer joins what the view lists, except at a status the view
        # documents by hand in another body (a protocol's own errors, e.g. OAuth's at /oidc/token).
        by_hand = {int(status) for status in (*responses, *doc_info.get("manual_doc", {}).get("responses", {}))}
        universal = [c for c in (*EVERY_OPERATION, *(WITH_BODY if method in BODY_METHODS else ()))
                     if c.status not in by_hand]
        classes = [*doc_info.get("errors", []), *universal]
        documented = error_responses(classes)
        for status in documented:  # smorest's own one-word 422 (arguments, pagination) would replace ours
            doc_info.get("arguments", {}).get("responses", {}).pop(status, None)
            doc_info.get("pagination", {}).get("response", {}).pop(status, None)
        for status, response in documented.items():
            examples = response.pop("examples")
            codes = response.pop("x-error-codes")
            # Any hand-written alternative for the same status is replaced: the classes are the truth.
            responses[status] = [{"schema": ErrorBodySchema, "description": response["description"],
                                  "examples": examples, "content_type": None}]
            doc.setdefault("responses", {}).setdefault(status, {})["x-error-codes"] = codes
        return doc

    def auth(self, level: int = L0, *, acting: str | None = None,
             cached: Callable[[int, dict[str, Any]], str] | None = None) -> Callable[[Callable], Callable]:
        """Require a resident session at ``level`` or above (401 / 403 ``level_required``).

        ``cached`` ((account id, URL arguments) → the owner of what the view reads, ``app.readcache``)
        keeps the view's 200 answers in Redis per owner, caller, query string and local day: the
        lookup joins the session check's round trip, and a hit is answered without SQL or the view.
        Only for reads whose owner invalidates on every change; a request acting for someone else is
        never cached, nor one the use case keeps uncached (``readcache.keep_uncached``).

        ``acting`` (a scope of ``app.acting.models.SCOPES``) lets the view be called for someone else:
        the ``X-Acting-For`` header names them, the resident must hold ``acting`` for them (403
        ``acting_refused`` otherwise, whatever the reason), and the act is recorded in their data
        tracker. A view without ``acting`` refuses the header (``acting_not_supported``).
        """

        def decorator(func: Callable) -> Callable:
            @functools.wraps(func)
            def wrapper(*args: Any, **kwargs: Any) -> Any:
                token = bearer_token()
                where = _cache_place(cached, kwargs) if cached else None
                try:
                    if token is None:
                        raise LoginRequired()
                    principal = authenticate(token, prefetch=(lambda account_id: readcache.prefetch(
                        *where(account_id))) if where else None)
                except AppError:
                    ratelimit.flush()  # a refused token still counts; past the limit it hears 429
                    raise
                if principal.level < level:
                    raise LevelRequired(
                        f"此操作需要先完成{LEVEL_NAMES[level]}（L{level}）",
                        details={"required_level": level, "current_level": principal.level},
                    )
                ref = request.headers.get(ACTING_HEADER)
                if ref is not None and acting is None:
                    raise ActingNotSupported()
                g.principal = principal if ref is None else represented.act_for(principal, ref, acting)
                if where and ref is None:
                    return _cached_answer(*where(principal.account_id), lambda: func(*args, **kwargs))
                answer = func(*args, **kwargs)
                if g.principal.acting is not None:
                    represented.record_act(g.principal.acting, acting)
                return answer

            wrapper.auth_policy = f"resident:L{level}" + (f"+acting:{acting}" if acting else "")
            wrapper.reads_redis_first = True  # the session check (app/identity/session_cache.py)
            documented = self.doc(security=[{"bearerAuth": []}])(wrapper)
            if acting is not None:
                documented = self.doc(parameters=[ACTING_PARAMETER])(documented)
            return with_errors(documented, RESIDENT_AUTH_ERRORS + ((LevelRequired,) if level > L0 else ())
                               + (ACTING_ERRORS if acting else ()))

        return decorator

    def staff(self, role: str = AGENT) -> Callable[[Callable], Callable]:
        """Require a staff session with ``role`` or a higher one (401 / 403 ``role_required``)."""

        def decorator(func: Callable) -> Callable:
            @functools.wraps(func)
            def wrapper(*args: Any, **kwargs: Any) -> Any:
                principal = _staff_session()
                if not principal.has_role(role):
                    raise RoleRequired(f"此操作需要{ROLE_NAMES[role]}角色",
                                       details={"required_role": role, "current_role": principal.role})
                g.staff = principal
                return func(*args, **kwargs)

            wrapper.auth_policy = f"staff:{role}"
            documented = self.doc(security=[{"bearerAuth": []}])(wrapper)
            return with_errors(documented, STAFF_AUTH_ERRORS)

        return decorator

    def hall_officer(self) -> Callable[[Callable], Callable]:
        """Require a hall officer (窗口工作人员) of the hall named by the URL's ``hall_code``: the role
        and the hall both (403 ``role_required`` for other roles, ``not_this_hall`` for another hall)."""

        def decorator(func: Callable) -> Callable:
            @functools.wraps(func)
            def wrapper(*args: Any, **kwargs: Any) -> Any:
                principal = _staff_session()
                g.staff, g.desk = principal, desk_of(principal, kwargs["hall_code"])
                return func(*args, **kwargs)

            wrapper.auth_policy = "staff:hall_officer@hall"
            documented = self.doc(security=[{"bearerAuth": []}])(wrapper)
            return with_errors(documented, (*STAFF_AUTH_ERRORS, NotThisHall, UnknownHall))

        return decorator

    def authority(self) -> Callable[[Callable], Callable]:
        """Require a request signed by a registered issuing authority (see app.intake.signing)."""

        def decorator(func: Callable) -> Callable:
            @functools.wraps(func)
            def wrapper(*args: Any, **kwargs: Any) -> Any:
                h = request.headers
                g.authority = authenticate_request(
                    authority_id=h.get("X-Authority-Id"), timestamp=h.get("X-Timestamp"),
                    nonce=h.get("X-Nonce"), signature=h.get("X-Signature"),
                    method=request.method, path=request.path, body=request.get_data(cache=True),
                )
                return func(*args, **kwargs)

            wrapper.auth_policy = "authority-signed"
            params = [{"in": "header", "name": n, "required": True, "schema": {"type": "string"}}
                      for n in ("X-Authority-Id", "X-Timestamp", "X-Nonce", "X-Signature")]
            documented = self.doc(parameters=params)(wrapper)
            return with_errors(documented, AUTHORITY_ERRORS)

        return decorator

    def _document_pagination_metadata(self, spec: Any, resp_doc: dict) -> None:
        """``X-Pagination`` as it is sent: a string header holding JSON, not an object."""
        resp_doc.setdefault("headers", {})[self.PAGINATION_HEADER_NAME] = PAGINATION_HEADER_DOC

    def paginate(self, *args: Any, **kwargs: Any) -> Callable[[Callable], Callable]:
        """flask-smorest's pagination, with the page number kept within what an OFFSET can take."""
        paginated = super().paginate(*args, **kwargs)

        def decorator(func: Callable) -> Callable:
            @functools.wraps(func)
            def bounded(*f_args: Any, **f_kwargs: Any) -> Any:
                page = f_kwargs["pagination_parameters"].page
                if page > MAX_PAGE:
                    raise ValidationFailed(f"页码不能超过{MAX_PAGE}", details={"page": ["数值超出范围"]})
                return func(*f_args, **f_kwargs)

            return paginated(bounded)

        return decorator

    @staticmethod
    def public(func: Callable) -> Callable:
        """Anyone may call this view."""
        func.auth_policy = "public"
        return func
