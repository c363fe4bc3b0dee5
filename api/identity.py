"""Resident identity: WeChat login, phone, real name, face verification, and /me."""

from __future__ import annotations

import functools

import marshmallow as ma
from flask import current_app, request
from flask.views import MethodView

from api.blueprint import Blueprint, current_principal, kept_json
from api.schemas import Int
from api.sessions import TOKENS_EXAMPLE, TokenPairSchema
from app.errors import UpstreamUnavailable
from app.identity import errors as ie
from app.identity import face, login, phone, profile, realname
from app.identity.models import L0, L1, L2
from app.integrations.errors import WECHAT_CALL_ERRORS, OpenDataError, PhoneWatermarkMismatch

blp = Blueprint("identity", __name__, url_prefix="/api/v1", description="实名身份")


class LoginSchema(ma.Schema):
    code = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=128),
                            metadata={"description": "wx.login 返回的 code"})


class LoginResultSchema(TokenPairSchema):
    account_id = Int()
    new_account = ma.fields.Boolean()
    level = Int()


class PhoneSchema(ma.Schema):
    code = ma.fields.String(validate=ma.validate.Length(min=1, max=128),
                            metadata={"description": "手机号快速验证组件返回的 code"})
    encrypted_data = ma.fields.String(data_key="encryptedData", validate=ma.validate.Length(max=4096))
    iv = ma.fields.String(validate=ma.validate.Length(max=64))

    @ma.validates_schema
    def one_way(self, data, **_kwargs):
        if bool(data.get("code")) == bool(data.get("encrypted_data") or data.get("iv")):
            raise ma.ValidationError("请提供 code，或 encryptedData 与 iv 之一组", "_schema")
        if not data.get("code") and not (data.get("encrypted_data") and data.get("iv")):
            raise ma.ValidationError("encryptedData 与 iv 须同时提供", "_schema")


class PhoneResultSchema(ma.Schema):
    phone = ma.fields.String(metadata={"description": "脱敏手机号", "example": "138****8000"})
    level = Int()


class RealNameSchema(ma.Schema):
    name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=60))
    id_number = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=32))


class LevelSchema(ma.Schema):
    level = Int()


class FaceStartSchema(ma.Schema):
    verify_id = ma.fields.String(metadata={"description": "交给 wx.requestFacialVerify 的 verifyId"})


class FaceFinishSchema(ma.Schema):
    verify_id = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=128))


class MeSchema(ma.Schema):
    id = Int()
    level = Int(metadata={"description": "0 微信 · 1 手机 · 2 实名 · 3 人脸"})
    l3_lapses_at = ma.fields.DateTime(allow_none=True, metadata={"description": "人脸认证失效时间"})
    l3_method = ma.fields.String(allow_none=True, metadata={
        "description": "L3 的取得方式：face 人脸核验 · in_person 服务大厅窗口核验（失效规则相同）"})
    phone = ma.fields.String(allow_none=True)
    name = ma.fields.String(allow_none=True)
    id_number = ma.fields.String(allow_none=True)
    masked = ma.fields.Boolean(metadata={"description": "仅本人在 L3 时显示完整信息"})
    created_at = ma.fields.DateTime()
    elder_mode = ma.fields.Boolean(metadata={"description": "长者模式（大字、精简首页、高对比度）"})


_ME = MeSchema()


@functools.lru_cache(maxsize=1024)  # about 1 KB each with the view it renders
def _me_text(view: profile.AccountView) -> str:
    """``/me``'s JSON as smorest would send it, dumped once per view (the app keeps a resident's view
    while their account is unchanged, ``profile.my_account``): the hot read's dearest step skipped."""
    return current_app.json.dumps(_ME.dump(view)) + "\n"


class DisplaySchema(ma.Schema):
    elder_mode = ma.fields.Boolean(required=True, metadata={"description": "长者模式：大字、精简首页、高对比度"})


def _level() -> int:
    return profile.level_of(current_principal().account_id)


@blp.route("/auth/wechat-login")
class WeChatLogin(MethodView):
    @blp.public
    @blp.arguments(LoginSchema, example={"code": "0a1b2c3d4e"})
    @blp.response(200, LoginResultSchema, example={**TOKENS_EXAMPLE, "account_id": 1, "new_account": True,
                                                    "level": 0})
    @blp.errors(ie.LoginCodeInvalid, ie.LoginCodeUsed, ie.WeChatUserBlocked, ie.AccountDisabled,
                ie.LoginAttemptsExceeded, *WECHAT_CALL_ERRORS)
    def post(self, body):
        """Log in with a wx.login code (creates the account on first login).

        Limited per client address: 60 attempts a minute, and 10 codes WeChat refused per 10 minutes."""
        tokens, account, created = login.login_with_code(body["code"], request.remote_addr)
        return {"access_token": tokens.access_token, "refresh_token": tokens.refresh_token,
                "expires_in": tokens.expires_in, "account_id": account.id, "new_account": created,
                "level": profile.level_of(account.id)}


