"""Schemas of the consent API and the client list."""

from __future__ import annotations

import marshmallow as ma


class RequestedClaimSchema(ma.Schema):
    name = ma.fields.String(metadata={"description": "OpenID claim，如 name、driving_licence_valid"})
    label = ma.fields.String(metadata={"description": "中文名称"})
    purpose = ma.fields.String(metadata={"description": "应用登记的用途"})
    optional = ma.fields.Boolean(metadata={"description": "可选：本人可以拒绝提供"})
    source = ma.fields.String(metadata={"description": "数据来源（权威部门）"})
    granted_before = ma.fields.Boolean(metadata={"description": "此前已同意提供给该应用"})


class ConsentRequestSchema(ma.Schema):
    request_id = ma.fields.String()
    client_id = ma.fields.String()
    client_name = ma.fields.String()
    department = ma.fields.String()
    logo_text = ma.fields.String()
    claims = ma.fields.List(ma.fields.Nested(RequestedClaimSchema))
    required_level = ma.fields.Integer(metadata={"description": "本次登录需要的认证等级"})
    current_level = ma.fields.Integer()
    level_met = ma.fields.Boolean(metadata={"description": "未达到时先完成缺少的认证步骤再回来"})


class ApprovalSchema(ma.Schema):
    claims = ma.fields.List(ma.fields.String(validate=ma.validate.Length(max=64)), required=True,
                            validate=ma.validate.Length(max=20),
                            metadata={"description": "同意提供的信息项；必需项必须包含"})


class RedirectSchema(ma.Schema):
    redirect_to = ma.fields.String(metadata={"description": "回到应用的地址（带 code 与 state，或 error）"})


class OidcConsentSchema(ma.Schema):
    client_id = ma.fields.String()
    client_name = ma.fields.String()
    department = ma.fields.String()
    claims = ma.fields.List(ma.fields.String())
    claim_labels = ma.fields.List(ma.fields.String(), metadata={"description": "已同意提供的信息"})
    declined_labels = ma.fields.List(ma.fields.String(), metadata={"description": "已拒绝的可选信息"})
    granted_at = ma.fields.DateTime()


class ClientClaimSchema(ma.Schema):
    name = ma.fields.String()
    label = ma.fields.String()
    purpose = ma.fields.String()
    optional = ma.fields.Boolean()
    source = ma.fields.String()


class ClientSchema(ma.Schema):
    client_id = ma.fields.String()
    name = ma.fields.String()
    department = ma.fields.String()
    logo_text = ma.fields.String()
    public = ma.fields.Boolean(metadata={"description": "公开客户端（无密钥，仅 PKCE）"})
    redirect_uris = ma.fields.List(ma.fields.String())
    scopes = ma.fields.List(ma.fields.String())
    claims = ma.fields.List(ma.fields.Nested(ClientClaimSchema))
    min_level = ma.fields.Integer()
    created_at = ma.fields.DateTime()
