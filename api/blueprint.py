"""The Blueprint every yss resource uses: it attaches and documents who may call each view.

Every view under /api/v1 declares a policy — ``@blp.auth(level=...)`` for residents,
``@blp.public`` for anyone — and a test walks all routes to prove none is left without one.
Staff use ``@blp.staff(role=...)`` (their own tokens, audience ``yss:staff``), issuing
authorities ``@blp.authority()``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import flask_smorest
from flask import g, request

from api.schemas import ErrorBodySchema
from app.errors import ValidationFailed
from app.identity.errors import LevelRequired, TokenInvalid
from app.identity.models import L0
from app.identity.sessions import Principal, authenticate
from app.intake.signing import authenticate_request
from app.staff import auth as staff_auth
from app.staff.errors import RoleRequired
from app.staff.models import AGENT

MAX_PAGE = 100_000
LEVEL_NAMES = {0: "微信登录", 1: "绑定手机号", 2: "实名认证", 3: "人脸识别"}


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def current_principal() -> Principal:
    return g.principal


def current_staff() -> staff_auth.StaffPrincipal:
    return g.staff


ROLE_NAMES = {"agent": "工作人员", "supervisor": "主管", "admin": "管理员"}


class Blueprint(flask_smorest.Blueprint):
    def auth(self, level: int = L0) -> Callable[[Callable], Callable]:
        """Require a resident session at ``level`` or above (401 / 403 ``level_required``)."""

        def decorator(func: Callable) -> Callable:
            @functools.wraps(func)
            def wrapper(*args: Any, **kwargs: Any) -> Any:
                token = bearer_token()
                if token is None:
                    raise TokenInvalid("请先登录", code="unauthenticated")
                principal = authenticate(token)
                if principal.level < level:
                    raise LevelRequired(
                        f"此操作需要先完成{LEVEL_NAMES[level]}（L{level}）",
                        details={"required_level": level, "current_level": principal.level},
                    )
                g.principal = principal
                return func(*args, **kwargs)

            wrapper.auth_policy = f"resident:L{level}"
            documented = self.doc(security=[{"bearerAuth": []}])(wrapper)
            documented = self.alt_response(401, schema=ErrorBodySchema, description="未登录或登录已失效")(
                documented
            )
            if level > L0:
                documented = self.alt_response(
                    403, schema=ErrorBodySchema, description=f"需要 L{level}"
                )(documented)
            return documented

        return decorator

    def staff(self, role: str = AGENT) -> Callable[[Callable], Callable]:
        """Require a staff session with ``role`` or a higher one (401 / 403 ``role_required``)."""

        def decorator(func: Callable) -> Callable:
            @functools.wraps(func)
            def wrapper(*args: Any, **kwargs: Any) -> Any:
                token = bearer_token()
                if token is None:
                    raise TokenInvalid("请先登录工作台", code="unauthenticated")
                principal = staff_auth.authenticate(token)
                if not principal.has_role(role):
                    raise RoleRequired(f"此操作需要{ROLE_NAMES[role]}角色",
                                       details={"required_role": role, "current_role": principal.role})
                g.staff = principal
                return func(*args, **kwargs)

            wrapper.auth_policy = f"staff:{role}"
            documented = self.doc(security=[{"bearerAuth": []}])(wrapper)
            documented = self.alt_response(401, schema=ErrorBodySchema, description="工作人员未登录或登录已失效")(
                documented
            )
            return self.alt_response(403, schema=ErrorBodySchema, description=f"需要{ROLE_NAMES[role]}角色")(
                documented
            )

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
            return self.alt_response(401, schema=ErrorBodySchema, description="签名缺失、无效、过期或重放")(
                documented
            )

        return decorator

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