@blp.route("/me")
class Me(MethodView):
    @blp.auth(L0)
    @blp.response(200, MeSchema, example={
        "id": 1, "level": 2, "l3_lapses_at": None, "l3_method": None, "phone": "138****8000", "name": "*三",
        "id_number": "4****************4", "masked": True, "created_at": "2026-11-28T08:00:00+00:00",
        "elder_mode": False})
    def get(self):
        """My account: level, when L3 lapses, and my (masked) identity."""
        return kept_json(_me_text(profile.my_account(current_principal())))


@blp.route("/me/display")
class MyDisplay(MethodView):
    @blp.auth(L0)
    @blp.arguments(DisplaySchema, example={"elder_mode": True})
    @blp.response(200, DisplaySchema, example={"elder_mode": True})
    def put(self, body):
        """Turn 长者模式 on or off for my account: the pages follow it on every device I log in on."""
        return {"elder_mode": profile.set_elder_mode(current_principal(), body["elder_mode"])}


@blp.route("/me/phone")
class MyPhone(MethodView):
    @blp.auth(L0)
    @blp.arguments(PhoneSchema, example={"code": "e31968a7f94cc5ee25fafc2aef2773f0"})
    @blp.response(200, PhoneResultSchema, example={"phone": "138****8000", "level": 1})
    @blp.errors(ie.PhoneCodeInvalid, ie.WeChatSessionExpired, OpenDataError, PhoneWatermarkMismatch, ie.PhoneInvalid,
                ie.PhoneTaken, *WECHAT_CALL_ERRORS)
    def put(self, body):
        """Bind my phone with the phone-button code, or legacy encryptedData + iv."""
        principal = current_principal()
        if body.get("code"):
            masked = phone.bind_with_code(principal, body["code"])
        else:
            masked = phone.bind_with_encrypted_data(principal, body["encrypted_data"], body["iv"])
        return {"phone": masked, "level": _level()}


@blp.route("/me/real-name")
class MyRealName(MethodView):
    @blp.auth(L1)
    @blp.arguments(RealNameSchema, example={"name": "张三", "id_number": "440106199005170014"})
    @blp.response(200, LevelSchema, example={"level": 2})
    @blp.errors(ie.NameInvalid, ie.IdNumberFormat, ie.IdNumberBirthDate, ie.IdNumberCheckDigit, ie.AlreadyVerified,
                ie.IdNumberTaken, ie.RealNameAttemptsExceeded, ie.RealNameMismatch, UpstreamUnavailable)
    def put(self, body):
        """Verify my real name: name + resident ID number, checked with the population registry.

        ``id_number_bound_to_other_account`` is answered only once the registry has confirmed the
        name; it counts as a failure. Failures a day: 5 per account, 3 per (account, ID number);
        past 10 on one ID number from all accounts, one try per account."""
        realname.verify_real_name(current_principal(), body["name"], body["id_number"])
        return {"level": _level()}


@blp.route("/me/face-verifications")
class FaceVerifications(MethodView):
    @blp.auth(L2)
    @blp.response(201, FaceStartSchema, example={"verify_id": "W2Hk6v0..."})
    @blp.errors(*WECHAT_CALL_ERRORS)
    def post(self):
        """Start a face verification; pass verify_id to wx.requestFacialVerify."""
        return {"verify_id": face.start_face_verification(current_principal())}


@blp.route("/me/face-verifications/result")
class FaceVerificationResult(MethodView):
    @blp.auth(L2)
    @blp.arguments(FaceFinishSchema, example={"verify_id": "W2Hk6v0..."})
    @blp.response(200, LevelSchema, example={"level": 3})
    @blp.errors(ie.FaceVerifyUnknown, ie.FaceVerifyFailed, ie.FaceVerifyInvalid, ie.FaceIdentityMismatch,
                ie.FaceMismatch, ie.FaceNetworkError, ie.FaceTimeout, ie.FaceCancelled, *WECHAT_CALL_ERRORS)
    def post(self, body):
        """Ask WeChat for the outcome once the client's face step finished; L3 on a pass."""
        face.finish_face_verification(current_principal(), body["verify_id"])
        return {"level": _level()}
