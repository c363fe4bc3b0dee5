"""Person rules: certificates expiring, a child turning 6 (to the parents), turning 60, a birth."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from app import clock
from app.push import scans
from tests.support.certificates import full_authority, issue, issue_certificate
from tests.support.jobs import run_queued_jobs
from tests.support.residents import create_resident, new_id_number


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 9, tzinfo=clock.local_tz()).astimezone(UTC)


def titles(client, resident) -> list[str]:
    return [n["title"] for n in client.get("/api/v1/me/notifications?page_size=50", headers=resident.headers).json]


def scan_days(rule: str, days: list[date]) -> list[int]:
    counts = []
    for day in days:
        with clock.freeze(at(day)):
            counts.append(scans.scan_now(only=rule))
    return counts


def boundary_days(first: date, last: date) -> list[date]:
    return [first - timedelta(days=1), first, first, last, last + timedelta(days=1)]


def test_an_id_card_expiring_reaches_its_holder_from_90_days_before_once(client):
    holder, other = create_resident(name="张三"), create_resident(name="李四")
    authority = full_authority()
    expires = date(2031, 3, 15)
    issue_certificate(client, authority, holder.id_number, expires_on=expires, number=holder.id_number)
    issue_certificate(client, authority, other.id_number, expires_on=expires + timedelta(days=1),
                      type="driving_licence")  # another type, another rule
    counts = scan_days("id_card_expiring", boundary_days(expires - timedelta(days=90), expires))
    assert counts == [0, 1, 0, 0, 0]
    assert titles(client, holder) == ["身份证即将到期"] and titles(client, other) == []
    note = client.get("/api/v1/me/notifications", headers=holder.headers).json[0]
    assert holder.id_number not in note["body"] and "***" in note["body"], "the number is masked"


def test_a_driving_licence_expiring_reaches_its_holder_from_90_days_before_once(client):
    holder = create_resident(name="张三")
    expires = date(2031, 3, 15)
    issue_certificate(client, full_authority(), holder.id_number, expires_on=expires, type="driving_licence")
    days = boundary_days(expires - timedelta(days=90), expires)
    assert scan_days("driving_licence_expiring", days) == [0, 1, 0, 0, 0]
    assert titles(client, holder) == ["驾驶证即将到期"]


def test_a_child_turning_6_reaches_both_parents_through_household_links_and_nobody_else(client):
    birth = date(2025, 3, 10)
    mother, father, stranger = (create_resident(name=n, birth=date(1992, 1, 1)) for n in ("王芳", "李强", "赵六"))
    child_id = new_id_number(birth)
    authority = full_authority()
    issue(client, authority, "person", {"id_number": child_id, "name": "李小宝"})
    for parent in (mother, father):
        issue(client, authority, "household_link",
              {"from_id_number": child_id, "to_id_number": parent.id_number, "relation": "parent"})
    sixth = date(2031, 3, 10)
    assert scan_days("child_school_enrolment", boundary_days(sixth, sixth + timedelta(days=30))) == [0, 2, 0, 0, 0]
    assert titles(client, mother) == titles(client, father) == ["孩子即将满6周岁：小学入学"]
    assert titles(client, stranger) == []
    assert "李小宝" not in client.get("/api/v1/me/notifications", headers=mother.headers).json[0]["body"]


def test_turning_60_reaches_the_person_on_their_birthday_once(client):
    person = create_resident(name="陈伯", birth=date(1971, 8, 20))
    younger = create_resident(name="陈叔", birth=date(1971, 8, 21))
    counts = scan_days("pension_at_sixty", [date(2031, 8, 19), date(2031, 8, 20), date(2031, 8, 20),
                                            date(2031, 9, 19), date(2031, 9, 20)])
    assert counts == [0, 1, 0, 1, 0], "the younger one turns 60 a day later, inside the same window"
    assert titles(client, person) == ["年满60周岁：养老金领取"] == titles(client, younger)


def test_a_birth_reaches_the_parents_once_through_the_outbox(client):
    mother, father = create_resident(name="王芳"), create_resident(name="李强")
    born = date.today() - timedelta(days=2)
    child_id = new_id_number(born)
    authority = full_authority()
    issue(client, authority, "person", {"id_number": child_id, "name": "李小宝"})
    for parent in (mother, father):
        issue(client, authority, "household_link",
              {"from_id_number": child_id, "to_id_number": parent.id_number, "relation": "parent"})
    birth = {"id_number": child_id, "type": "birth", "date": born.isoformat(), "payload": {}}
    assert issue(client, authority, "life_event", birth, record_id="BIRTH-1")["status"] == "accepted"
    run_queued_jobs()
    issue(client, authority, "life_event", birth, record_id="BIRTH-1", version=2)  # a newer version
    run_queued_jobs()
    assert titles(client, mother) == titles(client, father) == ["出生一件事：新生儿登记办理"]
