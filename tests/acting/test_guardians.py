"""Parents act for their children under 18 from household records, with no grant, until the 18th birthday."""

from __future__ import annotations

from datetime import date, datetime, time

from app import clock
from app.acting import coming_of_age
from tests.support.acting import acting, family
from tests.support.jobs import run_queued_jobs
from tests.support.residents import create_resident


def test_a_parent_sees_the_childs_birth_certificate_and_the_child_later_sees_who_looked(client):
    home = family(client)
    certificates = client.get("/api/v1/me/certificates", headers=acting(home.parent, home.child_ref))
    assert certificates.status_code == 200, certificates.json
    assert [(c["type"], c["claims"]["name"]) for c in certificates.json] == [("birth_certificate", "李小明")]
    own = client.get("/api/v1/me/certificates", headers=home.parent.headers).json
    assert "birth_certificate" not in [c["type"] for c in own]
    # The child verifies their own account years later: the parent's views are in their tracker.
    child = create_resident(name="李小明", id_number=home.child_id_number, birth=date(2019, 6, 1))
    log = client.get("/api/v1/me/access-log", headers=child.headers).json
    assert [(e["actor_type"], e["actor"], e["purpose"]) for e in log] == [
        ("proxy", "李强（监护人）", "代办：查看您的电子证照")]


def test_a_guardians_acting_ends_by_itself_on_the_childs_18th_birthday(client):
    home = family(client, child_birth=date(2008, 12, 20))
    eve = datetime.combine(date(2026, 12, 19), time(23, 0), clock.local_tz())
    birthday = datetime.combine(date(2026, 12, 20), time(0, 1), clock.local_tz())
    with clock.freeze(eve):
        assert client.get("/api/v1/me/certificates", headers=acting(home.parent, home.child_ref)).status_code == 200
        assert [r["until"] for r in client.get("/api/v1/me/acting-for", headers=home.parent.headers).json] == [
            "2026-12-20"]
    with clock.freeze(birthday):
        refused = client.get("/api/v1/me/certificates", headers=acting(home.parent, home.child_ref))
        assert (refused.status_code, refused.json["code"]) == (403, "acting_refused")
        assert client.get("/api/v1/me/acting-for", headers=home.parent.headers).json == []


def test_the_acting_header_on_an_endpoint_without_acting_is_refused(client):
    home = family(client)
    answer = client.get("/api/v1/me/profile", headers=acting(home.parent, home.child_ref))
    assert (answer.status_code, answer.json["code"]) == (422, "acting_not_supported")


def test_on_the_18th_birthday_the_parent_and_the_child_are_told_once(client):
    home = family(client, child_birth=date(2008, 12, 20), child_name="李小明")
    child = create_resident(name="李小明", id_number=home.child_id_number, birth=date(2008, 12, 20))
    assert coming_of_age.announce_coming_of_age(date(2026, 12, 19)) == 0  # still a minor
    assert coming_of_age.announce_coming_of_age(date(2026, 12, 21)) == 1
    assert coming_of_age.announce_coming_of_age(date(2026, 12, 22)) == 0  # told once
    run_queued_jobs()
    for who in (home.parent, child):
        notes = client.get("/api/v1/me/notifications", headers=who.headers).json
        assert [n["title"] for n in notes if n["rule_id"] == "guardianship_ended"] == ["监护代办已结束"]
        assert "2026年12月20日年满18周岁" in notes[0]["body"] and notes[0]["body"].startswith("**明")
