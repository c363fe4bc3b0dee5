"""Subscribe-message send: consent credits, keyword limits, errors, quota and records."""

from __future__ import annotations

import pytest

from .client import Emulator

SEND = "/cgi-bin/message/subscribe/send"
ONE_TIME, LONG_TERM = "TPL_ONE_TIME", "TPL_LONG_TERM"
KEYWORDS = {"thing1": "thing", "date2": "date", "phrase3": "phrase"}
GOOD = {
    "thing1": {"value": "身份证即将到期"},
    "date2": {"value": "2019年10月1日 15:01"},
    "phrase3": {"value": "待办理"},
}


@pytest.fixture
def setup(emulator: Emulator) -> tuple[str, str]:
    emulator.ok("POST", "/templates", {"template_id": ONE_TIME, "kind": "one_time", "keywords": KEYWORDS})
    emulator.ok("POST", "/templates", {"template_id": LONG_TERM, "kind": "long_term", "keywords": KEYWORDS})
    return emulator.user()["openid"], emulator.token()


def _send(emulator: Emulator, token: str, openid: str, template_id: str = ONE_TIME, **over: object) -> dict:
    body = {"touser": openid, "template_id": template_id, "page": "pages/index/index", "data": GOOD, **over}
    return emulator.post(SEND, body, access_token=token).json()


def _consent(emulator: Emulator, openid: str, template_id: str, status: str) -> dict:
    return emulator.ok("POST", "/consents", {"openid": openid, "template_id": template_id, "status": status})


def test_one_time_accept_allows_exactly_one_send(emulator: Emulator, setup: tuple[str, str]) -> None:
    openid, token = setup
    assert _send(emulator, token, openid)["errcode"] == 43101
    _consent(emulator, openid, ONE_TIME, "accept")
    _consent(emulator, openid, ONE_TIME, "accept")
    assert emulator.ok("GET", "/consents", openid=openid)["consents"][0]["credits"] == 2
    first = _send(emulator, token, openid)
    assert first["errcode"] == 0 and isinstance(first["msgid"], int)
    assert _send(emulator, token, openid)["errcode"] == 0
    assert _send(emulator, token, openid)["errcode"] == 43101
    sent = emulator.ok("GET", "/sent", openid=openid, template_id=ONE_TIME)["sent"]
    assert len(sent) == 2 and sent[0]["msgid"] == first["msgid"]
    assert sent[0]["data"] == GOOD and sent[0]["page"] == "pages/index/index"


def test_long_term_accept_unlimited_until_ban(emulator: Emulator, setup: tuple[str, str]) -> None:
    openid, token = setup
    _consent(emulator, openid, LONG_TERM, "accept")
    for _ in range(3):
        assert _send(emulator, token, openid, LONG_TERM)["errcode"] == 0
    _consent(emulator, openid, LONG_TERM, "ban")
    assert _send(emulator, token, openid, LONG_TERM)["errcode"] == 43101


def test_reject_and_ban_refuse(emulator: Emulator, setup: tuple[str, str]) -> None:
    openid, token = setup
    _consent(emulator, openid, ONE_TIME, "reject")
    assert _send(emulator, token, openid)["errcode"] == 43101
    _consent(emulator, openid, ONE_TIME, "accept")
    _consent(emulator, openid, ONE_TIME, "ban")
    assert _send(emulator, token, openid)["errcode"] == 43101


@pytest.mark.parametrize(
    ("kind", "good", "bad"),
    [
        ("thing", "一" * 20, "一" * 21),
        ("number", "1" * 32, "1" * 33),
        ("letter", "a" * 32, "a" * 33),
        ("character_string", "A1-" * 10 + "ab", "x" * 33),
        ("symbol", "%" * 5, "%" * 6),
        ("phrase", "已办结", "已经办理完毕了"),
        ("phrase", "五个字短语", "ok"),
        ("name", "欧阳" * 5, "欧阳" * 5 + "娜"),
        ("name", "J" * 20, "J" * 21),
        ("phone_number", "+86-139-1234-5678", "1" * 18),
        ("car_number", "粤B12345", "粤B1234567"),
        ("amount", "¥12345.67", "12345"),
        ("amount", "$1234567890", "¥12345678901"),
        ("date", "2019年10月1日", "2019-10-01"),
        ("date", "2019年10月1日 15:01", "2019年13月1日"),
        ("time", "2019年10月1日 15:01", "25:01"),
        ("enum", "已受理", "未知"),
    ],
)
def test_keyword_type_limits(emulator: Emulator, kind: str, good: str, bad: str) -> None:
    keywords = {"key9": kind}
    template = {"template_id": "T", "keywords": keywords, "enum_values": {"key9": ["已受理", "已办结"]}}
    emulator.ok("POST", "/templates", template)
    openid, token = emulator.user()["openid"], emulator.token()
    for _ in range(2):
        _consent(emulator, openid, "T", "accept")
    assert _send(emulator, token, openid, "T", data={"key9": {"value": good}})["errcode"] == 0
    failed = _send(emulator, token, openid, "T", data={"key9": {"value": bad}})
    assert failed["errcode"] == 47003
    assert failed["errmsg"].startswith("argument invalid! data.key9.value")


