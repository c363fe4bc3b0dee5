"""Authlib's OAuth 2.0 / OpenID Connect server, wired to yss's rules in ``app.oidc``.

Authlib does the protocol: request validation, PKCE, client authentication, token responses, ID
token encoding, revocation, bearer tokens. The classes here only adapt: each method calls one plain
function of ``app.oidc`` (codes, tokens, consents, subjects) and holds no rule of its own, except the
two the protocol leaves to the provider: PKCE S256 is required of every client, and so is ``nonce``.
"""

from __future__ import annotations

from typing import Any

from authlib.integrations.flask_oauth2 import AuthorizationServer, ResourceProtector
from authlib.oauth2.rfc6749 import (
    ClientMixin,
    InvalidGrantError,
    InvalidRequestError,
    OAuth2Request,
    TokenMixin,
    grants,
)
from authlib.oauth2.rfc6749.requests import BasicOAuth2Payload
from authlib.oauth2.rfc6750 import BearerTokenValidator
from authlib.oauth2.rfc7009 import RevocationEndpoint
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oidc.core import AuthorizationCodeMixin
from authlib.oidc.core.grants import OpenIDCode
from flask import request as flask_request

from app import clock
from app.oidc import codes, keys, tokens
from app.oidc.claims import scopes_for_claims
from app.oidc.clients import ClientView, client_secret_matches, find_client
from app.oidc.consents import GrantedUser
from app.oidc.subjects import pairwise_sub
from config import get_settings

CLIENT_AUTH_METHODS = ["client_secret_basic", "client_secret_post", "none"]
ACCESS_TOKEN_SECONDS = 600
ID_TOKEN_SECONDS = 600


def issuer() -> str:
    """``OIDC_ISSUER``, or this server's own root URL when unset (development, tests)."""
    return (get_settings().oidc_issuer or flask_request.url_root).rstrip("/")


class Client(ClientMixin):
    id_token_signed_response_alg = keys.ALG

    def __init__(self, view: ClientView) -> None:
        self.view = view
        self.client_id = view.client_id
        self.client_metadata: dict[str, Any] = {}

    def get_client_id(self) -> str:
        return self.view.client_id

    def get_default_redirect_uri(self) -> None:
        return None  # OpenID Connect: redirect_uri is always sent, and matched exactly

    def get_allowed_scope(self, scope: str | None) -> str | None:
        asked = (scope or "").split()
        if "openid" not in asked or not set(asked) <= set(self.view.scopes):
            return None  # invalid_scope: a claim the client is not registered for is refused, not dropped
        return " ".join(asked)

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return redirect_uri in self.view.redirect_uris

    def check_client_secret(self, client_secret: str) -> bool:
        return client_secret_matches(self.view.client_id, client_secret)

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return method == "none" if self.view.public else method in ("client_secret_basic", "client_secret_post")

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code"

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type in ("authorization_code", "refresh_token")


class Resident:
    """The resident as Authlib's ``request.user``: who, for which client, what they granted."""

    def __init__(self, user: GrantedUser, client_id: str) -> None:
        self.user, self.client_id = user, client_id

    def get_user_id(self) -> int:
        return self.user.account_id


class Code(AuthorizationCodeMixin):
    def __init__(self, entry: codes.AuthorizationCode, raw: str) -> None:
        self.entry, self.hash = entry, codes.code_hash(raw)
        self.code_challenge, self.code_challenge_method = entry.code_challenge, entry.code_challenge_method

    def get_redirect_uri(self) -> str:
        return self.entry.redirect_uri

    def get_scope(self) -> str:
        return self.entry.scope

    def get_nonce(self) -> str:
        return self.entry.nonce

    def get_auth_time(self) -> int:
        return self.entry.auth_time

    def get_acr(self) -> str:
        return self.entry.acr

    def get_amr(self) -> None:
        return None


