"""Issuing authorities push signed, idempotent batches; every record gets its own verdict."""

import json
import time
from datetime import date

from app.identity.id_number import make_id_number
from tests.support.certificates import PEOPLE_TYPES, certificate_data, full_authority
from tests.support.intake import BATCH_PATH, make_authority, record, send_batch, signed_headers
from tests.support.residents import create_resident, new_id_number


def person(id_number=None, name="张三"):
    return {"name": name, "id_number": id_number or new_id_number()}


def test_a_signed_batch_is_accepted_record_by_record(client):
    authority = make_authority(PEOPLE_TYPES)
    response = send_batch(client, authority, [record("person", "P-1", person()), record("person", "P-2", person())])
    assert response.status_code == 200
    assert response.json["accepted"] == 2
    assert [r["status"] for r in response.json["results"]] == ["accepted", "accepted"]


def test_an_unsigned_batch_is_refused(client):
    response = client.post(BATCH_PATH, json={"records": [record("person", "P-1", person())]})
    assert response.status_code == 401
    assert response.json["code"] == "intake_signature_missing"


def test_a_batch_signed_with_the_wrong_secret_is_refused(client):
    authority = make_authority(PEOPLE_TYPES)
    authority.secret = "not-the-secret"
    response = send_batch(client, authority, [record("person", "P-1", person())])
    assert response.status_code == 401
    assert response.json["code"] == "intake_signature_invalid"


def test_a_body_changed_after_signing_is_refused(client):
    authority = make_authority(PEOPLE_TYPES)
    body = json.dumps({"records": [record("person", "P-1", person())]}).encode()
    headers = signed_headers(authority, body)
    tampered = body.replace(b"P-1", b"P-9")
    response = client.post(BATCH_PATH, data=tampered, headers=headers)
    assert response.status_code == 401
    assert response.json["code"] == "intake_signature_invalid"


def test_a_replayed_request_is_refused_and_changes_nothing(client):
    authority = make_authority(PEOPLE_TYPES)
    body = json.dumps({"records": [record("person", "P-1", person())]}).encode()
    headers = signed_headers(authority, body)
    assert client.post(BATCH_PATH, data=body, headers=headers).status_code == 200
    replay = client.post(BATCH_PATH, data=body, headers=headers)
    assert replay.status_code == 401
    assert replay.json["code"] == "intake_nonce_replayed"


def test_a_replay_after_redis_lost_everything_is_still_refused(client):
    from app.redis_store import get_redis

    authority = make_authority(PEOPLE_TYPES)
    body = json.dumps({"records": [record("person", "P-1", person())]}).encode()
    headers = signed_headers(authority, body)
    assert client.post(BATCH_PATH, data=body, headers=headers).status_code == 200
    get_redis().flushdb()  # what a Redis restart without persistence leaves
    replay = client.post(BATCH_PATH, data=body, headers=headers)
    assert replay.status_code == 401
    assert replay.json["code"] == "intake_nonce_replayed"


def test_spent_nonces_are_forgotten_once_the_timestamp_check_refuses_them_anyway(client):
    from datetime import timedelta

    from sqlalchemy import func, select

    from app import clock
    from app.db import session
    from app.security.nonces import UsedNonce, purge_expired

    authority = make_authority(PEOPLE_TYPES)
    assert send_batch(client, authority, [record("person", "P-1", person())]).status_code == 200
    assert purge_expired() == 0
    with clock.freeze(clock.now() + timedelta(minutes=11)):
        assert purge_expired() == 1
    assert session().scalar(select(func.count()).select_from(UsedNonce)) == 0


def test_a_request_with_a_stale_timestamp_is_refused(client):
    authority = make_authority(PEOPLE_TYPES)
    response = send_batch(client, authority, [record("person", "P-1", person())], timestamp=int(time.time()) - 600)
    assert response.status_code == 401
    assert response.json["code"] == "intake_timestamp_stale"


def test_a_batch_of_more_than_1000_records_is_refused_whole(client):
    authority = make_authority(PEOPLE_TYPES)
    records = [record("person", f"P-{i}", {"name": "张三", "id_number": "x"}) for i in range(1001)]
    response = send_batch(client, authority, records)
    assert response.status_code == 413
    assert response.json["code"] == "batch_too_large"
    assert response.json["details"] == {"max": 1000, "received": 1001}


def test_a_type_the_authority_may_not_issue_is_rejected_per_record(client):
    authority = make_authority(["person"])
    holder = new_id_number()
    response = send_batch(client, authority, [record("person", "P-1", person(holder)),
                                              record("certificate", "C-1", certificate_data(holder))])
    assert [(r["status"], r["reason"]) for r in response.json["results"]] == [
        ("accepted", None), ("rejected", "type_not_allowed")]


