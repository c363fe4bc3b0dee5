"""A sample department app (依赖方) that logs residents in with yss, as a city's own app would.

It is a confidential client with its own backend: Authlib's OAuth 2.0 client does discovery, the
PKCE (S256) authorization request with state and nonce, and the code exchange; the ID token is
checked against the provider's JWKS (signature, iss, aud, exp, nonce, at_hash) with Authlib's
``CodeIDToken``; then userinfo. Nothing here is yss code: the stub only speaks the wire formats.

Settings (the stub app's config): ``RP_ISSUER`` (default ``YSS_API_BASE``), ``RP_CLIENT_ID``,
``RP_CLIENT_SECRET`` (none: a public client, PKCE alone), ``RP_SCOPE``.
"""

from __future__ import annotations

import json
import secrets
import threading
from html import escape
from typing import Any

import requests
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session
from authlib.oidc.core import CodeIDToken
from flask import Blueprint, Response, current_app, redirect, request
from joserfc import jwt
from joserfc.jwk import KeySet

DEMO_CLIENT_ID = "yss-demo-jiaojing"
_lock = threading.Lock()
_pending: dict[str, dict[str, str]] = {}  # state → verifier, nonce (one login in progress)
_sessions: dict[str, dict[str, Any]] = {}  # the app's own session cookie → what it received

bp = Blueprint("rp", __name__)


def _settings() -> tuple[str, str, str | None]:
    config = current_app.config
    issuer = (config.get("RP_ISSUER") or config.get("YSS_API_BASE") or "").rstrip("/")
    return issuer, config.get("RP_CLIENT_ID") or DEMO_CLIENT_ID, config.get("RP_CLIENT_SECRET")


def _metadata(issuer: str) -> dict[str, Any]:
    return requests.get(f"{issuer}/.well-known/openid-configuration", timeout=10).json()


def _client() -> tuple[OAuth2Session, dict[str, Any]]:
    issuer, client_id, secret = _settings()
    scope = current_app.config.get("RP_SCOPE") or "openid profile phone certificates offline_access"
    session = OAuth2Session(client_id, secret, scope=scope,
                            redirect_uri=request.host_url + "rp/callback", code_challenge_method="S256",
                            token_endpoint_auth_method="client_secret_basic" if secret else "none")
    return session, _metadata(issuer)


def _page(body: str, status: int = 200) -> Response:
    html = f"""<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>广州交警（示例部门应用）</title>
<link rel="stylesheet" href="/shared/style.css"><link rel="icon" href="data:,"></head>
<body><div class="shell"><header class="bar"><span class="grow">广州交警 · 示例部门应用</span></header>
<main>{body}</main></div></body></html>"""
    return Response(html, status=status, mimetype="text/html")


@bp.get("/rp/")
def home() -> Response:
    return _page("""<div class="card"><h2>办理交管业务</h2>
<p class="muted">本应用不保存您的身份证件。使用粤省事登录，由您决定提供哪些信息。</p>
<a class="btn block" id="rp-login" href="/rp/login">用粤省事登录</a></div>""")


@bp.get("/rp/login")
def login() -> Response:
    session, metadata = _client()
    verifier, nonce = generate_token(48), generate_token(20)
    url, state = session.create_authorization_url(metadata["authorization_endpoint"], code_verifier=verifier,
                                                  nonce=nonce, state=generate_token(20))
    with _lock:
        _pending[state] = {"verifier": verifier, "nonce": nonce}
    return redirect(url)


def _validated_id_token(token: dict[str, Any], metadata: dict[str, Any], client_id: str, nonce: str) -> dict:
    jwks = requests.get(metadata["jwks_uri"], timeout=10).json()
    decoded = jwt.decode(token["id_token"], KeySet.import_key_set(jwks),
                         algorithms=metadata["id_token_signing_alg_values_supported"])
    claims = CodeIDToken(decoded.claims, decoded.header,
                         {"iss": {"essential": True, "value": metadata["issuer"]},
                          "aud": {"essential": True, "value": client_id}},
                         {"nonce": nonce, "client_id": client_id, "access_token": token["access_token"]})
    claims.validate()
    return dict(claims)


