"""The relying-party registry, listed for admins in the staff console (registered by CLI)."""

from __future__ import annotations

from flask.views import MethodView

from api.blueprint import Blueprint, paged, window
from api.oidc.schemas import ClientSchema
from app.oidc.clients import list_clients
from app.staff.models import ADMIN

blp = Blueprint("oidc_clients", __name__, url_prefix="/api/v1/staff", description="已登记的部门应用（OpenID 客户端）")


@blp.route("/oidc-clients")
class OidcClients(MethodView):
    @blp.staff(role=ADMIN)
    @blp.response(200, ClientSchema(many=True), example=[{
        "client_id": "yss-3f9c2a71d0b4e865", "name": "广州交警", "department": "广州市公安局交通警察支队",
        "logo_text": "交警", "public": False, "redirect_uris": ["https://jj.gz.gov.cn/yss/callback"],
        "scopes": ["openid", "offline_access", "profile"],
        "claims": [{"name": "name", "label": "姓名", "purpose": "核对办理人身份", "optional": False,
                    "source": "公安机关（人口信息库）"}], "min_level": 2, "created_at": "2026-03-01T02:00:00+00:00"}])
    @blp.paginate()
    def get(self, pagination_parameters):
        """Registered department apps: redirect URIs, claims with purposes, minimum level."""
        return paged(pagination_parameters, list_clients(window(pagination_parameters)))
