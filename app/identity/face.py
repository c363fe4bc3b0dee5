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
from app.identity import errors
from app.identity.accounts import get_account, real_name
from app.identity.models import FACE
from app.identity.sessions import Principal
from app.integrations.wechat import wechat
from app.redis_store import get_redis

VERIFY_TTL = 3600
PASSED = 10000
CERT_TYPE = "IDENTITY_CARD"

FAILURES: dict[int, type[errors.FaceVerifyFailed]] = {
    10001: errors.FaceVerifyInvalid,
    10003: errors.FaceIdentityMismatch,
    10004: errors.FaceMismatch,
    90007: errors.FaceNetworkError,
    90017: errors.FaceTimeout,
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
        raise errors.FaceVerifyUnknown()
    verify_ret = wechat().face_verify_result(
        verify_id=verify_id, out_seq_no=out_seq_no, cert_hash=cert_hash(*identity),
        openid=account.provider_uid,
    )
    actor = Actor("resident", str(account.id))
    if verify_ret == PASSED:
        get_redis().delete(key)
        _mark_passed(account.id)
        return
    failure = errors.FaceCancelled if verify_ret in CANCELLED else FAILURES.get(verify_ret, errors.FaceVerifyFailed)
    if verify_ret != 90017:  # not finished yet: the same verify_id may still be asked again
        get_redis().delete(key)
    audit_log.record_failure("identity.face", actor=actor, subject_type="account", subject_id=account.id,
                             outcome=failure.code, details={"verify_ret": verify_ret})
    raise failure(details={"verify_ret": verify_ret})


@transactional
def _mark_passed(account_id: int) -> None:
    account = get_account(account_id)
    account.face_verified_at, account.l3_method = clock.now(), FACE
    audit_log.record("identity.face", actor=Actor("resident", str(account_id)), subject_type="account",
                     subject_id=account_id)
