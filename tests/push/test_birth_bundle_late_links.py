"""The birth bundle reaches every parent once, whichever arrives first: the birth or the household link.

Authorities send births and parent links separately (different offices, different days); a parent
linked after the birth was recorded gets the bundle when the link arrives, through the outbox.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from app import clock
from app.db import remove_session, session
from app.push.events import process_event
from app.push.models import OutboxEvent
from tests.support.certificates import full_authority
from tests.support.intake import record, send_batch
from tests.support.jobs import run_queued_jobs
from tests.support.residents import create_resident, new_id_number

BUNDLE = "出生一件事：新生儿登记办理"


def titles(client, resident) -> list[str]:
    return [n["title"] for n in client.get("/api/v1/me/notifications?page_size=50", headers=resident.headers).json]


def send(client, authority, *records) -> list[str]:
    response = send_batch(client, authority, list(records))
    assert response.status_code == 200, response.json
    run_queued_jobs()
    return [r["status"] for r in response.json["results"]]


def birth(child_id: str, born: date, record_id: str = "BIRTH-1", version: int = 1) -> dict:
    return record("life_event", record_id, {"id_number": child_id, "type": "birth", "date": born.isoformat(),
                                            "payload": {"hospital": "广州市妇女儿童医疗中心"}}, version)


def parent_link(child_id: str, parent_id: str, version: int = 1) -> dict:
    return record("household_link", f"LINK-{child_id}-{parent_id}",
                  {"from_id_number": child_id, "to_id_number": parent_id, "relation": "parent"}, version)


def no_outbox_event_fires_again() -> None:
    remove_session()
    for event_id in session().scalars(select(OutboxEvent.id)):
        assert process_event(event_id) == 0


def test_parents_linked_after_the_birth_get_the_bundle_once_each_even_when_the_link_is_resent(client):
    mother, father = create_resident(name="王芳"), create_resident(name="李强")
    born = clock.today() - timedelta(days=3)
    child_id = new_id_number(born)
    births, registry = full_authority(), full_authority()  # the hospital's office, the household registry

    assert send(client, births, birth(child_id, born)) == ["accepted"]
    assert titles(client, mother) == titles(client, father) == [], "nobody is linked to the child yet"

    assert send(client, registry, parent_link(child_id, mother.id_number)) == ["accepted"]
    assert titles(client, mother) == [BUNDLE] and titles(client, father) == []
    note = client.get("/api/v1/me/notifications", headers=mother.headers).json[0]
    assert note["why"]["rule"]["id"] == "birth_bundle"

    assert send(client, registry, parent_link(child_id, mother.id_number)) == ["unchanged"]
    assert send(client, registry, parent_link(child_id, mother.id_number, version=2)) == ["accepted"]
    assert titles(client, mother) == [BUNDLE], "a re-sent or newer link record reaches nobody again"

    # The father's link comes days later, from another authority.
    assert send(client, full_authority(), parent_link(child_id, father.id_number)) == ["accepted"]
    assert titles(client, father) == [BUNDLE] and titles(client, mother) == [BUNDLE]

    # A newer version of the birth record resolves both parents now: each already has it.
    assert send(client, births, birth(child_id, born, version=2)) == ["accepted"]
    assert titles(client, mother) == titles(client, father) == [BUNDLE]
    no_outbox_event_fires_again()
    assert titles(client, mother) == titles(client, father) == [BUNDLE]


def test_parents_linked_before_the_birth_get_it_once_and_a_link_sent_again_adds_nothing(client):
    mother, father = create_resident(name="王芳"), create_resident(name="李强")
    born = clock.today() - timedelta(days=1)
    child_id = new_id_number(born)
    authority = full_authority()
    assert send(client, authority, parent_link(child_id, mother.id_number),
                parent_link(child_id, father.id_number)) == ["accepted", "accepted"]
    assert send(client, authority, birth(child_id, born)) == ["accepted"]
    assert titles(client, mother) == titles(client, father) == [BUNDLE]

    # The whole link batch again, then the same links asserted by another office from the parent's side.
    assert send(client, authority, parent_link(child_id, mother.id_number),
                parent_link(child_id, father.id_number)) == ["unchanged", "unchanged"]
    other = full_authority()
    assert send(client, other, *[record("household_link", f"CHILD-{p.id_number}", {
        "from_id_number": p.id_number, "to_id_number": child_id, "relation": "child"})
        for p in (mother, father)]) == ["accepted", "accepted"]
    assert titles(client, mother) == titles(client, father) == [BUNDLE]
    no_outbox_event_fires_again()


def test_a_birth_and_a_link_in_one_batch_birth_first_reach_the_parent_once(client):
    mother = create_resident(name="王芳")
    born = clock.today()
    child_id = new_id_number(born)
    authority = full_authority()
    assert send(client, authority, birth(child_id, born), parent_link(child_id, mother.id_number)) == [
        "accepted", "accepted"]
    assert titles(client, mother) == [BUNDLE]


def test_a_parent_linked_from_the_parent_side_after_the_birth_gets_it_too(client):
    father = create_resident(name="李强")
    born = clock.today() - timedelta(days=10)
    child_id = new_id_number(born)
    authority = full_authority()
    send(client, authority, birth(child_id, born))
    assert send(client, authority, record("household_link", "L-1", {
        "from_id_number": father.id_number, "to_id_number": child_id, "relation": "child"})) == ["accepted"]
    assert titles(client, father) == [BUNDLE]


def test_a_late_link_to_a_grown_up_child_or_a_spouse_congratulates_nobody(client):
    elder, spouse = create_resident(name="陈伯", birth=date(1960, 2, 2)), create_resident(name="林芳")
    grown_up = create_resident(name="陈明", birth=date(1990, 5, 17))
    authority = full_authority()
    send(client, authority, birth(grown_up.id_number, date(1990, 5, 17)))
    assert send(client, authority, parent_link(grown_up.id_number, elder.id_number),
                record("household_link", "SPOUSE-1", {"from_id_number": grown_up.id_number,
                                                      "to_id_number": spouse.id_number, "relation": "spouse"}),
                ) == ["accepted", "accepted"]
    assert titles(client, elder) == titles(client, spouse) == titles(client, grown_up) == []


def test_a_late_link_reaches_the_parent_while_the_child_is_under_a_year_old(client):
    mother = create_resident(name="王芳")
    authority = full_authority()
    year_ago, older = clock.today() - timedelta(days=365), clock.today() - timedelta(days=366)
    first, second = new_id_number(year_ago), new_id_number(older)
    send(client, authority, birth(first, year_ago, "B-1"), birth(second, older, "B-2"))
    send(client, authority, parent_link(first, mother.id_number), parent_link(second, mother.id_number))
    notes = client.get("/api/v1/me/notifications", headers=mother.headers).json
    assert [(n["title"], n["why"]["facts"]["child.birth_date"]) for n in notes] == [(BUNDLE, year_ago.isoformat())]


def test_a_birth_record_older_than_a_year_congratulates_nobody_even_with_parents_linked(client):
    mother = create_resident(name="赵敏")
    authority = full_authority()
    year_ago, older = clock.today() - timedelta(days=365), clock.today() - timedelta(days=366)
    first, second = new_id_number(year_ago), new_id_number(older)
    send(client, authority, parent_link(first, mother.id_number), parent_link(second, mother.id_number))
    send(client, authority, birth(first, year_ago, "B-1"), birth(second, older, "B-2"))  # e.g. a historical load
    notes = client.get("/api/v1/me/notifications", headers=mother.headers).json
    assert [(n["title"], n["why"]["facts"]["child.birth_date"]) for n in notes] == [(BUNDLE, year_ago.isoformat())]


def test_a_parent_who_verifies_after_the_birth_and_the_link_gets_it_on_verification(client):
    authority = full_authority()
    child, mother_id, grown_up = new_id_number(clock.today() - timedelta(days=30)), new_id_number(), new_id_number()
    send(client, authority, birth(child, clock.today() - timedelta(days=30)), parent_link(child, mother_id),
         parent_link(grown_up, mother_id), birth(grown_up, date(1990, 5, 17), "B-OLD"))
    mother = create_resident(name="周婷", id_number=mother_id)  # real-name verification: L2 and above
    run_queued_jobs()
    assert titles(client, mother) == [BUNDLE]
    no_outbox_event_fires_again()
    assert titles(client, mother) == [BUNDLE]
