"""Supervisors see delivery figures per rule and state, and requeue dead letters; others cannot."""

from __future__ import annotations

from datetime import UTC, datetime

from app import clock
from app.push import delivery
from app.staff.models import AGENT, SUPERVISOR
from tests.push.conftest import sent_to
from tests.push.test_delivery import NOTICE, _delivery, _notify, _run
from tests.support.staff import create_staff_member, load_demo_catalogue

NOON = datetime(2026, 7, 3, 4, 0, tzinfo=UTC)


def test_a_supervisor_sees_figures_and_requeues_a_dead_letter_which_then_sends(person, wechat, client):
    load_demo_catalogue()
    supervisor, agent = create_staff_member(SUPERVISOR), create_staff_member(AGENT)
    resident = person(accept={NOTICE: 1})
    wechat.fault("/cgi-bin/message/subscribe/send", "busy", count=delivery.MAX_ATTEMPTS)
    at = NOON
    with clock.freeze(at):
        [nid] = _notify(resident.account_id)
    for _ in range(delivery.MAX_ATTEMPTS):
        with clock.freeze(at):
            at = _run(nid).next_attempt_at or at
    assert client.get("/api/v1/staff/push/figures", headers=agent.headers).status_code == 403
    figures = client.get("/api/v1/staff/push/figures", headers=supervisor.headers).json
    assert figures == [{"rule_id": "(direct)", "state": "failed", "count": 1}]
    dead = client.get("/api/v1/staff/push/dead-letters", headers=supervisor.headers).json
    assert [d["reason"] for d in dead] == ["retries_exhausted:errcode_-1"]
    with clock.freeze(at):
        requeued = client.post(f"/api/v1/staff/push/dead-letters/{dead[0]['id']}/requeue",
                               headers=supervisor.headers)
    assert requeued.status_code == 200 and requeued.json["state"] == "pending"
    assert client.post(f"/api/v1/staff/push/dead-letters/{dead[0]['id']}/requeue",
                       headers=supervisor.headers).status_code == 404
    with clock.freeze(at):
        assert _run(nid).state == "sent"
    assert len(sent_to(wechat, resident.openid)) == 1
    assert _delivery(nid).attempts == 1
