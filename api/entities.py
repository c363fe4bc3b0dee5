"""Businesses: binding an entity as its legal representative, the entities I act for, agents."""

from __future__ import annotations

import marshmallow as ma
from flask.views import MethodView

from api.blueprint import Blueprint, current_principal
from api.schemas import USCC_EXAMPLE, DayOrAwareDateTime, Int
from app.entities import agents, binding, overview
from app.entities import errors as ee
from app.entities.models import SCOPES, STAGES
from app.errors import NotFound, UpstreamUnavailable
from app.identity.errors import IdNumberBirthDate, IdNumberCheckDigit, IdNumberFormat
from app.identity.models import L2, L3

blp = Blueprint("entities", __name__, url_prefix="/api/v1", description="法人：主体绑定、企业管理员、经办人授权")

class BindSchema(ma.Schema):
    uscc = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=32),
                            metadata={"description": "统一社会信用代码"})


class ActingEntrySchema(ma.Schema):
    uscc = ma.fields.String(attribute="entity.uscc")
    name = ma.fields.String(attribute="entity.name")
    stage = ma.fields.String(attribute="entity.stage", metadata={"enum": list(STAGES)})
    role = ma.fields.String(metadata={"description": "legal_representative | administrator | agent"})
    scopes = ma.fields.List(ma.fields.String())
    since = ma.fields.DateTime()
    expires_at = ma.fields.DateTime(allow_none=True)
    grant_id = Int(allow_none=True)


class BindingSchema(ma.Schema):
    id = Int()
    uscc = ma.fields.String()
    started_at = ma.fields.DateTime()


class StageChangeSchema(ma.Schema):
    stage = ma.fields.String()
    from_stage = ma.fields.String(allow_none=True)
    effective_on = ma.fields.Date(allow_none=True)
    reason = ma.fields.String(allow_none=True)
    recorded_at = ma.fields.DateTime()


class AnnualReportSchema(ma.Schema):
    year = Int()
    status = ma.fields.String(metadata={"description": "not_submitted | submitted | overdue"})
    submitted_on = ma.fields.Date(allow_none=True)
    window_opens = ma.fields.Date()
    window_closes = ma.fields.Date()


class EntitySchema(ma.Schema):
    uscc = ma.fields.String(attribute="entity.uscc")
    name = ma.fields.String(attribute="entity.name")
    type = ma.fields.String(attribute="entity.type")
    registered_address = ma.fields.String(attribute="entity.registered_address")
    legal_representative = ma.fields.String(allow_none=True, metadata={"description": "脱敏姓名"})
    stage = ma.fields.String(attribute="entity.stage", metadata={"enum": list(STAGES)})
    stage_since = ma.fields.Date(attribute="entity.stage_since", allow_none=True)
    role = ma.fields.String()
    scopes = ma.fields.List(ma.fields.String())
    stage_history = ma.fields.List(ma.fields.Nested(StageChangeSchema))
    annual_reports = ma.fields.List(ma.fields.Nested(AnnualReportSchema))


class NewGrantSchema(ma.Schema):
    id_number = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=32),
                                 metadata={"description": "经办人身份证号（须已在本平台实名认证）"})
    scopes = ma.fields.List(ma.fields.String(validate=ma.validate.OneOf(SCOPES)), required=True,
                            validate=ma.validate.Length(min=1, max=len(SCOPES)))
    expires_at = DayOrAwareDateTime(required=True, metadata={
        "description": "授权截止时间（最长三年）：带时区的时间，或日期（当天 24 时前有效，北京时间）"})


class GrantSchema(ma.Schema):
    id = Int()
    agent_name = ma.fields.String(metadata={"description": "脱敏姓名"})
    agent_id_number = ma.fields.String(metadata={"description": "脱敏身份证号"})
    scopes = ma.fields.List(ma.fields.String())
    status = ma.fields.String(metadata={"description": "active | suspended | expired | revoked"})
    created_at = ma.fields.DateTime()
    expires_at = ma.fields.DateTime()
    revoked_at = ma.fields.DateTime(allow_none=True)


GRANT_EXAMPLE = {"id": 7, "agent_name": "*四", "agent_id_number": "4****************2",
                 "scopes": ["view_licences", "manage_tickets"], "status": "active",
                 "created_at": "2026-11-28T08:00:00+00:00", "expires_at": "2027-11-28T00:00:00+00:00",
                 "revoked_at": None}


@blp.route("/me/entities")
class MyEntities(MethodView):
    @blp.auth(L2)
    @blp.response(200, ActingEntrySchema(many=True), example=[
        {"uscc": USCC_EXAMPLE, "name": "广州市越秀区示例餐饮有限公司", "stage": "operating",
         "role": "legal_representative", "scopes": [*SCOPES, "manage_agents", "appoint_administrators"],
         "since": "2026-11-28T08:00:00+00:00", "expires_at": None, "grant_id": None}])
    def get(self):
        """Entities I act for, as legal representative or agent, with my scopes."""
        return binding.entities_i_act_for(current_principal().account_id)

    @blp.auth(L3)
    @blp.arguments(BindSchema, example={"uscc": USCC_EXAMPLE})
    @blp.response(201, BindingSchema, example={"id": 1, "uscc": USCC_EXAMPLE,
                                               "started_at": "2026-11-28T08:00:00+00:00"})
    @blp.errors(ee.UsccFormat, ee.UsccCheckChar, ee.RealNameRequired, ee.EntityNotFound,
                ee.NotLegalRepresentative, UpstreamUnavailable)
    def post(self, body):
        """Bind an entity as its legal representative, verified with the market-regulation registry."""
        found = binding.bind_legal_representative(current_principal().account_id, body["uscc"])
        return {"id": found.id, "uscc": body["uscc"].strip().upper(), "started_at": found.started_at}