def test_missing_keyword_is_47003(emulator: Emulator, setup: tuple[str, str]) -> None:
    openid, token = setup
    _consent(emulator, openid, ONE_TIME, "accept")
    data = {k: v for k, v in GOOD.items() if k != "phrase3"}
    body = _send(emulator, token, openid, data=data)
    assert body["errcode"] == 47003 and "data.phrase3.value" in body["errmsg"]


def test_openid_template_and_page_errors(emulator: Emulator, setup: tuple[str, str]) -> None:
    openid, token = setup
    _consent(emulator, openid, ONE_TIME, "accept")
    assert _send(emulator, token, "o-nobody")["errcode"] == 40003
    assert _send(emulator, token, openid, "TPL_NONE")["errcode"] == 40037
    emulator.ok("POST", "/pages", {"path": "pages/inbox"})
    assert _send(emulator, token, openid, page="pages/other/index")["errcode"] == 41030
    assert _send(emulator, token, openid, page="pages/inbox/detail?id=1")["errcode"] == 0


def test_daily_quota_and_quota_get(emulator: Emulator, setup: tuple[str, str]) -> None:
    openid, token = setup
    emulator.ok("POST", "/quota", {"daily_limit": 1})
    _consent(emulator, openid, LONG_TERM, "accept")
    assert _send(emulator, token, openid, LONG_TERM)["errcode"] == 0
    assert _send(emulator, token, openid, LONG_TERM)["errcode"] == 45009
    quota = emulator.post("/cgi-bin/openapi/quota/get", {"cgi_path": SEND}, access_token=token).json()
    assert quota == {"errcode": 0, "errmsg": "ok", "quota": {"daily_limit": 1, "used": 1, "remain": 0}}
    emulator.advance(86400)
    assert _send(emulator, token, openid, LONG_TERM)["errcode"] == 42001  # the token aged out too
    assert _send(emulator, emulator.token(), openid, LONG_TERM)["errcode"] == 0  # a new day


def test_send_checks_token(emulator: Emulator, setup: tuple[str, str]) -> None:
    openid, _ = setup
    assert _send(emulator, "", openid)["errcode"] == 41001
    assert _send(emulator, "bogus", openid)["errcode"] == 40014


def test_the_lean_send_path_answers_what_the_flask_route_answers(emulator: Emulator, setup: tuple[str, str]) -> None:
    """A send with no fault queued skips Flask (``fastpath``); one with a fault queued goes through it.
    Both must answer the same bytes and count the call the same way."""
    openid, token = setup
    _consent(emulator, openid, LONG_TERM, "accept")
    lean = emulator.post(SEND, {"touser": openid, "template_id": LONG_TERM, "data": GOOD}, access_token=token)
    emulator.ok("POST", "/faults", {"path": SEND, "kind": "slow", "delay_seconds": 0.01})  # routes it via Flask
    routed = emulator.post(SEND, {"touser": openid, "template_id": LONG_TERM, "data": GOOD}, access_token=token)
    assert lean.status_code == routed.status_code == 200
    assert lean.headers["Content-Type"] == routed.headers["Content-Type"] == "application/json"
    assert lean.content == b'{"errcode":0,"errmsg":"ok","msgid":1000001}\n'
    assert routed.content == b'{"errcode":0,"errmsg":"ok","msgid":1000002}\n'
    for body in (b"not json", b"[1]", b'{"touser": "\xe9'):  # not JSON, not an object, not UTF-8
        lean = emulator.http.post(f"{emulator.url}{SEND}", data=body, params={"access_token": token}, timeout=10)
        emulator.ok("POST", "/faults", {"path": SEND, "kind": "slow", "delay_seconds": 0.01})
        routed = emulator.http.post(f"{emulator.url}{SEND}", data=body, params={"access_token": token}, timeout=10)
        assert lean.json()["errcode"] == routed.json()["errcode"] == 47001, body
    assert _send(emulator, "", openid)["errcode"] == 41001
    assert emulator.ok("GET", "/stats")["calls"][SEND] == 9
    assert [m["msgid"] for m in emulator.ok("GET", "/sent", openid=openid)["sent"]] == [1000001, 1000002]
