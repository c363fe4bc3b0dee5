"""Ticket errors: stable codes with the app's Chinese text."""

from app.errors import Conflict, Forbidden, ValidationFailed


class IllegalTransition(Conflict):
    code, message = "illegal_transition", "工单当前状态不能执行此操作"


class ReopenWindowClosed(Conflict):
    code, message = "reopen_window_closed", "办结已超过7天，不能重新打开，请新建工单"


class ReopenWindowOpen(Conflict):
    code, message = "reopen_window_open", "办结7天内由申请人确认关闭，期满后方可由工作人员关闭"


class NotAssignee(Forbidden):
    code, message = "not_assignee", "只有承办人或主管可以处理此工单"


class TicketClosed(Conflict):
    code, message = "ticket_closed", "工单已关闭，不能再留言"


class AssigneeNotInDepartment(ValidationFailed):
    code, message = "assignee_not_in_department", "承办人不属于该工单所在部门"


class SameDepartment(ValidationFailed):
    code, message = "same_department", "不能转交给当前部门"


class ResolutionNoteRequired(ValidationFailed):
    code, message = "resolution_note_required", "办结工单须填写办理结果说明"
