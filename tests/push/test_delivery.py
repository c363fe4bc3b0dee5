"""WeChat delivery: exactly once, credits spent once, each errcode class handled, quiet hours and the cap."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from app import clock
from app.db import remove_session, session
from app.push import delivery
from app.push.content import WeChatMessage
from app.push.models import Consent, Delivery, Notification
from app.push.notify import notify
from tests.push.conftest import sent_to
from tests.support.residents import create_resident

NOTICE = "tmpl-notice-0004"  # one-time: thing1, thing2
LONG = "tmpl-service-reminder-0002"  # long-term: thing1, thing2, date3
NOON = datetime(2026, 7, 3, 4, 0, tzinfo=UTC)  # 12:00 in Asia/Shanghai


def _notify(account_id: int, key: str = "k1", template_id: str = NOTICE, kind: str = "one_time",
            category: str = "tickets", data: dict | None = None) -> list[int]:
    message = WeChatMessage(template_id, kind, data or {"thing1": "工单已答复", "thing2": "请查看处理结果"})
    return notify([account_id], category=category, title="工单已答复", body="您的工单已有答复。",
                  page="pages/tickets/detail?id=1", why={"ticket": 1}, dedupe_key=key, template=message)


def _delivery(notification_id: int) -> Delivery:
    remove_session()
    return session().scalars(select(Delivery).where(Delivery.notification_id == notification_id)).one()


def _run(notification_id: int) -> Delivery:
    delivery.deliver.fn(_delivery(notification_id).id)
    return _delivery(notification_id)


def test_a_notification_is_written_once_and_sent_once_however_often_its_job_runs(person, wechat):
    resident = person(accept={NOTICE: 2})
    with clock.freeze(NOON):
        [nid] = _notify(resident.account_id)
        assert _notify(resident.account_id) == [], "the same dedupe key writes nothing the second time"
        for _ in range(3):
            row = _run(nid)
    assert row.state == "sent" and row.msgid
    assert len(sent_to(wechat, resident.openid)) == 1
    assert session().scalars(select(Notification)).all()[0].title == "工单已答复"
    assert session().scalar(select(Consent.credits)) == 1, "one credit of two spent"


def test_a_one_time_credit_is_spent_once_and_the_next_message_stays_in_the_inbox(person, wechat):
    resident = person(accept={NOTICE: 1})
    with clock.freeze(NOON):
        [first] = _notify(resident.account_id, "a")
        assert _run(first).state == "sent"
        [second] = _notify(resident.account_id, "b")
    row = _delivery(second)
    assert (row.state, row.reason) == ("inbox_only", "no_consent")
    assert len(sent_to(wechat, resident.openid)) == 1


def test_43101_means_the_consent_is_gone_and_the_message_stays_in_the_inbox(person, wechat):
    resident = person()
    from app.push import consent

    consent.record_client_results(resident.account_id, {NOTICE: "accept"})  # WeChat never saw it
    with clock.freeze(NOON):
        row = _run(_notify(resident.account_id)[0])
    assert (row.state, row.reason) == ("inbox_only", "consent_gone")
    assert session().scalar(select(Consent.credits)) == 0


def test_permanent_errors_fail_with_the_reason_and_give_the_credit_back(person, wechat):
    resident = person(accept={NOTICE: 1})
    wechat._post("/templates", {"template_id": NOTICE, "kind": "one_time",
                                "keywords": {"thing1": "phrase", "thing2": "thing"}})  # WeChat's differs from ours
    with clock.freeze(NOON):
        row = _run(_notify(resident.account_id, data={"thing1": "工单答复已送达", "thing2": "请查看"})[0])
    assert (row.state, row.reason) == ("failed", "invalid_data:47003")
    assert session().scalar(select(Consent.credits)) == 1


def test_unknown_openid_template_and_page_are_permanent_failures(person, wechat):
    resident = person(accept={NOTICE: 3, LONG: 1})
    wechat._post("/pages", {"path": "pages/elsewhere"})
    with clock.freeze(NOON):
        bad_page = _run(_notify(resident.account_id, "p")[0])
        unknown = _run(_notify(resident.account_id, "t", template_id="tmpl-unknown", kind="long_term")[0])
    assert (bad_page.state, bad_page.reason) == ("failed", "invalid_page:41030")
    assert unknown.state == "inbox_only", "no consent for a template we never asked about"
    wechat._post("/pages", {"path": "pages/tickets"})
    from app.push import consent

    session().add(Consent(account_id=resident.account_id, template_id="tmpl-unregistered", status="accept",
                          credits=0, source="client", updated_at=NOON))
    session().commit()
    with clock.freeze(NOON):
        [nid] = _notify(resident.account_id, "u", template_id="tmpl-unregistered", kind="long_term")
        assert consent.spend_credit(resident.account_id, "tmpl-unregistered", "long_term")
        row = _run(nid)
    assert (row.state, row.reason) == ("failed", "invalid_template:40037")
    wechat.create_user(openid="o-gone")
    session().execute(Delivery.__table__.update().values(state="pending"))
    from app.identity.models import Account

    session().get(Account, resident.account_id).provider_uid = "o-not-at-wechat"
    session().commit()
    with clock.freeze(NOON):
        row = _run(nid)
    assert (row.state, row.reason) == ("failed", "invalid_openid:40003")


def test_busy_quota_and_server_errors_retry_with_backoff_then_send(person, wechat):
    resident = person(accept={NOTICE: 1})
    path = "/cgi-bin/message/subscribe/send"
    wechat.fault(path, "busy")
    wechat.fault(path, "rate_limit")
    wechat.fault(path, "http_500")
    at = NOON
    with clock.freeze(at):
        [nid] = _notify(resident.account_id)
    waits = []
    for expected in ("retrying:errcode_-1", "retrying:errcode_45009", "retrying:upstream_unavailable"):
        with clock.freeze(at):
            row = _run(nid)
        assert (row.state, row.reason) == ("pending", expected)
        waits.append(row.next_attempt_at - at)
        at = row.next_attempt_at
    assert waits == [timedelta(seconds=15), timedelta(seconds=30), timedelta(seconds=60)]
    with clock.freeze(at):
        row = _run(nid)
    assert row.state == "sent" and row.attempts == 4
    assert len(sent_to(wechat, resident.openid)) == 1
    assert session().scalar(select(Consent.credits)) == 0


def test_retries_are_bounded_and_end_in_the_dead_letters(person, wechat):
    resident = person(accept={NOTICE: 1})
    wechat.fault("/cgi-bin/message/subscribe/send", "busy", count=delivery.MAX_ATTEMPTS)
    at = NOON
    with clock.freeze(at):
        [nid] = _notify(resident.account_id)
    for _ in range(delivery.MAX_ATTEMPTS):
        with clock.freeze(at):
            row = _run(nid)
        at = row.next_attempt_at or at
    assert (row.state, row.reason) == ("failed", "retries_exhausted:errcode_-1")
    assert sent_to(wechat, resident.openid) == []
    total = sum((delivery.backoff(n) for n in range(1, delivery.MAX_ATTEMPTS)), timedelta())
    assert timedelta(hours=2) < total < timedelta(hours=5)


def test_quiet_hours_defer_wechat_but_not_the_inbox(person, wechat, client):
    resident = person(accept={NOTICE: 1})
    night = datetime(2026, 7, 3, 15, 30, tzinfo=UTC)  # 23:30 in Asia/Shanghai
    with clock.freeze(night):
        [nid] = _notify(resident.account_id)
        assert client.get("/api/v1/me/notifications/unread-count", headers=resident.headers).json == {"unread": 1}
    row = _delivery(nid)
    assert (row.state, row.reason) == ("deferred", "quiet_hours")
    assert row.next_attempt_at == datetime(2026, 7, 4, 0, 0, tzinfo=UTC)  # 08:00 the next morning
    with clock.freeze(datetime(2026, 7, 3, 23, 59, tzinfo=UTC)):
        assert delivery.sweep()["deferred_due"] == 0
    with clock.freeze(datetime(2026, 7, 4, 0, 0, tzinfo=UTC)):
        assert delivery.sweep()["deferred_due"] == 1
        assert _run(nid).state == "sent"


def test_at_most_three_wechat_messages_a_day_the_rest_inbox_only(person, wechat):
    resident = person(accept={LONG: 1})
    data = {"thing1": "服务", "thing2": "说明", "date3": "2026年7月3日"}
    with clock.freeze(NOON):
        ids = [_notify(resident.account_id, f"k{n}", LONG, "long_term", data=data)[0] for n in range(4)]
    states = [_delivery(n).state for n in ids]
    assert states == ["pending", "pending", "pending", "inbox_only"]
    assert _delivery(ids[3]).reason == "daily_cap"
    with clock.freeze(NOON + timedelta(days=1)):
        [nid] = _notify(resident.account_id, "next-day", LONG, "long_term", data=data)
    assert _delivery(nid).state == "pending", "a new Shanghai day, a new allowance"


def test_a_category_switched_off_keeps_messages_in_the_inbox_only(person, wechat, client):
    resident = person(accept={NOTICE: 1})
    response = client.patch("/api/v1/me/notification-preferences", json={"categories": {"tickets": False}},
                            headers=resident.headers)
    assert response.status_code == 200 and response.json["categories"]["tickets"] is False
    with clock.freeze(NOON):
        [nid] = _notify(resident.account_id)
    assert (_delivery(nid).state, _delivery(nid).reason) == ("inbox_only", "category_off")


def test_a_send_interrupted_mid_call_is_never_resent_on_its_own(person, wechat):
    resident = person(accept={NOTICE: 1})
    with clock.freeze(NOON):
        [nid] = _notify(resident.account_id)
        assert delivery.claim(_delivery(nid).id) is not None  # the worker died right after this
    with clock.freeze(NOON + delivery.LEASE + timedelta(seconds=1)):
        assert delivery.sweep()["interrupted"] == 1
        row = _run(nid)
    assert (row.state, row.reason) == ("failed", "interrupted")
    assert sent_to(wechat, resident.openid) == []


def test_an_empty_patch_of_my_preferences_is_refused_and_changes_nothing(client):
    resident = create_resident(level=0)
    before = client.get("/api/v1/me/notification-preferences", headers=resident.headers).json
    for body in ({}, {"categories": {}}):
        response = client.patch("/api/v1/me/notification-preferences", json=body, headers=resident.headers)
        assert response.status_code == 422, body
        assert response.json["code"] == "validation_error"
    assert client.get("/api/v1/me/notification-preferences", headers=resident.headers).json == before
    zero = client.patch("/api/v1/me/notification-preferences", json={"daily_cap": 0}, headers=resident.headers)
    assert zero.status_code == 200 and zero.json["daily_cap"] == 0
