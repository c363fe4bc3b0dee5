"""Entity errors: stable codes with the app's Chinese text."""

from app.errors import Conflict, Forbidden, NotFound, ValidationFailed


class UsccFormat(ValidationFailed):
    code, message = "uscc_format", "统一社会信用代码应为18位，由数字和大写字母组成（不含I、O、Z、S、V）"


class UsccCheckChar(ValidationFailed):
    code, message = "uscc_check_char", "统一社会信用代码校验位不正确，请检查是否输入有误"


class RealNameRequired(Forbidden):
    code, message = "real_name_required", "请先完成实名认证"


class EntityNotFound(NotFound):
    code, message = "entity_not_found", "未找到该主体"


class NotLegalRepresentative(Forbidden):
    code, message = "not_legal_representative", "登记机关记载的法定代表人不是您本人"


class StageTransitionInvalid(ValidationFailed):
    code, message = "stage_transition_invalid", "主体已注销，不能再变更阶段"


class ScopeInvalid(ValidationFailed):
    code, message = "scope_invalid", "授权范围无效"


class ExpiryInvalid(ValidationFailed):
    code, message = "expiry_invalid", "授权有效期须在现在之后、三年以内"


class AgentNotVerified(ValidationFailed):
    code, message = "agent_not_verified", "经办人须先在本平台完成实名认证"


class AgentIsRepresentative(ValidationFailed):
    code, message = "agent_is_representative", "法定代表人无需授权给自己"


class AgentAlreadyGranted(Conflict):
    code, message = "agent_already_granted", "该经办人已有有效授权，请先撤销"


class AdministratorNotSuspended(Conflict):
    code, message = "administrator_not_suspended", "该企业管理员未被暂停，无需恢复"
