"""Staff errors: stable codes with the console's Chinese text."""

from app.errors import AppError, Conflict, Forbidden, Unauthenticated, ValidationFailed


class InvalidCredentials(Unauthenticated):
    # One answer for an unknown user, a wrong password, a wrong or replayed code: no oracle.
    code, message = "invalid_credentials", "用户名、密码或动态验证码错误"


class StaffLocked(AppError):
    status, code, message = 423, "staff_locked", "连续登录失败次数过多，账号已临时锁定"


class StaffLoginRequired(Unauthenticated):
    message = "请先登录工作台"


class StaffTokenInvalid(Unauthenticated):
    message = "工作人员登录已失效，请重新登录"


class NotAStaffToken(Unauthenticated):
    # A resident's (or another) login on a staff endpoint: say where the caller is, not "expired".
    code, message = "not_a_staff_token", "这是工作人员接口，居民账号的登录不能使用，请用工作人员账号登录工作台"


class RoleRequired(Forbidden):
    code, message = "role_required", "当前角色无权执行此操作"


class UsernameTaken(Conflict):
    code, message = "username_taken", "用户名已存在"


class UnknownDepartment(ValidationFailed):
    code, message = "unknown_department", "部门不存在"
