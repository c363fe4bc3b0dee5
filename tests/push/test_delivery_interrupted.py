"""A send whose outcome is unknown is never sent again on its own; one that surely failed is retried.

WeChat may have accepted a message whose answer never came back (a timeout, a connection dropped
after the request went out): sending it again would deliver it twice. Such a send becomes an
``interrupted`` dead letter at once, as a send cut off by a dying worker does; WeChat's sent report
settles it. A send that cannot have left (no connection) waits and tries again.
"""

from __future__ import annotations

import socket
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from app import clock
from app.db import remove_session, session
from app.integrations import wechat as wechat_client
from app.push import delivery
from app.push.content import WeChatMessage
from app.push.models import Consent, Delivery
from app.push.notify import notify
from app.redis_store import get_redis
from config import get_settings
from tests.push.conftest import push_event, sent_to

NOTICE = "tmpl-notice-0004"  # one-time: thing1, thing2
SEND = "/cgi-bin/message/subscribe/send"
NOON = datetime(2026, 7, 3, 4, 0, tzinfo=UTC)  # 12:00 in Asia/Shanghai


def _notify(account_id: int, key: str) -> int:
    message = WeChatMessage(NOTICE, "one_time", {"thing1": "工单已答复", "thing2": key})
    [nid] = notify([account_id], category="tickets", title="工单已答复", body="您的工单已有答复。",
                   page="pages/tickets/detail?id=1", why={"ticket": 1}, dedupe_key=key, template=message)
    return nid


def _delivery(notification_id: int) -> Delivery:
    remove_session()
    return session().scalars(select(Delivery).where(Delivery.notification_id == notification_id)).one()


def _credits(account_id: int) -> int:
    remove_session()
    return session().scalar(select(Consent.credits).where(Consent.account_id == account_id))


def _wait(condition, what: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout  # a hang guard, not a performance bound
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.02)


def test_a_send_whose_answer_was_lost_is_never_sent_again(person, wechat, live_api):
    resident = person(accept={NOTICE: 2})
    wechat.fault(SEND, "disconnect")  # WeChat sends the message, then the connection drops
    with clock.freeze(NOON):
        nid = _notify(resident.account_id, "k1")
        row = _delivery(nid)
        for _ in range(3):  # the job redelivered, a second worker, the same batch again
            delivery.deliver_batch.fn([row.id])
        assert delivery.sweep() == {"deferred_due": 0, "requeued": 0, "interrupted": 0, "settled": 0}
    row = _delivery(nid)
    assert (row.state, row.reason, row.attempts) == ("failed", "interrupted", 1)
    [message] = sent_to(wechat, resident.openid)
    assert message["data"]["thing2"]["value"] == "k1"
    assert _credits(resident.account_id) == 1, "the credit stays spent: the message may have gone out"

    # WeChat reports what it sent; past a lease the report settles the dead letter as sent.
    push_event(wechat, live_api, resident.openid, "subscribe_msg_sent_event", [
        {"TemplateId": NOTICE, "MsgID": str(message["msgid"]), "ErrorCode": 0, "ErrorStatus": "success"}])
    with clock.freeze(clock.now() + 2 * delivery.LEASE):
        assert delivery.sweep()["settled"] == 1
    row = _delivery(nid)
    assert (row.state, row.reason, row.msgid) == ("sent", "reported", str(message["msgid"]))


def test_a_send_that_timed_out_after_wechat_took_it_is_not_retried(person, wechat, monkeypatch):
    """The reported defect: a send timed out on our side after WeChat had accepted it, and the retry sent
    it again. WeChat here answers after our timeout, and records the message all the same."""
    resident = person(accept={NOTICE: 1})
    monkeypatch.setattr(get_settings(), "http_timeout_seconds", 0.2)
    token = wechat.fetch_token_as_another_process(get_settings().wechat_secret)
    get_redis().set(wechat_client.TOKEN_KEY, token)  # the slow answer is the send's, not a token fetch's
    wechat.fault(SEND, "slow", delay_seconds=2.0)
    with clock.freeze(NOON):
        nid = _notify(resident.account_id, "late")
        delivery.deliver.fn(_delivery(nid).id)
    _wait(lambda: len(sent_to(wechat, resident.openid)) == 1, "WeChat to take the late message")
    row = _delivery(nid)
    assert (row.state, row.reason) == ("failed", "interrupted")
    with clock.freeze(NOON + timedelta(hours=1)):
        assert delivery.sweep()["requeued"] == 0
        delivery.deliver.fn(row.id)
    assert len(sent_to(wechat, resident.openid)) == 1


