"""A licence suspension reported by intake reaches the people acting for the holder, exactly once."""

from __future__ import annotations

from sqlalchemy import select

from app.db import remove_session, session
from app.push.events import process_event
from app.push.models import OutboxEvent
from tests.support.entities import (
    bound_entity,
    grant,
    licence_record,
    licence_status_record,
    market_authority,
    send,
    send_ok,
)
from tests.support.jobs import run_queued_jobs
from tests.support.residents import create_resident

NUMBER = "JY14401060000777"


def titles(client, resident) -> list[str]:
    return [n["title"] for n in client.get("/api/v1/me/notifications", headers=resident.headers).json]


def test_a_suspension_fires_once_for_the_representative_and_agents_with_receive_notifications(client, emulator):
    authority = market_authority()
    company = bound_entity(client, emulator, authority)
    notified, not_notified = create_resident(name="李四"), create_resident(name="王五")
    grant(client, company, notified, ["receive_notifications"])
    grant(client, company, not_notified, ["view_licences", "manage_tickets"])
    send_ok(client, authority, licence_record(NUMBER, company.uscc))

    suspension = licence_status_record(NUMBER, "suspend", "现场检查发现严重食品安全隐患")
    send_ok(client, authority, suspension)
    run_queued_jobs()
    send_ok(client, authority, suspension)  # the same record again: unchanged, nothing new
    run_queued_jobs()
    remove_session()
    for event_id in session().scalars(select(OutboxEvent.id)):
        assert process_event(event_id) == 0, "a replayed outbox event writes nothing"

    assert titles(client, company.representative) == ["许可证已被暂扣"]
    assert titles(client, notified) == ["许可证已被暂扣"]
    assert titles(client, not_notified) == []
    note = client.get("/api/v1/me/notifications", headers=notified.headers).json[0]
    assert "现场检查发现严重食品安全隐患" in note["body"] and NUMBER in note["body"]
    assert note["why"]["rule"]["id"] == "licence_suspended"


def test_a_second_suspension_after_reinstatement_is_a_new_notice(client, emulator):
    authority = market_authority()
    company = bound_entity(client, emulator, authority)
    send_ok(client, authority, licence_record(NUMBER, company.uscc))
    send_ok(client, authority, licence_status_record(NUMBER, "suspend", version=1))
    send_ok(client, authority, licence_status_record(NUMBER, "reinstate", "整改完成", version=2))
    send_ok(client, authority, licence_status_record(NUMBER, "suspend", "复查不合格", version=3))
    run_queued_jobs()
    assert titles(client, company.representative) == ["许可证已被暂扣", "许可证已被暂扣"]


def test_a_rejected_suspension_fires_nothing(client, emulator):
    authority = market_authority()
    company = bound_entity(client, emulator, authority)
    send_ok(client, authority, licence_record(NUMBER, company.uscc), licence_status_record(NUMBER, "revoke", "吊销"))
    body = send(client, authority, licence_status_record(NUMBER, "suspend", version=2))
    assert body["rejected"] == 1, "a revoked licence cannot be suspended"
    run_queued_jobs()
    remove_session()
    assert session().scalars(select(OutboxEvent)).all() == []
    assert titles(client, company.representative) == []
