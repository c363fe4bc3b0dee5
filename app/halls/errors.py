"""Service halls' errors: stable codes with the app's and the console's Chinese text."""

from app.errors import Conflict, Forbidden, NotFound, ValidationFailed


class UnknownHall(NotFound):
    code, message = "hall_not_found", "服务大厅不存在"


class NotThisHall(Forbidden):
    # A hall officer acts only at the hall they work at; other staff roles are refused as role_required.
    code, message = "not_this_hall", "您不是该服务大厅的窗口工作人员"


class NotHallOfficer(ValidationFailed):
    code, message = "not_hall_officer", "只能为“窗口工作人员”角色的账号指定服务大厅"


class PersonNotFound(NotFound):
    code, message = "person_not_found", "未找到与该证件信息相符的实名账号"


class ServiceNotAtHall(ValidationFailed):
    code, message = "service_not_at_hall", "该服务大厅不办理此事项"


class HallClosed(ValidationFailed):
    code, message = "hall_closed", "该日为非工作日，服务大厅不开放，请选择其他日期"


class OutsideOpeningHours(ValidationFailed):
    code, message = "outside_opening_hours", "所选时间不在服务大厅的开放时段内"


class SlotInPast(ValidationFailed):
    code, message = "slot_in_past", "所选时段已过，请选择其他时段"


class SlotTooFarAhead(ValidationFailed):
    code, message = "slot_too_far_ahead", "超出可预约的日期范围"


class SlotFull(Conflict):
    code, message = "slot_full", "该时段已约满，请选择其他时段"


class AppointmentExists(Conflict):
    code, message = "appointment_exists", "您已预约该事项，如需更改时间请改约"


class AppointmentNotFound(NotFound):
    code, message = "appointment_not_found", "预约不存在"


class AppointmentClosed(Conflict):
    code, message = "appointment_closed", "该预约已取消或已办结，不能再更改"


class AppointmentNotStarted(Conflict):
    code, message = "appointment_not_started", "预约时段尚未开始，不能登记到场结果"
