"""People errors: stable codes with the app's Chinese text."""

from app.errors import ValidationFailed


class HouseholdLinkSelf(ValidationFailed):
    code, message = "household_link_self", "不能与本人建立亲属关系"


class LifeEventTypeUnknown(ValidationFailed):
    code, message = "life_event_type_unknown", "未知的人生事件类型"


class LifeEventPayloadInvalid(ValidationFailed):
    code, message = "life_event_payload_invalid", "事件内容不符合该类型的要求"


class LifeEventNotSelfReportable(ValidationFailed):
    code, message = "life_event_not_self_reportable", "此类事件由主管部门提供，不能自行申报"


class LifeEventDateInFuture(ValidationFailed):
    code, message = "life_event_date_in_future", "事件日期不能晚于今天"
