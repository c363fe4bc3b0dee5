"""A send cut off mid-call is settled by WeChat's own report of what it sent
(``subscribe_msg_sent_event``), pushed by the emulator to our message endpoint over HTTP."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from app import clock
from app.db import remove_session, session
from app.integrations.wechat import wechat as wechat_client
from app.paging import Window
from app.push import delivery, operations, reports
from app.push.models import SentReport
from app.push.rules import load_templates
from tests.push.conftest import push_event, sent_to
from tests.push.test_delivery import LONG, NOON, _delivery, _notify, _run

SENT = "subscribe_msg_sent_event"
AFTER_LEASE = NOON + delivery.LEASE + timedelta(seconds=1)
LATER = AFTER_LEASE + delivery.LEASE + timedelta(seconds=1)


def _long(account_id: int, key: str) -> int:
    [nid] = _notify(account_id, key=key, template_id=LONG, kind="long_term",
                    data={"thing1": "证件到期提醒", "thing2": key, "date3": "2026年7月3日"})
    return nid


def _cut_off(nid: int, *, reaches_wechat: bool) -> str | None:
    """Claim the delivery as a worker would; send it (or not); then the worker dies unrecorded."""
    openid, template_id, data, page, _kind = delivery.claim(_delivery(nid).id)
    if reaches_wechat:
        return wechat_client().send_subscribe_message(openid=openid, template_id=template_id, data=data, page=page)
    return None


def _item(msgid, template_id: str = LONG, code: int = 0, status: str = "success") -> dict:
    return {"TemplateId": template_id, "MsgID": str(msgid), "ErrorCode": code, "ErrorStatus": status}


def test_wechats_reports_settle_sends_whose_worker_died_when_they_say_which(person, wechat, live_api):
    one, both, half = person(accept={LONG: 1}), person(accept={LONG: 1}), person(accept={LONG: 1})
    with clock.freeze(NOON):
        alone = _long(one.account_id, "甲")
        pair = [_long(both.account_id, "乙"), _long(both.account_id, "丙")]
        mixed = [_long(half.account_id, "丁"), _long(half.account_id, "戊")]
        alone_msgid = _cut_off(alone, reaches_wechat=True)
        pair_msgids = [_cut_off(nid, reaches_wechat=True) for nid in pair]
        half_msgid = _cut_off(mixed[0], reaches_wechat=True)
        _cut_off(mixed[1], reaches_wechat=False)
    with clock.freeze(AFTER_LEASE):
        assert delivery.sweep()["interrupted"] == 5
        for resident, items in ((one, [_item(alone_msgid)]), (both, [_item(m) for m in pair_msgids]),
                                (half, [_item(half_msgid)])):
            assert push_event(wechat, live_api, resident.openid, SENT, items)["body"] == "success"
        again = push_event(wechat, live_api, one.openid, SENT, [_item(alone_msgid)])  # WeChat pushes again
        assert again["body"] == "success"
        assert delivery.sweep()["settled"] == 0  # too fresh: a send still in flight may yet record it
    with clock.freeze(LATER):
        assert delivery.sweep()["settled"] == 3
        assert delivery.sweep()["settled"] == 0
    settled = _delivery(alone)
    assert (settled.state, settled.reason, settled.msgid) == ("sent", "reported", str(alone_msgid))
    assert sorted(_delivery(nid).msgid for nid in pair) == sorted(str(m) for m in pair_msgids)
    assert {_delivery(nid).state for nid in pair} == {"sent"}
    # One report for two interrupted sends: which one arrived cannot be told; both stay for an operator.
    assert [(_delivery(nid).state, _delivery(nid).reason) for nid in mixed] == [("failed", "interrupted")] * 2
    dead = operations.dead_letters(Window(0, 10)).items
    assert sorted(d.id for d in dead) == sorted(_delivery(nid).id for nid in mixed)
    assert [m["data"]["thing2"]["value"] for m in sent_to(wechat, half.openid)] == ["丁"]


def test_a_report_of_a_send_we_recorded_settles_nothing_else(person, wechat, live_api):
    resident = person(accept={LONG: 1})
    with clock.freeze(NOON):
        recorded, lost = _long(resident.account_id, "丙"), _long(resident.account_id, "丁")
        row = _run(recorded)
        _cut_off(lost, reaches_wechat=False)
    with clock.freeze(AFTER_LEASE):
        delivery.sweep()
        push_event(wechat, live_api, resident.openid, SENT, [_item(row.msgid)])
    with clock.freeze(LATER):
        assert delivery.sweep()["settled"] == 0
    assert (_delivery(lost).state, _delivery(lost).reason) == ("failed", "interrupted")


def test_a_report_that_wechat_failed_the_send_fails_it_with_wechats_status(person, wechat, live_api):
    notice = load_templates()["notice"].template_id
    resident = person(accept={notice: 1})
    with clock.freeze(NOON):
        [nid] = _notify(resident.account_id)
        msgid = _cut_off(nid, reaches_wechat=True)
    with clock.freeze(AFTER_LEASE):
        delivery.sweep()
        push_event(wechat, live_api, resident.openid, SENT, [_item(msgid, notice, 43101, "failed:user block")])
    with clock.freeze(LATER):
        assert delivery.sweep()["settled"] == 1
    row = _delivery(nid)
    assert (row.state, row.reason, row.msgid) == ("failed", "reported:failed:user block", str(msgid))


def test_malformed_reports_are_ignored(person, wechat, live_api):
    resident = person()
    malformed = ([{"TemplateId": LONG, "MsgID": ""}], [{"TemplateId": LONG, "MsgID": "1", "ErrorCode": "x"}],
                 [{"TemplateId": LONG, "MsgID": "9" * 80}])
    for items in malformed:
        answer = push_event(wechat, live_api, resident.openid, SENT, items)
        assert (answer["status"], answer["body"]) == (200, "success")
    with clock.freeze(LATER):
        assert delivery.sweep()["settled"] == 0


def test_reports_are_kept_for_a_week_and_the_settled_delivery_keeps_its_msgid(person, wechat, live_api):
    resident = person(accept={LONG: 1})
    with clock.freeze(NOON):
        nid = _long(resident.account_id, "己")
        msgid = _cut_off(nid, reaches_wechat=True)
    with clock.freeze(AFTER_LEASE):
        delivery.sweep()
        push_event(wechat, live_api, resident.openid, SENT, [_item(msgid)])
    with clock.freeze(LATER):
        assert delivery.sweep()["settled"] == 1
    remove_session()
    assert session().scalar(select(func.count()).select_from(SentReport)) == 1
    with clock.freeze(AFTER_LEASE + reports.KEEP_FOR + timedelta(seconds=1)):
        delivery.sweep()
    remove_session()
    assert session().scalar(select(func.count()).select_from(SentReport)) == 0
    assert _delivery(nid).msgid == str(msgid)