def test_a_malformed_record_among_good_ones_is_rejected_and_the_good_ones_land(client):
    authority = full_authority()
    holder = new_id_number()
    bad_check_digit = holder[:-1] + ("0" if holder[-1] != "0" else "1")
    response = send_batch(client, authority, [
        record("person", "P-1", person(holder)),
        {"type": "person", "id": "P-2"},  # no version, no data
        record("person", "P-3", person(bad_check_digit)),
        record("life_event", "E-1", {"id_number": holder, "type": "employment", "date": "2020-01-01",
                                     "payload": {"salary": 1}}),
        record("certificate", "C-1", certificate_data(holder, type="spaceship_licence")),
        record("life_event", "E-2", {"id_number": holder, "type": "birth", "date": "1990-05-17", "payload": {}}),
    ])
    results = response.json["results"]
    assert [(r["status"], r["reason"]) for r in results] == [
        ("accepted", None), ("rejected", "malformed_record"), ("rejected", "id_number_check_digit"),
        ("rejected", "life_event_payload_invalid"), ("rejected", "certificate_type_unknown"), ("accepted", None)]
    resident = create_resident(id_number=holder)
    timeline = client.get("/api/v1/me/life-events", headers=resident.headers).json
    assert [e["type"] for e in timeline] == ["birth"]


def test_the_same_batch_sent_twice_is_all_unchanged_the_second_time(client):
    authority = full_authority()
    holder = new_id_number()
    records = [record("person", "P-1", person(holder)),
               record("life_event", "E-1", {"id_number": holder, "type": "birth", "date": "1990-05-17"}),
               record("certificate", "C-1", certificate_data(holder, number="G1"))]
    first = send_batch(client, authority, records)
    second = send_batch(client, authority, records)
    assert first.json["accepted"] == 3
    assert second.json["unchanged"] == 3
    assert {r["status"] for r in second.json["results"]} == {"unchanged"}
    resident = create_resident(id_number=holder)
    assert len(client.get("/api/v1/me/life-events", headers=resident.headers).json) == 1
    assert len(client.get("/api/v1/me/certificates", headers=resident.headers).json) == 1


def test_a_newer_version_of_a_record_updates_it_and_an_older_one_is_refused(client):
    authority = full_authority()
    holder = new_id_number()
    event = {"id_number": holder, "type": "employment", "date": "2020-01-01", "payload": {"employer": "甲公司"}}
    assert send_batch(client, authority, [record("life_event", "E-1", event)]).json["accepted"] == 1
    updated = {**event, "payload": {"employer": "乙公司"}}
    assert send_batch(client, authority, [record("life_event", "E-1", updated, version=3)]).json["accepted"] == 1
    stale = send_batch(client, authority, [record("life_event", "E-1", event, version=2)]).json["results"][0]
    assert (stale["status"], stale["reason"]) == ("rejected", "stale_version")
    resident = create_resident(id_number=holder)
    events = client.get("/api/v1/me/life-events", headers=resident.headers).json
    assert [e["payload"]["employer"] for e in events] == ["乙公司"]


def test_records_that_arrive_before_the_resident_registers_are_theirs_once_verified(client):
    authority = full_authority()
    holder = make_id_number("440106", date(1988, 2, 29), 77)
    send_batch(client, authority, [
        record("person", "P-1", {**person(holder, "陈大文"), "address": {"text": "广东省广州市天河区体育西路 1 号"}}),
        record("life_event", "E-1", {"id_number": holder, "type": "school_enrolment", "date": "1994-09-01",
                                     "payload": {"school": "天河小学", "stage": "primary"}}),
        record("certificate", "C-1", certificate_data(holder, holder_name="陈大文")),
    ])
    resident = create_resident(name="陈大文", id_number=holder)
    events = client.get("/api/v1/me/life-events", headers=resident.headers).json
    assert [(e["type"], e["source"]) for e in events] == [("school_enrolment", "authority")]
    profile = client.get("/api/v1/me/profile", headers=resident.headers).json
    assert profile["name"] == "陈大文"
    assert profile["birth_date"] == "1988-02-29"
    assert profile["addresses"][0]["address"] == "广东省广州市天河区体育西路 1 号"
    assert len(client.get("/api/v1/me/certificates", headers=resident.headers).json) == 1


def test_records_that_arrive_after_the_resident_verified_are_attached_at_once(client):
    holder = new_id_number()
    resident = create_resident(level=2, id_number=holder)
    authority = full_authority()
    send_batch(client, authority, [record("life_event", "E-1", {"id_number": holder, "type": "marriage",
                                                                 "date": "2019-05-20"})])
    events = client.get("/api/v1/me/life-events", headers=resident.headers).json
    assert [e["type"] for e in events] == ["marriage"]


def test_revoking_an_unknown_certificate_is_rejected_with_a_reason(client):
    result = send_batch(client, full_authority(), [record("certificate_status", "S-1", {
        "type": "resident_id_card", "number": "NOPE", "status": "revoked", "reason": "挂失"})]).json["results"][0]
    assert (result["status"], result["reason"]) == ("rejected", "certificate_unknown")


def test_a_certificate_that_should_expire_but_has_no_expiry_is_rejected(client):
    data = certificate_data(new_id_number(), expires_on=None)
    result = send_batch(client, full_authority(), [record("certificate", "C-1", data)]).json["results"][0]
    assert (result["status"], result["reason"]) == ("rejected", "certificate_expiry_required")
