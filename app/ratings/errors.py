"""Rating errors."""

from app.errors import Conflict

SCALE = {5: "非常满意", 4: "满意", 3: "基本满意", 2: "不满意", 1: "非常不满意"}
BAD_SCORES = (1, 2)


class TicketNotResolved(Conflict):
    code, message = "ticket_not_resolved", "工单办结后才能评价"


class RatingLocked(Conflict):
    code, message = "rating_locked", "评价已超过24小时，不能再修改"


class CaseAlreadyRectified(Conflict):
    code, message = "case_already_rectified", "该整改已登记结果"
