"""Ticket errors: stable codes with the app's Chinese text."""

from app.errors import Conflict, Forbidden

STATE_NAMES = {"new": "待受理", "assigned": "已分派", "in_progress": "处理中",
               "awaiting_requester": "待补充", "resolved": "已办结", "closed": "已关闭"}


class IllegalTransition(Conflict):
    code = "illegal_transition"

    def __init__(self, action: str, from_state: str, to_state: str) -> None:
        super().__init__(f"工单当前为“{STATE_NAMES[from_state]}”，不能执行此操作",
                         details={"action": action, "from": from_state, "to": to_state})


class ReopenWindowClosed(Conflict):
    code, message = "reopen_window_closed", "办结已超过7天，不能重新打开，请新建工单"


class ReopenWindowOpen(Conflict):
    code, message = "reopen_window_open", "办结7天内由申请人确认关闭，期满后方可由工作人员关闭"


class NotAssignee(Forbidden):
    code, message = "not_assignee", "只有承办人或主管可以处理此工单"
