"""Date-window rules fire for exactly the right people on their boundary days (Asia/Shanghai), once."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from app import clock
from app.cli import push
from app.db import remove_session, session
from app.push import scans
from app.push.models import Notification
from tests.support.entities import (
    bound_entity,
    entity_record,
    grant,
    licence_record,
    licence_status_record,
    market_authority,
    new_uscc,
    send_ok,
)
from tests.support.intake import record
from tests.support.jobs import run_queued_jobs
from tests.support.residents import create_resident

LICENCE = "licence_expiring"
EXPIRES = date.today() + timedelta(days=200)  # intake signs with the real time, so facts are set up now
NEXT_YEAR = date.today().year + 1


def at(day: date, hour: int = 9) -> datetime:
    """``hour`` o'clock in Asia/Shanghai on ``day``."""
    return datetime(day.year, day.month, day.day, hour, tzinfo=clock.local_tz()).astimezone(UTC)


def inbox(client, resident) -> list[dict]:
    return client.get("/api/v1/me/notifications?page_size=50", headers=resident.headers).json


def titles(client, resident) -> list[str]:
    return [n["title"] for n in inbox(client, resident)]


@pytest.fixture
def company(client, emulator):
    """A company with a bound representative, an agent who receives notifications and one who doesn't."""
    authority = market_authority()
    entity = bound_entity(client, emulator, authority)
    notified, not_notified = create_resident(name="李四"), create_resident(name="王五")
    grant(client, entity, notified, ["receive_notifications"], days=900)
    grant(client, entity, not_notified, ["view_licences"], days=900)
    send_ok(client, authority, licence_record("JY14401060000001", entity.uscc, valid_until=EXPIRES))
    return entity, notified, not_notified, authority


def test_a_licence_expiring_reaches_the_representative_and_notified_agents_from_30_days_before_once(
        client, company):
    entity, notified, not_notified, _authority = company
    days = {"day before the window": EXPIRES - timedelta(days=31), "first day": EXPIRES - timedelta(days=30),
            "last day": EXPIRES, "day after": EXPIRES + timedelta(days=1)}
    with clock.freeze(at(days["day before the window"])):
        assert scans.scan_now(only=LICENCE) == 0
    assert titles(client, entity.representative) == []
    with clock.freeze(at(days["first day"])):
        assert scans.scan_now(only=LICENCE) == 2
        assert scans.scan_now(only=LICENCE) == 0, "a repeated scan on the same day writes nothing"
    for day in ("last day", "day after"):
        with clock.freeze(at(days[day])):
            assert scans.scan_now(only=LICENCE) == 0
    assert titles(client, entity.representative) == ["许可证即将到期"]
    assert titles(client, notified) == ["许可证即将到期"]
    assert titles(client, not_notified) == []
    [note] = inbox(client, notified)
    assert "JY14401060000001" in note["body"] and f"{EXPIRES.year}年{EXPIRES.month}月{EXPIRES.day}日" in note["body"]
    assert note["why"]["rule"]["id"] == "licence_expiring"


def test_the_window_opens_at_midnight_in_shanghai_not_utc(client, company):
    _entity, *_ = company
    first_day = EXPIRES - timedelta(days=30)
    with clock.freeze(at(first_day, hour=0) - timedelta(minutes=1)):  # 23:59 the day before, 15:59 UTC
        assert scans.scan_now(only=LICENCE) == 0
    with clock.freeze(at(first_day, hour=0)):  # 00:00 Shanghai is still the previous day in UTC
        assert scans.scan_now(only=LICENCE) == 2


def test_a_suspended_licence_is_not_reminded_of_its_expiry(client, company):
    _entity, _notified, _other, authority = company
    send_ok(client, authority, licence_status_record("JY14401060000001", "suspend"))
    with clock.freeze(at(EXPIRES - timedelta(days=10))):
        assert scans.scan_now(only=LICENCE) == 0


def test_the_scan_is_cut_into_id_range_batches_that_workers_take(client, company, emulator):
    entity, _notified, _other, authority = company
    send_ok(client, authority, *[licence_record(f"JY1440106000010{n}", entity.uscc, valid_until=EXPIRES)
                                 for n in range(4)])
    with clock.freeze(at(EXPIRES - timedelta(days=5))):
        jobs = [job for job in scans.plan_scan(size=2) if job[0] == LICENCE]
        assert [(rule, hi - lo >= 0) for rule, lo, hi in jobs] == [("licence_expiring", True)] * 3
        run_queued_jobs()
        scans.plan_scan(size=2)
        run_queued_jobs()
    remove_session()
    written = session().scalar(select(func.count()).select_from(Notification).where(Notification.rule_id == LICENCE))
    assert written == 5 * 2, "five licences, two recipients each, once"


def test_the_command_scans_a_given_day(client, company):
    entity, *_ = company
    day = (EXPIRES - timedelta(days=1)).isoformat()
    result = CliRunner().invoke(push, ["scan", "--date", day, "--inline"])
    assert result.exit_code == 0, result.output
    assert "许可证即将到期" in titles(client, entity.representative)


def _annual_report(uscc: str, year: int, status: str) -> dict:
    data = {"uscc": uscc, "year": year, "status": status}
    if status == "submitted":
        data["submitted_on"] = f"{year + 1}-03-01"
    return record("annual_report", f"AR-{uscc}-{year}", data)


@pytest.mark.parametrize(("rule_title", "opens"), [("年度报告填报已开始", date(NEXT_YEAR, 1, 1)),
                                                   ("年度报告即将截止", date(NEXT_YEAR, 6, 1))])
def test_the_annual_report_window_reaches_only_entities_that_have_not_reported(client, company, rule_title, opens):
    entity, notified, not_notified, authority = company
    reported_rep = create_resident(name="赵六")
    reported = new_uscc()
    send_ok(client, authority, entity_record(reported, reported_rep),
            _annual_report(reported, NEXT_YEAR - 1, "submitted"),
            _annual_report(entity.uscc, NEXT_YEAR - 2, "submitted"))  # last year's, not this window's
    grace = scans.window_date(next(r for r in scans.scanned_rules() if r.title == rule_title), opens)
    assert grace == opens
    rule = next(r.id for r in scans.scanned_rules() if r.title == rule_title)
    for day, expected in [(opens - timedelta(days=1), 0), (opens, 2), (opens + timedelta(days=14), 0),
                          (opens + timedelta(days=15), 0)]:
        with clock.freeze(at(day)):
            assert scans.scan_now(only=rule) == expected, day
    assert titles(client, entity.representative) == [rule_title]
    assert titles(client, notified) == [rule_title]
    assert titles(client, not_notified) == []
    assert f"{NEXT_YEAR - 1}年度报告" in inbox(client, notified)[0]["body"]


def test_a_late_scan_within_the_grace_days_still_opens_the_annual_report_window(client, company):
    entity, *_ = company
    with clock.freeze(at(date(NEXT_YEAR, 1, 15))):
        assert scans.scan_now(only="annual_report_opening") == 2
    with clock.freeze(at(date(NEXT_YEAR, 1, 16))):
        assert scans.scan_now(only="annual_report_opening") == 0
    assert titles(client, entity.representative) == ["年度报告填报已开始"]
