"""Face verification (WeChat cityservice): getverifyid → the client's face step → queryverifyinfo.

Passed only when WeChat answers verify_ret 10000. L3 is recorded with its time and lapses after
``L3_MAX_AGE_DAYS`` so sensitive actions ask again.
"""

from __future__ import annotations

import base64
import hashlib
import secrets

from app import clock
from app.audit import log as audit_log
from app.audit.disclosures import record_read
from app.audit.log import Actor
from app.db import transactional
from app.errors import AppError
from app.identity import errors
from app.identity.accounts import get_account, real_name
from app.identity.sessions import Principal
from app.integrations.wechat import wechat
from app.redis_store import get_redis

VERIFY_TTL = 3600
PASSED = 10000
CERT_TYPE = "IDENTITY_CARD"

FAILURES = {
    10001: ("face_verify_invalid", "人脸核验参数有误，请重新发起"),
    10003: ("face_identity_mismatch", "身份信息与人脸核验对象不一致"),
    10004: ("face_mismatch", "人脸比对未通过，请本人重试"),
    90007: ("face_network_error", "网络异常，请重试"),
    90017: ("face_timeout", "人脸核验未完成或已超时，请重试"),
}
CANCELLED = range(90002, 90007)


def cert_hash(name: str, id_number: str, cert_type: str = CERT_TYPE) -> str:
    def b64(value: str) -> str:
        return base64.b64encode(value.encode()).decode()

    text = f"cert_type={b64(cert_type)}&cert_name={b64(name)}&cert_no={b64(id_number)}"
    return hashlib.sha256(text.encode()).hexdigest()


def _key(account_id: int, verify_id: str) -> str:
    return f"face:{account_id}:{hashlib.sha256(verify_id.encode()).hexdigest()}"


def start_face_verification(principal: Principal) -> str:
    account = get_account(principal.account_id)
    identity = real_name(account)
    if identity is None:
        raise errors.LevelRequired("请先完成实名认证", details={"required_level": 2})
    out_seq_no = secrets.token_hex(16)
    verify_id = wechat().face_verify_id(out_seq_no=out_seq_no, name=identity[0], id_number=identity[1],
                                        openid=account.provider_uid)
    get_redis().set(_key(account.id, verify_id), out_seq_no, ex=VERIFY_TTL)
    record_read(account.id, by=Actor("outside", "wechat"), data=["name", "id_number"], purpose="face_check")
    return verify_id


def finish_face_verification(principal: Principal, verify_id: str) -> None:
    account = get_account(principal.account_id)
    identity = real_name(account)
    key = _key(account.id, verify_id)
    out_seq_no = get_redis().get(key)
    if identity is None or out_seq_no is None:
        raise AppError("人脸核验会话不存在或已过期，请重新发起", code="face_verify_unknown", status=404)
    verify_ret = wechat().face_verify_result(
        verify_id=verify_id, out_seq_no=out_seq_no, cert_hash=cert_hash(*identity),
        openid=account.provider_uid,
    )
    actor = Actor("resident", str(account.id))
    if verify_ret == PASSED:
        get_redis().delete(key)
        _mark_passed(account.id)
        return
    if verify_ret in CANCELLED:
        code, message = "face_cancelled", "已取消人脸核验"
    else:
        code, message = FAILURES.get(verify_ret, ("face_verify_failed", "人脸核验未通过"))
    if verify_ret != 90017:  # not finished yet: the same verify_id may still be asked again
        get_redis().delete(key)
    audit_log.record_failure("identity.face", actor=actor, subject_type="account", subject_id=account.id,
                             outcome=code, details={"verify_ret": verify_ret})
    raise AppError(message, code=code, status=422, details={"verify_ret": verify_ret})


@transactional
def _mark_passed(account_id: int) -> None:
    account = get_account(account_id)
    account.face_verified_at = clock.now()
    audit_log.record("identity.face", actor=Actor("resident", str(account_id)), subject_type="account",
                     subject_id=account_id)