class Token(TokenMixin):
    def __init__(self, view: tokens.TokenView) -> None:
        self.view = view
        self.scope = view.scope

    def check_client(self, client: Client) -> bool:
        return client.get_client_id() == self.view.client_id

    def get_scope(self) -> str:
        return self.view.scope

    def get_expires_in(self) -> int:
        return int((self.view.expires_at - self.view.issued_at).total_seconds())

    def is_expired(self) -> bool:
        return clock.now() >= self.view.expires_at

    def is_revoked(self) -> bool:
        return self.view.revoked

    def get_user(self) -> Resident:
        v = self.view
        return Resident(GrantedUser(v.account_id, v.claims, v.acr, v.auth_time), v.client_id)

    def get_client(self) -> Client:
        return Client(find_client(self.view.client_id))


class StoredAuthorizationRequest(OAuth2Request):
    """An authorization request answered later, from the consent page: its saved parameters."""

    def __init__(self, params: dict[str, str]) -> None:
        super().__init__("GET", issuer() + "/oidc/authorize")
        self.payload = BasicOAuth2Payload(params)

    @property
    def args(self) -> dict[str, str]:
        return self.payload.data

    @property
    def form(self) -> dict[str, str]:
        return {}


class S256Required(CodeChallenge):
    """PKCE for every client, confidential ones too (OAuth 2.0 Security BCP §2.1.1), S256 only."""

    SUPPORTED_CODE_CHALLENGE_METHOD = ["S256"]

    def validate_code_challenge(self, grant: Any, redirect_uri: str) -> None:
        data = grant.request.payload.data
        if not data.get("code_challenge"):
            raise InvalidRequestError("Missing 'code_challenge': PKCE (S256) is required.")
        if data.get("code_challenge_method") != "S256":
            raise InvalidRequestError("'code_challenge_method' must be S256.")
        super().validate_code_challenge(grant, redirect_uri)


class YssOpenIDCode(OpenIDCode):
    def __init__(self) -> None:
        super().__init__(require_nonce=True)

    def validate_openid_authorization_request(self, grant: Any, redirect_uri: str) -> None:
        if not grant.request.payload.state:
            raise InvalidRequestError("Missing 'state': it is required by this provider.")
        super().validate_openid_authorization_request(grant, redirect_uri)

    def exists_nonce(self, nonce: str, request: OAuth2Request) -> bool:
        return codes.nonce_used(request.payload.client_id, nonce)

    def resolve_client_private_key(self, client: Client) -> Any:
        return keys.signing_key()[1]

    def get_client_algorithm(self, client: Client) -> str:
        return keys.ALG

    def get_encode_header(self, client: Client) -> dict[str, str]:
        return {"alg": keys.ALG, "kid": keys.signing_key()[0], "typ": "JWT"}

    def get_client_claims(self, client: Client) -> dict[str, Any]:
        now = int(clock.now().timestamp())
        return {"iss": issuer(), "aud": [client.get_client_id()], "iat": now, "exp": now + ID_TOKEN_SECONDS}

    def generate_user_info(self, user: Resident, scope: str) -> dict[str, str]:
        # The ID token says who and how well proven; the claims themselves come from userinfo.
        return {"sub": pairwise_sub(user.user.account_id, user.client_id)}