@blp.route("/entities/<uscc>")
class EntityItem(MethodView):
    @blp.auth(L2)
    @blp.response(200, EntitySchema, example={
        "uscc": USCC_EXAMPLE, "name": "广州市越秀区示例餐饮有限公司", "type": "有限责任公司",
        "registered_address": "广州市越秀区中山五路1号", "legal_representative": "*三", "stage": "operating",
        "stage_since": "2020-03-01", "role": "agent", "scopes": ["view_licences"],
        "stage_history": [{"stage": "operating", "from_stage": "establishment", "effective_on": "2020-03-01",
                           "reason": "设立登记完成", "recorded_at": "2026-11-28T08:00:00+00:00"}],
        "annual_reports": [{"year": 2025, "status": "submitted", "submitted_on": "2026-03-15",
                            "window_opens": "2026-01-01", "window_closes": "2026-06-30"}]})
    @blp.errors(NotFound)
    def get(self, uscc):
        """The entity I act for: register entry, stage and its history, annual reports."""
        return overview.entity_overview(current_principal().account_id, uscc)


@blp.route("/entities/<uscc>/agents")
class Agents(MethodView):
    @blp.auth(L2)
    @blp.response(200, GrantSchema(many=True), example=[GRANT_EXAMPLE])
    @blp.errors(NotFound)
    def get(self, uscc):
        """The entity's agent grants (legal representative and company administrators)."""
        return agents.list_grants(current_principal().account_id, uscc)

    @blp.auth(L3)
    @blp.arguments(NewGrantSchema, example={"id_number": "440106199001010013",
                                               "scopes": ["view_licences", "manage_tickets"],
                                               "expires_at": "2027-11-28T00:00:00+08:00"})
    @blp.response(201, GrantSchema, example=GRANT_EXAMPLE)
    @blp.errors(NotFound, ee.AgentAlreadyGranted, ee.ScopeInvalid, ee.ExpiryInvalid, ee.AgentNotVerified,
                ee.AgentIsRepresentative,
                IdNumberFormat, IdNumberBirthDate, IdNumberCheckDigit)
    def post(self, body, uscc):
        """Grant a verified resident scoped authority to act for the entity until a date."""
        principal = current_principal()
        return agents.grant_agent(principal.account_id, uscc, body["id_number"], body["scopes"], body["expires_at"])


@blp.route("/entities/<uscc>/agents/<int:grant_id>")
class AgentItem(MethodView):
    @blp.auth(L2)
    @blp.response(204)
    @blp.errors(NotFound)
    def delete(self, uscc, grant_id):
        """Revoke an agent's grant (legal representative and company administrators)."""
        agents.revoke_grant(current_principal().account_id, uscc, grant_id)


class NewAdministratorSchema(ma.Schema):
    id_number = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=32),
                                 metadata={"description": "企业管理员身份证号（须已在本平台实名认证）"})
    expires_at = ma.fields.AwareDateTime(required=True, metadata={"description": "任命截止时间（最长三年）"})


ADMINISTRATOR_EXAMPLE = {**GRANT_EXAMPLE, "scopes": [*SCOPES, "manage_agents"]}


@blp.route("/entities/<uscc>/administrators")
class Administrators(MethodView):
    @blp.auth(L2)
    @blp.response(200, GrantSchema(many=True), example=[ADMINISTRATOR_EXAMPLE])
    @blp.errors(NotFound)
    def get(self, uscc):
        """The entity's company administrators (legal representative only); ``suspended`` ones await
        the new representative after a change of representative."""
        return agents.list_administrators(current_principal().account_id, uscc)

    @blp.auth(L3)
    @blp.arguments(NewAdministratorSchema, example={"id_number": "440106199001010013",
                                                     "expires_at": "2027-11-28T00:00:00+08:00"})
    @blp.response(201, GrantSchema, example=ADMINISTRATOR_EXAMPLE)
    @blp.errors(NotFound, ee.AgentAlreadyGranted, ee.ExpiryInvalid, ee.AgentNotVerified, ee.AgentIsRepresentative,
                IdNumberFormat, IdNumberBirthDate, IdNumberCheckDigit)
    def post(self, body, uscc):
        """Appoint a verified resident company administrator (legal representative only): every scope,
        and granting, listing and revoking agents; not appointing administrators."""
        principal = current_principal()
        return agents.appoint_administrator(principal.account_id, uscc, body["id_number"], body["expires_at"])


@blp.route("/entities/<uscc>/administrators/<int:grant_id>")
class AdministratorItem(MethodView):
    @blp.auth(L2)
    @blp.response(204)
    @blp.errors(NotFound)
    def delete(self, uscc, grant_id):
        """End a company administrator's appointment (legal representative only)."""
        agents.end_administrator(current_principal().account_id, uscc, grant_id)


@blp.route("/entities/<uscc>/administrators/<int:grant_id>/reinstatement")
class AdministratorReinstatement(MethodView):
    @blp.auth(L3)
    @blp.response(200, GrantSchema, example=ADMINISTRATOR_EXAMPLE)
    @blp.errors(NotFound, ee.AdministratorNotSuspended)
    def post(self, uscc, grant_id):
        """Keep an administrator suspended by a change of legal representative (the new one only)."""
        return agents.reinstate_administrator(current_principal().account_id, uscc, grant_id)
