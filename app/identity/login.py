"""WeChat login: a ``wx.login`` code becomes an account (found or created by openid) and a session."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError

from app import clock, ratelimit, stores
from app.audit import log as audit_log
from app.audit.log import Actor
from app.db import session, transactional
from app.errors import AppError
from app.identity import errors
from app.identity.accounts import PROVIDER_WECHAT, find_by_openid
from app.identity.models import Account
from app.identity.sessions import TokenPair, start_session
from app.integrations.errors import WeChatError
from app.integrations.wechat import LoginSession, wechat
from app.redis_store import get_redis

# The session_key decrypts legacy open data; it lives in Redis only, for as long as WeChat's
# login state plausibly does.
SESSION_KEY_TTL = 3 * 24 * 3600

LOGIN_ERRORS: dict[int, type[AppError]] = {
    40029: errors.LoginCodeInvalid,
    40163: errors.LoginCodeUsed,
    40226: errors.WeChatUserBlocked,
}


# Every code costs an upstream call, so attempts are limited per client address before it: all of
# them loosely (one address may be a carrier's NAT, many people behind it), and more tightly the
# codes WeChat refused (a client replaying or inventing codes).
LOGINS_PER_MINUTE = 60
REFUSED_CODES_PER_10_MINUTES = 10


def session_key_name(account_id: int) -> str:
    return f"wx:session_key:{account_id}"


def login_with_code(js_code: str, client_address: str | None = None) -> tuple[TokenPair, Account, bool]:
    # A code is spent by its first use upstream: with a store known to be down, keep it unspent so
    # the same code still works once the store is back (503 store_unavailable meanwhile).
    stores.require_database_and_redis()
    refused_key = f"wechat-login-refused:{client_address}"
    ratelimit.refuse_when_spent(refused_key, limit=REFUSED_CODES_PER_10_MINUTES, window_seconds=600,
                                error=errors.LoginAttemptsExceeded)
    ratelimit.hit(f"wechat-login:{client_address}", limit=LOGINS_PER_MINUTE, window_seconds=60,
                  error=errors.LoginAttemptsExceeded)
    try:
        wx = wechat().code_to_session(js_code)
    except WeChatError as error:
        if error.errcode in LOGIN_ERRORS:
            ratelimit.hit(refused_key, limit=REFUSED_CODES_PER_10_MINUTES, window_seconds=600,
                          error=errors.LoginAttemptsExceeded)
            raise LOGIN_ERRORS[error.errcode](details={"errcode": error.errcode}) from None
        raise
    try:
        tokens, account, created = _sign_in(wx)
    except IntegrityError:
        # Two first logins of one user raced; the other one created the account.
        session().rollback()
        tokens, account, created = _sign_in(wx)
    get_redis().set(session_key_name(account.id), wx.session_key, ex=SESSION_KEY_TTL)
    return tokens, account, created


@transactional
def _sign_in(wx: LoginSession) -> tuple[TokenPair, Account, bool]:
    account = find_by_openid(wx.openid)
    created = account is None
    if account is None:
        account = Account(provider=PROVIDER_WECHAT, provider_uid=wx.openid, unionid=wx.unionid,
                          created_at=clock.now())
        session().add(account)
        session().flush()
    elif wx.unionid and account.unionid != wx.unionid:
        account.unionid = wx.unionid
    if account.disabled_at is not None:
        raise errors.AccountDisabled()
    tokens = start_session(account)
    audit_log.record("identity.login", actor=Actor("resident", str(account.id)), subject_type="account",
                     subject_id=account.id, details={"new_account": created, "session_id": tokens.session_id})
    return tokens, account, created