class CodeGrant(grants.AuthorizationCodeGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = CLIENT_AUTH_METHODS

    @staticmethod
    def validate_authorization_redirect_uri(request: OAuth2Request, client: Client) -> str:
        # Authlib's own message quotes the URI, and refuses (ValueError) to quote hostile characters.
        uri = request.payload.redirect_uri
        if not uri:
            raise InvalidRequestError("Missing 'redirect_uri' in request.")
        if not client.check_redirect_uri(uri):
            raise InvalidRequestError("'redirect_uri' is not registered for this client.")
        return uri

    def save_authorization_code(self, code: str, request: OAuth2Request) -> None:
        user: Resident = request.user
        data = request.payload.data
        asked = request.scope.split()
        # The token's scope says what was granted: declined optional claims drop their scopes.
        scope = " ".join(["openid", *scopes_for_claims(list(user.user.claims)),
                          *(["offline_access"] if "offline_access" in asked else [])])
        codes.save_code(code, client_id=request.client.get_client_id(), account_id=user.user.account_id,
                        redirect_uri=request.payload.redirect_uri, scope=scope, claims=list(user.user.claims),
                        nonce=data.get("nonce"), code_challenge=data.get("code_challenge"),
                        code_challenge_method=data.get("code_challenge_method"), acr=user.user.acr,
                        auth_time=user.user.auth_time)

    def query_authorization_code(self, code: str, client: Client) -> Code | None:
        entry = codes.take_code(code, client.get_client_id())
        if entry is None:
            if codes.was_spent(code):
                tokens.revoke_tokens_of_code(codes.code_hash(code))
            return None
        return Code(entry, code)

    def delete_authorization_code(self, authorization_code: Code) -> None:
        pass  # already taken, atomically, when it was looked up

    def authenticate_user(self, authorization_code: Code) -> Resident:
        e = authorization_code.entry
        return Resident(GrantedUser(e.account_id, tuple(e.claims), e.acr, e.auth_time), e.client_id)


class RefreshGrant(grants.RefreshTokenGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = CLIENT_AUTH_METHODS
    INCLUDE_NEW_REFRESH_TOKEN = True  # rotation: each refresh token is used once

    def authenticate_refresh_token(self, refresh_token: str) -> Token | None:
        view = tokens.usable_refresh_token(refresh_token)
        return None if view is None else Token(view)

    def authenticate_user(self, refresh_token: Token) -> Resident:
        return refresh_token.get_user()

    def create_token_response(self) -> Any:
        if not tokens.spend_refresh_token(self.request.refresh_token.view.id):
            raise InvalidGrantError()  # a concurrent refresh spent it first
        return super().create_token_response()

    def revoke_old_credential(self, refresh_token: Token) -> None:
        pass  # spent above, before the new pair was issued


class Revocation(RevocationEndpoint):
    CLIENT_AUTH_METHODS = CLIENT_AUTH_METHODS

    def query_token(self, token_string: str, token_type_hint: str | None) -> Token | None:
        view = tokens.find_token(token_string, token_type_hint)
        return None if view is None else Token(view)

    def revoke_token(self, token: Token, request: OAuth2Request) -> None:
        tokens.revoke_token(token.view.id)


class AccessTokenValidator(BearerTokenValidator):
    def authenticate_token(self, token_string: str) -> Token | None:
        view = tokens.active_access_token(token_string)
        return None if view is None else Token(view)


class YssAuthorizationServer(AuthorizationServer):
    def create_oauth2_request(self, request: Any) -> OAuth2Request:
        if isinstance(request, OAuth2Request):
            return request  # a stored request answered from the consent page
        return super().create_oauth2_request(request)


def _query_client(client_id: str) -> Client | None:
    view = find_client(client_id)
    return None if view is None else Client(view)


def _save_token(token: dict[str, Any], request: OAuth2Request) -> None:
    user: Resident = request.user
    code = request.authorization_code
    tokens.store_tokens(client_id=request.client.get_client_id(), account_id=user.user.account_id,
                        access_token=token["access_token"], refresh_token=token.get("refresh_token"),
                        scope=token["scope"], claims=user.user.claims, acr=user.user.acr,
                        auth_time=user.user.auth_time, expires_in=token["expires_in"],
                        code_hash=code.hash if code else None)


server = YssAuthorizationServer()
resource = ResourceProtector()
resource.register_token_validator(AccessTokenValidator())


def init_provider(app: Any) -> None:
    app.config.setdefault("OAUTH2_REFRESH_TOKEN_GENERATOR", True)
    app.config.setdefault("OAUTH2_TOKEN_EXPIRES_IN", {"authorization_code": ACCESS_TOKEN_SECONDS,
                                                      "refresh_token": ACCESS_TOKEN_SECONDS})
    server.init_app(app, query_client=_query_client, save_token=_save_token)
    if not server._authorization_grants:
        server.register_grant(CodeGrant, [S256Required(required=True), YssOpenIDCode()])
        server.register_grant(RefreshGrant)
        server.register_endpoint(Revocation)
