"""Schemas of the service halls: halls and slots, appointments, and the counter's acts."""

from __future__ import annotations

import marshmallow as ma

from api.acting import NewProxyGrantSchema
from api.schemas import Int
from app.halls.bookings import OUTCOMES
from app.halls.models import STATUSES


class CounterSchema(ma.Schema):
    service_code = ma.fields.String()
    service_name = ma.fields.String()
    counters = Int(metadata={"description": "同时办理该事项的窗口数，即每个时段可约人数"})


class HallSchema(ma.Schema):
    code = ma.fields.String()
    name = ma.fields.String()
    address = ma.fields.String()
    opening = ma.fields.List(ma.fields.String(), metadata={"description": "工作日开放时段（北京时间），节假日不开放"})
    slot_minutes = Int()
    book_days_ahead = Int(metadata={"description": "可提前预约的天数"})
    services = ma.fields.List(ma.fields.Nested(CounterSchema))


class SlotQuerySchema(ma.Schema):
    service = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=64),
                               metadata={"description": "事项编码"})
    date = ma.fields.Date(required=True, metadata={"description": "日期（北京时间）"})


class SlotSchema(ma.Schema):
    starts_at = ma.fields.DateTime()
    ends_at = ma.fields.DateTime()
    seats = Int()
    seats_left = Int()


class AppointmentSchema(ma.Schema):
    id = Int()
    hall_code = ma.fields.String()
    hall_name = ma.fields.String()
    hall_address = ma.fields.String()
    service_code = ma.fields.String()
    service_name = ma.fields.String()
    starts_at = ma.fields.DateTime()
    ends_at = ma.fields.DateTime()
    status = ma.fields.String(metadata={"description": " · ".join(STATUSES)})
    created_at = ma.fields.DateTime()


class NewAppointmentSchema(ma.Schema):
    hall_code = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=32))
    service_code = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=64))
    starts_at = ma.fields.AwareDateTime(required=True, metadata={"description": "时段开始时间，须带时区"})


class AppointmentPatchSchema(ma.Schema):
    starts_at = ma.fields.AwareDateTime(required=True, metadata={"description": "改约到的时段开始时间，须带时区"})


class DayListQuerySchema(ma.Schema):
    date = ma.fields.Date(required=True, metadata={"description": "日期（北京时间）"})


class VisitorSchema(AppointmentSchema):
    id = Int(attribute="appointment.id")
    hall_code = ma.fields.String(attribute="appointment.hall_code")
    hall_name = ma.fields.String(attribute="appointment.hall_name")
    hall_address = ma.fields.String(attribute="appointment.hall_address")
    service_code = ma.fields.String(attribute="appointment.service_code")
    service_name = ma.fields.String(attribute="appointment.service_name")
    starts_at = ma.fields.DateTime(attribute="appointment.starts_at")
    ends_at = ma.fields.DateTime(attribute="appointment.ends_at")
    status = ma.fields.String(attribute="appointment.status", metadata={"description": " · ".join(STATUSES)})
    created_at = ma.fields.DateTime(attribute="appointment.created_at")
    name = ma.fields.String(metadata={"description": "姓名（脱敏）"})
    id_number = ma.fields.String(metadata={"description": "身份证号（脱敏）"})


class AppointmentOutcomeSchema(ma.Schema):
    outcome = ma.fields.String(required=True, validate=ma.validate.OneOf(OUTCOMES),
                               metadata={"description": "attended 已到场 · no_show 未到场"})


class IdCardSchema(ma.Schema):
    id_number = ma.fields.String(required=True, load_only=True, validate=ma.validate.Length(min=1, max=32),
                                 metadata={"description": "群众出示的居民身份证号码（只按盲索引查找，不回显）"})


class LockoutLiftSchema(IdCardSchema):
    phone = ma.fields.String(required=True, load_only=True, validate=ma.validate.Length(min=5, max=20),
                             metadata={"description": "群众账号绑定的手机号"})


class PersonAtCounterSchema(ma.Schema):
    account_id = Int()
    name = ma.fields.String(metadata={"description": "姓名（脱敏）"})
    id_number = ma.fields.String(metadata={"description": "身份证号（脱敏）"})
    level = Int(metadata={"description": "当前认证等级"})
    l3_method = ma.fields.String(allow_none=True, metadata={"description": "face 人脸 · in_person 柜面核验"})
    l3_lapses_at = ma.fields.DateTime(allow_none=True)


class OfficerSchema(ma.Schema):
    staff_id = Int(required=True)


HALL_EXAMPLE = {"code": "gz-tianhe", "name": "广州市天河区政务服务中心", "address": "广州市天河区天河路 1 号",
                "opening": ["09:00-12:00", "14:00-17:30"], "slot_minutes": 30, "book_days_ahead": 14,
                "services": [{"service_code": "gd-gat-sfz-hl", "service_name": "居民身份证换领", "counters": 2}]}
SLOT_EXAMPLE = {"starts_at": "2026-12-07T01:00:00+00:00", "ends_at": "2026-12-07T01:30:00+00:00", "seats": 2,
                "seats_left": 1}
APPOINTMENT_EXAMPLE = {"id": 12, "hall_code": "gz-tianhe", "hall_name": "广州市天河区政务服务中心",
                       "hall_address": "广州市天河区天河路 1 号", "service_code": "gd-gat-sfz-hl",
                       "service_name": "居民身份证换领", "starts_at": "2026-12-07T01:00:00+00:00",
                       "ends_at": "2026-12-07T01:30:00+00:00", "status": "booked",
                       "created_at": "2026-12-04T02:10:00+00:00"}
PERSON_EXAMPLE = {"account_id": 42, "name": "*三", "id_number": "4****************4", "level": 3,
                  "l3_method": "in_person", "l3_lapses_at": "2027-01-03T02:00:00+00:00"}


class HallQuerySchema(ma.Schema):
    service = ma.fields.String(validate=ma.validate.Length(min=1, max=64),
                               metadata={"description": "只列办理该事项的大厅"})


class NewHallGrantSchema(NewProxyGrantSchema):
    """A resident's own grant form, recorded at the counter for the grantor standing there."""

    grantor_id_number = ma.fields.String(required=True, load_only=True, validate=ma.validate.Length(min=1, max=32),
                                         metadata={"description": "授权人（到场群众）出示的身份证号码"})


class RecordedGrantSchema(ma.Schema):
    id = Int()
    scopes = ma.fields.List(ma.fields.String())
    expires_at = ma.fields.DateTime()
    recorded_by = ma.fields.String(metadata={"description": "staff：大厅窗口代为登记"})
