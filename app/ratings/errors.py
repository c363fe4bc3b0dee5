"""Rating errors."""

from app.errors import Conflict, Forbidden

SCALE = {5: "非常满意", 4: "满意", 3: "基本满意", 2: "不满意", 1: "非常不满意"}
BAD_SCORES = (1, 2)


class TicketNotResolved(Conflict):
    code, message = "ticket_not_resolved", "工单办结后才能评价"


class RatingLocked(Conflict):
    code, message = "rating_locked", "评价已超过24小时，不能再修改"


class CaseAlreadyRectified(Conflict):
    code, message = "case_already_rectified", "该整改已登记结果"


class RatingPeriodOver(Conflict):
    code, message = "rating_period_over", "办结已超过7天，评价期已结束（未评价的按“基本满意”计）"


class RerateNotOpen(Conflict):
    code, message = "rerate_not_open", "差评整改完成后才能再次评价"


class RerateUsed(Conflict):
    code, message = "rerate_used", "整改后只能再评价一次"


class CaseNotOpen(Conflict):
    code, message = "case_not_open", "该整改不在整改中，不能执行此操作"


class AppealExists(Conflict):
    code, message = "appeal_exists", "该差评已申诉过"


class AppealPending(Conflict):
    code, message = "appeal_pending", "申诉审核中，审核后才能登记整改结果"


class NoPendingAppeal(Conflict):
    code, message = "no_pending_appeal", "该整改没有待审核的申诉"


class OwnAppeal(Forbidden):
    code, message = "own_appeal", "不能审核自己提出的申诉"


class NoCaseToRate(Forbidden):
    code, message = "rating_without_case", "只有办结过该事项（办件或工单）的人才能评价该事项"


class ServiceAlreadyRated(Conflict):
    code, message = "service_already_rated", "您对该事项的每次办理只能评价一次"


class RatingNotHeld(Conflict):
    code, message = "rating_not_held", "该评价不在待复核状态"
