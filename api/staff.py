"""Staff accounts: login with password + TOTP, logout, who am I, and admin management;
plus the public service catalogue (departments and services)."""

from __future__ import annotations

import marshmallow as ma
from flask import request
from flask.views import MethodView

from api.blueprint import Blueprint, current_staff
from api.schemas import Int
from app.audit.log import Actor
from app.errors import NotFound
from app.security.errors import PasswordTooWeak
from app.staff import accounts, auth, catalogue
from app.staff.errors import InvalidCredentials, StaffLocked, UnknownDepartment, UsernameTaken
from app.staff.models import ADMIN, HALL_OFFICER, ROLE_RANK

blp = Blueprint("staff", __name__, url_prefix="/api/v1", description="工作人员与服务事项")


class StaffLoginSchema(ma.Schema):
    username = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=64))
    password = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=256))
    totp = ma.fields.String(required=True, validate=ma.validate.Length(min=6, max=6),
                            metadata={"description": "身份验证器 App 上的6位动态验证码"})


class StaffMeSchema(ma.Schema):
    id = Int(attribute="staff_id")
    display_name = ma.fields.String()
    role = ma.fields.String(metadata={"description": "hall_officer · agent · supervisor · admin"})
    department_ids = ma.fields.List(Int())


class CalendarHorizonSchema(ma.Schema):
    official_until = ma.fields.Date(metadata={"description": "官方节假日数据覆盖到的最后一天"})
    days_left = Int()
    warning = ma.fields.Boolean(metadata={"description": "官方数据不足60天：此后的期限按周末估算"})


class StaffHomeSchema(StaffMeSchema):
    id = Int(attribute="principal.staff_id")
    display_name = ma.fields.String(attribute="principal.display_name")
    role = ma.fields.String(attribute="principal.role",
                            metadata={"description": "hall_officer · agent · supervisor · admin"})
    department_ids = ma.fields.List(Int(), attribute="principal.department_ids")
    calendar = ma.fields.Nested(CalendarHorizonSchema)


class StaffSessionSchema(ma.Schema):
    access_token = ma.fields.String()
    token_type = ma.fields.Constant("Bearer")
    expires_in = Int(metadata={"description": "有效秒数（一个班次）"})
    staff = ma.fields.Nested(StaffMeSchema, attribute="principal")


class NewStaffSchema(ma.Schema):
    username = ma.fields.String(required=True, validate=ma.validate.Regexp(r"^[a-z0-9._-]{3,64}$"))
    display_name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=64),
                                    metadata={"description": "向群众显示的称呼（不显示用户名）"})
    role = ma.fields.String(required=True, validate=ma.validate.OneOf(list(ROLE_RANK)))
    password = ma.fields.String(required=True, load_only=True, validate=ma.validate.Length(min=12, max=256))
    department_ids = ma.fields.List(Int(), required=True, validate=ma.validate.Length(min=1))


class CreatedStaffSchema(ma.Schema):
    id = Int()
    username = ma.fields.String()
    display_name = ma.fields.String()
    role = ma.fields.String()
    totp_provisioning_uri = ma.fields.String(metadata={"description": "仅此一次返回：用身份验证器扫码"})


class DepartmentSchema(ma.Schema):
    id = Int()
    code = ma.fields.String()
    name = ma.fields.String()
    level = ma.fields.String(metadata={"description": "province 省级 · city 市级"})
    region = ma.fields.String()


class ServiceSchema(ma.Schema):
    id = Int()
    code = ma.fields.String()
    name = ma.fields.String()
    department_id = Int()


class ServiceQuerySchema(ma.Schema):
    department_id = Int()


ME_EXAMPLE = {"id": 2, "display_name": "公安厅工作人员 001号", "role": "agent", "department_ids": [1]}


@blp.route("/staff/sessions")
class StaffSessions(MethodView):
    @blp.public
    @blp.arguments(StaffLoginSchema, example={"username": "zhang.agent", "password": "（您的密码）",
                                              "totp": "492039"})
    @blp.response(201, StaffSessionSchema, example={"access_token": "eyJhbGciOiJFZERTQSJ9...",
                                                    "token_type": "Bearer", "expires_in": 36000,
                                                    "staff": ME_EXAMPLE})
    @blp.errors(InvalidCredentials, StaffLocked)
    def post(self, body):
        """Staff login with username, password and a TOTP code (each code works once).

        Five failures in a row from one address lock that username at that address for 15 minutes;
        twenty in a row from anywhere lock the account for 5 minutes (``staff_locked``, Retry-After)."""
        return auth.log_in(body["username"], body["password"], body["totp"], request.remote_addr)


@blp.route("/staff/sessions/current")
class CurrentStaffSession(MethodView):
    @blp.staff(role=HALL_OFFICER)  # every staff role, hall officers included
    @blp.response(204)
    def delete(self):
        """Log out of the staff console (this session ends at once)."""
        auth.log_out(current_staff())


@blp.route("/staff/me")
class StaffMe(MethodView):
    @blp.staff(role=HALL_OFFICER)  # every staff role, hall officers included
    @blp.response(200, StaffHomeSchema, example={**ME_EXAMPLE, "calendar": {
        "official_until": "2026-12-31", "days_left": 28, "warning": True}})
    def get(self):
        """Who I am: display name, role, departments; and the holiday calendar's official horizon."""
        return auth.staff_home(current_staff())


@blp.route("/staff/members")
class StaffMembers(MethodView):
    @blp.staff(role=ADMIN)
    @blp.arguments(NewStaffSchema, example={"username": "li.si", "display_name": "社保窗口 李工",
                                            "role": "agent", "password": "a-long-initial-pass",
                                            "department_ids": [2]})
    @blp.response(201, CreatedStaffSchema, example={"id": 4, "username": "li.si", "display_name": "社保窗口 李工",
                                                    "role": "agent",
                                                    "totp_provisioning_uri": "otpauth://totp/yss:li.si?secret=..."})
    @blp.errors(UsernameTaken, UnknownDepartment, PasswordTooWeak)
    def post(self, body):
        """Create a staff account (admin); returns its TOTP provisioning URI once."""
        created = accounts.create_staff(body["username"], body["display_name"], body["role"], body["password"],
                                        department_ids_=body["department_ids"],
                                        actor=Actor("staff", str(current_staff().staff_id)))
        staff = created.staff
        return {"id": staff.id, "username": staff.username, "display_name": staff.display_name,
                "role": staff.role, "totp_provisioning_uri": created.provisioning_uri}


@blp.route("/staff/members/<int:staff_id>/unlock")
class StaffUnlock(MethodView):
    @blp.staff(role=ADMIN)
    @blp.response(204)
    @blp.errors(NotFound)
    def post(self, staff_id):
        """Lift a login lockout (admin)."""
        accounts.unlock(staff_id, Actor("staff", str(current_staff().staff_id)))


@blp.route("/departments")
class Departments(MethodView):
    @blp.public
    @blp.response(200, DepartmentSchema(many=True), example=[
        {"id": 1, "code": "gd-gat", "name": "广东省公安厅", "level": "province", "region": "广东省"}])
    def get(self):
        """Departments that own services."""
        return catalogue.departments()


@blp.route("/services")
class Services(MethodView):
    @blp.public
    @blp.arguments(ServiceQuerySchema, location="query")
    @blp.response(200, ServiceSchema(many=True), example=[
        {"id": 1, "code": "gd-gat-sfz-hl", "name": "居民身份证换领", "department_id": 1}])
    def get(self, args):
        """The service catalogue (事项), optionally one department's."""
        return catalogue.services(args.get("department_id"))