def test_in_a_batch_the_send_with_a_lost_answer_stops_the_rest_which_follow_later_exactly_once(person, wechat):
    resident = person(accept={NOTICE: 3})
    with clock.freeze(NOON):
        nids = [_notify(resident.account_id, f"n{k}") for k in range(3)]
        ids = [_delivery(n).id for n in nids]
        wechat._post("/faults", {"path": SEND, "kind": "slow", "delay_seconds": 0.01})  # the first: answered
        wechat.fault(SEND, "disconnect")  # the second: sent, its answer lost
        delivery.deliver_batch.fn(ids)
    first, second, third = (_delivery(n) for n in nids)
    assert first.state == "sent" and first.msgid
    assert (second.state, second.reason) == ("failed", "interrupted")
    assert (third.state, third.reason) == ("pending", "retrying:upstream_unavailable")
    assert _credits(resident.account_id) == 1, "the third's credit came back: it was never tried"
    with clock.freeze(third.next_attempt_at):
        delivery.deliver_batch.fn(ids)
    assert _delivery(nids[2]).state == "sent"
    assert sorted(m["data"]["thing2"]["value"] for m in sent_to(wechat, resident.openid)) == ["n0", "n1", "n2"]


def test_a_send_that_could_not_connect_is_retried_later(person, wechat, monkeypatch):
    resident = person(accept={NOTICE: 1})
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]  # nothing listens there once the socket closes
    monkeypatch.setattr(wechat_client.wechat(), "base_url", f"http://127.0.0.1:{port}")
    get_redis().set(wechat_client.TOKEN_KEY, "a-cached-token")  # straight to the send
    with clock.freeze(NOON):
        nid = _notify(resident.account_id, "refused")
        delivery.deliver.fn(_delivery(nid).id)
    row = _delivery(nid)
    assert (row.state, row.reason, row.next_attempt_at) == ("pending", "retrying:upstream_unavailable",
                                                             NOON + delivery.BASE_BACKOFF)
    assert _credits(resident.account_id) == 1
    monkeypatch.undo()
    get_redis().delete(wechat_client.TOKEN_KEY)
    with clock.freeze(row.next_attempt_at):
        assert _run_again(row.id).state == "sent"
    assert len(sent_to(wechat, resident.openid)) == 1


def _run_again(delivery_id: int) -> Delivery:
    delivery.deliver.fn(delivery_id)
    remove_session()
    return session().get(Delivery, delivery_id)


def test_sends_stop_before_the_lease_runs_short_and_the_rest_go_back_untouched(person, wechat, monkeypatch):
    """A batch must not outlive its lease: past it the sweep would call a send in progress interrupted."""
    resident = person(accept={NOTICE: 2})
    # A lease shorter than the time kept for the last send: no send may start at all.
    monkeypatch.setattr(delivery, "LEASE", timedelta(seconds=4 * get_settings().http_timeout_seconds - 1))
    with clock.freeze(NOON):
        nids = [_notify(resident.account_id, f"s{k}") for k in range(2)]
        delivery.deliver_batch.fn([_delivery(n).id for n in nids])
        for nid in nids:
            row = _delivery(nid)
            assert (row.state, row.attempts, row.lease_until) == ("pending", 0, None)
        assert _credits(resident.account_id) == 2
        assert sent_to(wechat, resident.openid) == []
        monkeypatch.undo()
        delivery.deliver_batch.fn([_delivery(n).id for n in nids])
    assert [_delivery(n).state for n in nids] == ["sent", "sent"]
    assert len(sent_to(wechat, resident.openid)) == 2
