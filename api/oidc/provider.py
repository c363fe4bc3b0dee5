"""The OpenID Provider's protocol endpoints, outside /api/v1: discovery, JWKS, authorize, token,
userinfo, revocation. Errors here take OAuth's shape (``error``, ``error_description``), as relying
parties' libraries expect; an authorization request whose client or redirect URI cannot be trusted
is answered with a page, never a redirect (RFC 6749 §4.1.2.1)."""

from __future__ import annotations

from html import escape
from urllib.parse import quote

from authlib.oauth2 import OAuth2Error
from authlib.oauth2.rfc6749.errors import InvalidClientError, InvalidRequestError
from flask import Response, jsonify, redirect, request
from flask.views import MethodView

from api.blueprint import Blueprint
from api.oidc.server import init_provider, issuer, resource, server
from app.oidc import keys, requests
from app.oidc.claims import CLAIMS, SCOPES
from app.oidc.consents import ACR_PREFIX
from app.oidc.releases import release_userinfo
from config import get_settings

blp = Blueprint("oidc_provider", __name__, description="OpenID Provider（部门应用用粤省事登录）")

FORM = {"application/x-www-form-urlencoded": {"schema": {"type": "object"}}}


def _json(description: str, example: dict) -> dict:
    return {"description": description,
            "content": {"application/json": {"schema": {"type": "object"}, "example": example}}}


OAUTH_ERROR = _json("OAuth 错误（RFC 6749 §5.2）",
                    {"error": "invalid_grant", "error_description": "Code challenge failed."})
TOKEN_EXAMPLE = {"access_token": "Xx9…", "token_type": "Bearer", "expires_in": 600, "refresh_token": "Yy8…",
                 "scope": "openid profile", "id_token": "eyJhbGciOiJSUzI1NiIsImtpZCI6Im9pZGMxIn0…"}
USERINFO_EXAMPLE = {"sub": "5f1c0e…（每个应用不同）", "name": "张三", "driving_licence_valid": True,
                    "yss_claim_sources": {"name": "公安机关（人口信息库）",
                                          "driving_licence_valid": "公安机关交通管理部门"}}


def discovery_document() -> dict:
    base = issuer()
    return {
        "issuer": base,
        "authorization_endpoint": f"{base}/oidc/authorize",
        "token_endpoint": f"{base}/oidc/token",
        "userinfo_endpoint": f"{base}/oidc/userinfo",
        "jwks_uri": f"{base}/oidc/jwks",
        "revocation_endpoint": f"{base}/oidc/revoke",
        "scopes_supported": list(SCOPES),
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "grant_types_supported": ["authorization_code", "refresh_token"],
        "subject_types_supported": ["pairwise"],
        "id_token_signing_alg_values_supported": [keys.ALG],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post", "none"],
        "revocation_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post", "none"],
        "code_challenge_methods_supported": ["S256"],
        "claims_supported": ["sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "acr", "at_hash",
                             *CLAIMS, "yss_claim_sources"],
        "acr_values_supported": [f"{ACR_PREFIX}{n}" for n in range(4)],
        "claims_parameter_supported": False,
        "request_parameter_supported": False,
        "request_uri_parameter_supported": False,
        "ui_locales_supported": ["zh-CN"],
    }


@blp.route("/.well-known/openid-configuration")
class Discovery(MethodView):
    @blp.public
    @blp.doc(responses={200: _json("OpenID Provider Metadata（OpenID Connect Discovery 1.0 §3）", {
        "issuer": "https://yss.example.gov.cn", "authorization_endpoint": "https://yss.example.gov.cn/oidc/authorize",
        "subject_types_supported": ["pairwise"], "code_challenge_methods_supported": ["S256"]})})
    def get(self):
        """The provider's metadata: endpoints, PKCE S256, pairwise subjects, RS256, acr values."""
        return jsonify(discovery_document())


@blp.route("/oidc/jwks")
class Jwks(MethodView):
    @blp.public
    @blp.doc(responses={200: _json("签发 ID Token 的公钥（RS256）", {"keys": [
        {"kty": "RSA", "kid": "oidc1", "alg": "RS256", "use": "sig", "n": "0vx7…", "e": "AQAB"}]})})
    def get(self):
        """The public keys that sign ID tokens (the first signs, all are published for rotation)."""
        return jsonify(keys.jwks())