@bp.get("/rp/callback")
def callback() -> Response:
    with _lock:
        pending = _pending.pop(request.args.get("state", ""), None)
    if pending is None:
        return _page('<div class="card"><div class="error" id="rp-error">'
                     '登录状态无效（state 不符），请重新登录</div></div>', 400)
    if "error" in request.args:
        return _page(f'<div class="card"><div class="error" id="rp-error" data-error="{escape(request.args["error"])}">'
                     f'未完成登录：{escape(request.args["error"])}</div><a class="btn" href="/rp/">返回</a></div>', 400)
    session, metadata = _client()
    token = session.fetch_token(metadata["token_endpoint"], authorization_response=request.url,
                                code_verifier=pending["verifier"], state=request.args["state"])
    id_token = _validated_id_token(token, metadata, session.client_id, pending["nonce"])
    info = session.get(metadata["userinfo_endpoint"], timeout=10).json()
    sid = secrets.token_urlsafe(16)
    with _lock:
        _sessions[sid] = {"token": token, "id_token": id_token, "userinfo": info}
    response = redirect("/rp/me")
    response.set_cookie("rp_session", sid, httponly=True, samesite="Lax")
    return response


def _current() -> dict[str, Any] | None:
    return _sessions.get(request.cookies.get("rp_session", ""))


@bp.get("/rp/me")
def me() -> Response:
    current = _current()
    if current is None:
        return redirect("/rp/")
    info, id_token = current["userinfo"], current["id_token"]
    sources = info.get("yss_claim_sources", {})
    rows = "".join(f'<div class="row rp-claim" data-claim="{escape(k)}"><div><div>{escape(k)}</div>'
                   f'<div class="muted">来源：{escape(sources.get(k, ""))}</div></div>'
                   f'<span>{escape(json.dumps(v, ensure_ascii=False))}</span></div>'
                   for k, v in info.items() if k not in ("sub", "yss_claim_sources"))
    return _page(f"""<div class="card"><h2>已通过粤省事登录</h2>
<div class="row"><span>认证等级（acr）</span><span id="rp-acr">{escape(str(id_token.get("acr")))}</span></div>
<div class="row"><span>本应用看到的用户标识（sub）</span>
<span id="rp-sub" class="muted">{escape(info["sub"][:16])}…</span></div>
</div><div class="card"><h2>收到的信息</h2><div id="rp-claims">{rows or '<p class="muted">无</p>'}</div></div>
<div class="card"><form method="post" action="/rp/refresh">
<button class="block" id="rp-refresh">刷新令牌</button></form></div>""")


@bp.post("/rp/refresh")
def refresh() -> Response:
    current = _current()
    if current is None:
        return redirect("/rp/")
    session, metadata = _client()
    answer = requests.post(metadata["token_endpoint"], timeout=10,
                           auth=(session.client_id, session.client_secret) if session.client_secret else None,
                           data={"grant_type": "refresh_token", "refresh_token": current["token"]["refresh_token"],
                                 **({} if session.client_secret else {"client_id": session.client_id})})
    body = answer.json()
    if answer.ok:
        current["token"] = {**current["token"], **body}
        return _page('<div class="card"><p id="rp-refresh-result" data-ok="true">令牌已刷新，仍可访问</p>'
                     '<a class="btn" href="/rp/me">返回</a></div>')
    return _page(f'<div class="card"><div class="error" id="rp-refresh-result" data-ok="false" '
                 f'data-error="{escape(body.get("error", ""))}">刷新失败：{escape(body.get("error", ""))}'
                 '（居民可能已撤销授权）</div><a class="btn" href="/rp/">重新登录</a></div>', 400)
