"""Binding a phone number: the phone-button code (current API) or legacy encryptedData + iv. L1."""

from __future__ import annotations

from sqlalchemy import select

from app import clock
from app.audit import log as audit_log
from app.audit.log import Actor
from app.db import session, transactional
from app.identity import errors
from app.identity.accounts import get_account
from app.identity.login import session_key_name
from app.identity.models import Account
from app.identity.sessions import Principal
from app.integrations.errors import OpenDataError, WeChatError
from app.integrations.wechat import phone_info_from, wechat
from app.integrations.wechat_crypto import decrypt_open_data
from app.redis_store import get_redis
from app.security.keys import encrypt, lookup_hash
from app.security.masking import mask_phone
from config import get_settings


def bind_with_code(principal: Principal, code: str) -> str:
    account = get_account(principal.account_id)
    try:
        info = wechat().phone_number(code, account.provider_uid)
    except WeChatError as error:
        if error.errcode == 40029:
            raise errors.PhoneCodeInvalid(details={"errcode": 40029}) from None
        raise
    return _bind_recording_refusal(principal.account_id, info.pure_phone_number, info.country_code, "code")


def bind_with_encrypted_data(principal: Principal, encrypted_data: str, iv: str) -> str:
    session_key = get_redis().get(session_key_name(principal.account_id))
    if not session_key:
        raise errors.WeChatSessionExpired()
    plain = decrypt_open_data(session_key, encrypted_data, iv, get_settings().wechat_appid)
    try:
        info = phone_info_from(plain)
    except KeyError:
        raise OpenDataError("手机号数据不完整") from None
    return _bind_recording_refusal(principal.account_id, info.pure_phone_number, info.country_code,
                                   "encrypted_data")


def _bind_recording_refusal(account_id: int, phone: str, country_code: str, method: str) -> str:
    try:
        return _bind(account_id, phone, country_code, method)
    except errors.PhoneTaken:
        audit_log.record_failure("identity.phone_bind", actor=Actor("resident", str(account_id)),
                                 subject_type="account", subject_id=account_id, outcome="phone_taken",
                                 details={"method": method})
        raise


@transactional
def _bind(account_id: int, phone: str, country_code: str, method: str) -> str:
    if not phone.isdigit() or not 5 <= len(phone) <= 15:
        raise errors.PhoneInvalid()
    number = phone if country_code in ("86", "+86") else f"+{country_code.lstrip('+')}{phone}"
    phone_hash = lookup_hash(number, "phone")
    owner = session().scalars(select(Account).where(Account.phone_hash == phone_hash)).first()
    if owner is not None and owner.id != account_id:
        raise errors.PhoneTaken()
    account = get_account(account_id)
    account.phone_enc = encrypt(number, "account.phone")
    account.phone_hash = phone_hash
    account.phone_bound_at = clock.now()
    audit_log.record("identity.phone_bind", actor=Actor("resident", str(account_id)),
                     subject_type="account", subject_id=account_id, details={"method": method})
    return mask_phone(number)
