"""The resident's consent API, called by the mini program's consent page and 我的授权."""

from __future__ import annotations

from authlib.oauth2 import OAuth2Error
from flask.views import MethodView

from api.blueprint import Blueprint, current_principal, paged, window
from api.oidc.schemas import ApprovalSchema, ConsentRequestSchema, OidcConsentSchema, RedirectSchema
from api.oidc.server import Resident, StoredAuthorizationRequest, server
from app.identity.errors import LevelRequired
from app.oidc import consents
from app.oidc.errors import AuthorizationRequestNotFound, ClaimNotRequested, ConsentNotFound, RequiredClaimDeclined

blp = Blueprint("oidc_consent", __name__, url_prefix="/api/v1/me", description="我的授权（部门应用登录与信息授权）")

REQUEST_EXAMPLE = {
    "request_id": "q3J9xk2...", "client_id": "yss-3f9c2a71d0b4e865", "client_name": "广州交警",
    "department": "广州市公安局交通警察支队",
    "logo_text": "交警", "required_level": 3, "current_level": 3, "level_met": True,
    "claims": [{"name": "name", "label": "姓名", "purpose": "核对办理人身份", "optional": False,
                "source": "公安机关（人口信息库）", "granted_before": False}]}


def _redirect_of(approval: consents.Approval) -> dict[str, str]:
    """Let Authlib answer the stored request: a code (approved) or access_denied, as a redirect."""
    stored = StoredAuthorizationRequest(approval.params)
    user = None if approval.user is None else Resident(approval.user, approval.params.get("client_id", ""))
    try:
        grant = server.get_consent_grant(stored, end_user=user)
    except OAuth2Error as error:
        if not error.redirect_uri:
            raise AuthorizationRequestNotFound() from error
        response = server.handle_error_response(stored, error)
    else:
        response = server.create_authorization_response(stored, grant_user=user, grant=grant)
    return {"redirect_to": response.headers["Location"]}


@blp.route("/oidc-requests/<string(maxlength=64):request_id>")
class ConsentRequest(MethodView):
    @blp.auth()
    @blp.errors(AuthorizationRequestNotFound)
    @blp.response(200, ConsentRequestSchema, example=REQUEST_EXAMPLE)
    def get(self, request_id):
        """What a department app asks for: the app, its department, each claim with purpose and source."""
        return consents.describe_request(current_principal(), request_id)


@blp.route("/oidc-requests/<string(maxlength=64):request_id>/approval")
class Approval(MethodView):
    @blp.auth()
    @blp.errors(AuthorizationRequestNotFound, LevelRequired, ClaimNotRequested, RequiredClaimDeclined)
    @blp.arguments(ApprovalSchema, example={"claims": ["name", "driving_licence_valid"]})
    @blp.response(200, RedirectSchema, example={"redirect_to": "https://app.example.gov.cn/cb?code=...&state=..."})
    def post(self, body, request_id):
        """Agree, sharing the chosen claims (optional ones may be left out); back to the app with a code."""
        return _redirect_of(consents.approve_request(current_principal(), request_id, body["claims"]))


@blp.route("/oidc-requests/<string(maxlength=64):request_id>/denial")
class Denial(MethodView):
    @blp.auth()
    @blp.errors(AuthorizationRequestNotFound)
    @blp.response(200, RedirectSchema, example={"redirect_to": "https://app.example.gov.cn/cb?error=access_denied"})
    def post(self, request_id):
        """Decline: back to the app with ``error=access_denied``."""
        return _redirect_of(consents.deny_request(current_principal(), request_id))


@blp.route("/authorizations")
class MyAuthorizations(MethodView):
    @blp.auth()
    @blp.response(200, OidcConsentSchema(many=True), example=[{
        "client_id": "yss-3f9c2a71d0b4e865", "client_name": "广州交警",
    "department": "广州市公安局交通警察支队",
        "claims": ["name"], "claim_labels": ["姓名"], "declined_labels": ["手机号码"],
        "granted_at": "2026-03-01T02:00:00+00:00"}])
    @blp.paginate()
    def get(self, pagination_parameters):
        """我的授权: the apps I let log me in, what I agreed to share and when (newest first)."""
        return paged(pagination_parameters, consents.my_consents(current_principal(), window(pagination_parameters)))


@blp.route("/authorizations/<string(maxlength=48):client_id>")
class MyAuthorization(MethodView):
    @blp.auth()
    @blp.errors(ConsentNotFound)
    @blp.response(204)
    def delete(self, client_id):
        """Revoke: the app receives nothing more, and its refresh tokens stop working."""
        consents.revoke_consent(current_principal(), client_id)
