"""A scan run again — the next day, a redelivered batch — tells nobody twice and skips whoever was
already told before building their facts, yet still reaches anyone who became a recipient since."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from app import clock
from app.audit.log import AuditEntry
from app.db import remove_session, session
from app.push import scans
from app.push.models import Delivery, Notification
from tests.support.acting import proxy_grant
from tests.support.certificates import full_authority, issue_certificate
from tests.support.residents import create_resident

RULE = "id_card_expiring"
EXPIRY = "tmpl-expiry-reminder-0001"  # the template id_card_expiring binds (one-time)


def _count(model, *where) -> int:
    remove_session()
    return session().scalar(select(func.count()).select_from(model).where(*where))


def _titles(client, resident) -> list[str]:
    return [n["title"] for n in client.get("/api/v1/me/notifications", headers=resident.headers).json]


def _holders(client, n: int) -> list:
    authority = full_authority()
    holders = [create_resident(name=name) for name in ("张三", "李四", "王五", "赵六", "钱七")[:n]]
    for holder in holders:
        issue_certificate(client, authority, holder.id_number, expires_on=clock.today() + timedelta(days=60),
                          number=holder.id_number)
    return holders


def test_a_repeat_scan_builds_no_facts_for_those_already_told_and_only_the_newcomers_facts(client, monkeypatch):
    first = _holders(client, 3)
    assert scans.scan_now(only=RULE) == 3
    built = []
    real = scans.certificate_facts
    monkeypatch.setattr(scans, "certificate_facts", lambda cert, holder, today: built.append(cert.id)
                        or real(cert, holder, today))
    assert scans.scan_now(only=RULE) == 0
    assert built == [], "everyone matched was already told: no facts built, nothing decrypted"
    [newcomer] = _holders(client, 1)
    assert scans.scan_now(only=RULE) == 1
    assert len(built) == 1, "only the newcomer's facts"
    assert [_titles(client, r) for r in [*first, newcomer]] == [["身份证即将到期"]] * 4


def test_a_repeat_scan_writes_no_notification_delivery_or_tracker_entry_twice(client, person):
    holder = person(accept={EXPIRY: 2}, name="张三")
    issue_certificate(client, full_authority(), holder.id_number, expires_on=clock.today() + timedelta(days=60),
                      number=holder.id_number)
    others = _holders(client, 2)
    assert scans.scan_now(only=RULE) == 3
    counts = (_count(Notification), _count(Delivery), _count(AuditEntry, AuditEntry.action == "data.read"))
    assert counts == (3, 3, 3)
    for _ in range(2):
        assert scans.scan_now(only=RULE) == 0
        assert (_count(Notification), _count(Delivery),
                _count(AuditEntry, AuditEntry.action == "data.read")) == counts
    assert _count(Delivery, Delivery.account_id == holder.account_id, Delivery.state != "inbox_only") == 1, \
        "the consenting holder's one WeChat message (pending, or deferred in quiet hours), not two"
    assert all(_titles(client, r) == ["身份证即将到期"] for r in [holder, *others])


def test_a_proxy_who_receives_reminders_since_the_last_scan_gets_the_copy_and_the_holder_nothing_twice(client):
    father = create_resident(name="王建国")
    daughter = create_resident(level=2, name="王芳")
    issue_certificate(client, full_authority(), father.id_number, expires_on=clock.today() + timedelta(days=60),
                      number=father.id_number)
    assert scans.scan_now(only=RULE) == 1
    proxy_grant(client, father, daughter, ["receive_reminders"])
    assert scans.scan_now(only=RULE) == 1, "the daughter's copy: the father was told already"
    assert scans.scan_now(only=RULE) == 0
    assert _titles(client, father) == ["身份证即将到期"]
    [copy] = client.get("/api/v1/me/notifications", headers=daughter.headers).json
    assert copy["body"].startswith("【为王建国代收】")


def test_a_redelivered_batch_writes_nothing(client):
    _holders(client, 3)
    jobs = [job for job in scans.plan_batches(clock.today()) if job[0] == RULE]
    assert len(jobs) == 1
    assert scans.run_batch(*jobs[0][:1], clock.today(), *jobs[0][1:]) == 3
    assert scans.run_batch(*jobs[0][:1], clock.today(), *jobs[0][1:]) == 0
    assert _count(Notification) == 3
