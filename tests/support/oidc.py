"""A relying party in tests: Authlib's OAuth 2.0 / OpenID Connect client against yss over HTTP,
and the resident's side of the consent page, played through the consent API."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

import requests
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session
from authlib.oidc.core import CodeIDToken
from joserfc import jwt
from joserfc.jwk import KeySet

from app.oidc.clients import RegisteredClient, register_client

REDIRECT_URI = "http://127.0.0.1:9/department-app/callback"
CLAIMS = {"name": "核对办理人身份"}
OPTIONAL = {"phone_number": "办理进度短信通知", "driving_licence_valid": "确认可以办理车辆业务"}


def department_app(**overrides: Any) -> RegisteredClient:
    options: dict[str, Any] = {"name": "广州交警", "department": "广州市公安局交通警察支队",
                               "redirect_uris": [REDIRECT_URI], "claims": CLAIMS, "optional_claims": OPTIONAL,
                               "logo_text": "交警"}
    return register_client(**{**options, **overrides})


@dataclass
class RelyingParty:
    """One department app's login attempt: discovery, PKCE, nonce, state, then the code exchange."""
    api: str
    registered: RegisteredClient
    scope: str = "openid profile phone certificates"
    metadata: dict[str, Any] = field(default_factory=dict)
    verifier: str = field(default_factory=lambda: generate_token(48))
    nonce: str = field(default_factory=lambda: generate_token(20))

    def __post_init__(self) -> None:
        self.metadata = requests.get(f"{self.api}/.well-known/openid-configuration", timeout=10).json()
        auth_method = "none" if self.registered.client.public else "client_secret_basic"
        self.session = OAuth2Session(self.registered.client.client_id, self.registered.client_secret,
                                     scope=self.scope, redirect_uri=REDIRECT_URI, code_challenge_method="S256",
                                     token_endpoint_auth_method=auth_method)

    def authorization_url(self, **params: Any) -> str:
        url, self.state = self.session.create_authorization_url(
            self.metadata["authorization_endpoint"], code_verifier=self.verifier, nonce=self.nonce, **params)
        return url

    def fetch_token(self, callback_url: str, **kwargs: Any) -> dict[str, Any]:
        return self.session.fetch_token(self.metadata["token_endpoint"], authorization_response=callback_url,
                                        code_verifier=kwargs.pop("code_verifier", self.verifier), **kwargs)

    def validated_id_token(self, token: dict[str, Any]) -> CodeIDToken:
        """The ID token checked as a relying party must: signature against the JWKS, iss, aud, exp,
        nonce and at_hash (Authlib's CodeIDToken)."""
        jwks = requests.get(self.metadata["jwks_uri"], timeout=10).json()
        decoded = jwt.decode(token["id_token"], KeySet.import_key_set(jwks),
                             algorithms=self.metadata["id_token_signing_alg_values_supported"])
        client_id = self.registered.client.client_id
        options = {"iss": {"essential": True, "value": self.metadata["issuer"]},
                   "aud": {"essential": True, "value": client_id}}
        claims = CodeIDToken(decoded.claims, decoded.header, options,
                             {"nonce": self.nonce, "client_id": client_id, "access_token": token["access_token"]})
        claims.validate()
        return claims

    def userinfo(self) -> requests.Response:
        return self.session.get(self.metadata["userinfo_endpoint"], timeout=10)


def start_authorization(url: str) -> requests.Response:
    return requests.get(url, allow_redirects=False, timeout=10)


def consent_request_id(response: requests.Response) -> str:
    assert response.status_code == 302, response.text[:300]
    fragment = urlsplit(response.headers["Location"]).fragment
    assert fragment.startswith("/consent/"), response.headers["Location"]
    return fragment.removeprefix("/consent/")


def callback_params(url: str) -> dict[str, str]:
    assert url.startswith(REDIRECT_URI), url
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def approve(api: str, resident: Any, request_id: str, claims: list[str]) -> requests.Response:
    return requests.post(f"{api}/api/v1/me/oidc-requests/{request_id}/approval", json={"claims": claims},
                         headers=resident.headers, timeout=10)


def login_through_yss(api: str, rp: RelyingParty, resident: Any, claims: list[str], **params: Any) -> dict[str, Any]:
    """Authorize → consent (approving ``claims``) → back at the app → token; the token response."""
    request_id = consent_request_id(start_authorization(rp.authorization_url(**params)))
    approved = approve(api, resident, request_id, claims)
    assert approved.status_code == 200, approved.text
    return rp.fetch_token(approved.json()["redirect_to"])
