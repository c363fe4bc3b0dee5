"""Session endpoints: refresh, logout, logout everywhere, and the JWKS of our signing keys."""

from __future__ import annotations

import marshmallow as ma
from flask.views import MethodView

from api.blueprint import Blueprint, current_principal
from api.schemas import Int
from app.errors import SessionRevoked
from app.identity import sessions
from app.identity.errors import AccountDisabled, RefreshTokenExpired, RefreshTokenInvalid, RefreshTokenReused
from app.security.keys import signing_keys

blp = Blueprint("sessions", __name__, url_prefix="/api/v1/auth", description="登录会话")

TOKENS_EXAMPLE = {
    "access_token": "eyJhbGciOiJFZERTQSIsImtpZCI6ImsxIn0...",
    "refresh_token": "m3Jx0b6Xk2...",
    "token_type": "Bearer",
    "expires_in": 900,
}


class TokenPairSchema(ma.Schema):
    access_token = ma.fields.String(required=True)
    refresh_token = ma.fields.String(required=True)
    token_type = ma.fields.Constant("Bearer")
    expires_in = Int(metadata={"description": "访问令牌有效秒数"})


class RefreshSchema(ma.Schema):
    refresh_token = ma.fields.String(required=True, validate=ma.validate.Length(min=10, max=200))


class LogoutAllSchema(ma.Schema):
    sessions_ended = Int()


class JwksSchema(ma.Schema):
    keys = ma.fields.List(ma.fields.Dict())


@blp.route("/refresh")
class Refresh(MethodView):
    @blp.public
    @blp.arguments(RefreshSchema, example={"refresh_token": "m3Jx0b6Xk2..."})
    @blp.response(200, TokenPairSchema, example=TOKENS_EXAMPLE)
    @blp.errors(RefreshTokenInvalid, RefreshTokenExpired, RefreshTokenReused, SessionRevoked, AccountDisabled)
    def post(self, body):
        """Exchange a refresh token for a new pair (the old one is spent)."""
        return sessions.refresh(body["refresh_token"])


@blp.route("/logout")
class Logout(MethodView):
    @blp.auth()
    @blp.response(204)
    def post(self):
        """End this session."""
        sessions.logout(current_principal())


@blp.route("/logout-all")
class LogoutAll(MethodView):
    @blp.auth()
    @blp.response(200, LogoutAllSchema, example={"sessions_ended": 3})
    def post(self):
        """End every session of my account, on every device."""
        return {"sessions_ended": sessions.logout_everywhere(current_principal())}


@blp.route("/jwks")
class Jwks(MethodView):
    @blp.public
    @blp.response(200, JwksSchema, example={"keys": [{"kty": "OKP", "crv": "Ed25519", "kid": "k2026",
                                                      "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo",
                                                      "use": "sig", "alg": "EdDSA"}]})
    def get(self):
        """Public keys that verify our access tokens and certificate QR payloads."""
        return signing_keys().jwks()