def _error_page(error: OAuth2Error) -> Response:
    reason = ("应用标识无效：该应用未在粤省事登记" if isinstance(error, InvalidClientError)
              else "回调地址与该应用登记的不一致，或请求缺少必要参数")
    body = f"""<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>无法登录</title></head>
<body style="font-family:sans-serif;padding:16px"><h2>无法使用粤省事登录</h2>
<p id="oidc-error" data-error="{escape(error.error)}">{escape(reason)}</p>
<p style="color:#666">{escape(error.error)}: {escape(error.description or "")}</p>
<p>为保护您的信息，本次请求不会返回到该应用。请联系应用提供方。</p></body></html>"""
    return Response(body, status=400, mimetype="text/html")


@blp.route("/oidc/authorize")
class Authorize(MethodView):
    @blp.public
    @blp.doc(parameters=[{"in": "query", "name": n, "required": r, "schema": {"type": "string"}} for n, r in (
        ("response_type", True), ("client_id", True), ("redirect_uri", True), ("scope", True), ("state", True),
        ("nonce", True), ("code_challenge", True), ("code_challenge_method", True), ("acr_values", False),
        ("prompt", False))],
        responses={302: {"description": "到小程序授权页（或带 error 回到应用的回调地址）"},
                   400: {"description": "应用或回调地址无效：显示错误页，不跳转"}})
    def get(self):
        """Start a login: check the request, then send the resident to the consent page in the mini program."""
        try:
            server.get_consent_grant(end_user=None)
        except OAuth2Error as error:
            if error.redirect_uri:  # client and redirect URI are trusted: the error goes back to the client
                return server.handle_error_response(None, error)
            return _error_page(error)
        except ValueError:  # Authlib will not build an error message quoting hostile characters
            return _error_page(InvalidRequestError("Invalid characters in the request."))
        request_id = requests.open_request(request.args.to_dict())
        return redirect(f"{get_settings().oidc_consent_url}#/consent/{quote(request_id)}")


@blp.route("/oidc/token")
class TokenEndpoint(MethodView):
    @blp.public
    @blp.doc(requestBody={"content": FORM, "description": "grant_type=authorization_code（code、redirect_uri、"
                          "code_verifier）或 refresh_token；客户端认证：client_secret_basic / post，公开客户端 none"},
             responses={200: _json("access_token、id_token、refresh_token", TOKEN_EXAMPLE), 400: OAUTH_ERROR,
                        401: OAUTH_ERROR})
    def post(self):
        """Exchange an authorization code (with its PKCE verifier) or a refresh token for tokens."""
        return server.create_token_response()


@blp.route("/oidc/userinfo")
class UserInfo(MethodView):
    @blp.public
    @blp.doc(security=[{"bearerAuth": []}],
             responses={200: _json("sub 与本人同意提供的信息，yss_claim_sources 注明每项来源", USERINFO_EXAMPLE),
                        401: OAUTH_ERROR})
    def get(self):
        """The consented claims of the token's resident (each release is in their data tracker)."""
        try:
            token = resource.validate_request(["openid"], server.create_json_request(None))
        except OAuth2Error as error:
            status, body, headers = error()
            response = jsonify(dict(body))
            response.status_code = 401 if status == 400 else status
            response.headers.extend(headers)
            response.headers["WWW-Authenticate"] = f'Bearer error="{error.error}"'
            return response
        return jsonify(release_userinfo(token.view))

    post = get


@blp.route("/oidc/revoke")
class Revoke(MethodView):
    @blp.public
    @blp.doc(requestBody={"content": FORM, "description": "token、token_type_hint（RFC 7009）"},
             responses={200: _json("已撤销（未知令牌同样返回 200）", {}), 401: OAUTH_ERROR})
    def post(self):
        """Revoke an access or refresh token (RFC 7009)."""
        return server.create_endpoint_response("revocation")


blp.record_once(lambda state: init_provider(state.app))
