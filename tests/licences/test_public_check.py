"""Anyone can check a licence by its number, without logging in, and sees only public fields."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta

import pytest

from app import clock
from app.licences.public_check import CHECKS_PER_MINUTE, cache_key
from app.redis_store import get_redis
from app.security.masking import mask_id_number, mask_name, mask_phone
from tests.support.entities import (
    bound_entity,
    entity_record,
    grant,
    licence_record,
    licence_status_record,
    market_authority,
    new_uscc,
    send,
    send_ok,
)
from tests.support.residents import create_resident

CHECK = "/api/v1/licences/check"
NUMBER = "JY14401060001234"
PUBLIC_FIELDS = {"number", "found", "licence_type", "licence_type_name", "issuer", "holder_name", "holder_uscc",
                 "status", "status_name", "status_reason", "issued_on", "valid_until"}


@pytest.fixture
def authority():
    return market_authority()


@pytest.fixture
def company(client, emulator, authority):
    company = bound_entity(client, emulator, authority, name="欧阳明慧")
    send_ok(client, authority, licence_record(NUMBER, company.uscc, issued_on=date(2024, 3, 1)))
    return company


def test_the_check_answers_with_public_fields_and_no_personal_data(client, company):
    agent = create_resident(name="司马光明", phone="13912345678")
    grant(client, company, agent, ["view_licences"])
    response = client.get(CHECK, query_string={"number": NUMBER, "uscc": company.uscc})

    assert response.status_code == 200
    assert set(response.json) == PUBLIC_FIELDS
    assert response.json["holder_uscc"] == company.uscc
    assert response.json["licence_type_name"] == "食品经营许可证"
    assert response.json["status"] == "valid"
    assert response.json["valid_until"] == "2029-02-28"
    rep = company.representative
    bulk = client.post(CHECK, json={"numbers": [NUMBER]})
    for body in (response.get_data(as_text=True), bulk.get_data(as_text=True)):
        # Nor the masked forms yss shows elsewhere. (Bare digit tails are not checked: a phone's last
        # four digits can legitimately occur inside the company's own USCC or licence number.)
        for person in (rep, agent):
            for personal in (person.name, person.id_number, person.phone, mask_name(person.name),
                             mask_phone(person.phone), mask_id_number(person.id_number)):
                assert personal not in body
        assert "明慧" not in body and "光明" not in body


def test_a_cached_check_is_sent_as_the_first_was_and_as_documented(client, company):
    first = client.get(CHECK, query_string={"number": NUMBER})
    again = client.get(CHECK, query_string={"number": NUMBER})  # from the cache, sent as kept
    assert again.get_data() == first.get_data()
    assert first.mimetype == again.mimetype == "application/json"
    schema = client.get("/api/openapi.json").json["components"]["schemas"]["PublicLicence"]
    assert set(schema["properties"]) == set(again.json) == PUBLIC_FIELDS


def test_a_cache_entry_in_another_form_is_answered_afresh(client, company):
    get_redis().set(cache_key(NUMBER), json.dumps({"as_of": clock.today().isoformat(), "answer": {"x": 1}}))
    response = client.get(CHECK, query_string={"number": NUMBER})
    assert response.status_code == 200 and response.json["status"] == "valid"
    assert get_redis().get(cache_key(NUMBER)).startswith(f"{clock.today().isoformat()}\n{{")


def test_an_unknown_number_or_another_holders_code_is_not_found(client, company):
    for query in ({"number": "JY00000000000000"}, {"number": NUMBER, "uscc": new_uscc()}):
        response = client.get(CHECK, query_string=query)
        assert response.status_code == 404
        assert response.json["code"] == "licence_not_found"


def test_a_suspension_arriving_by_intake_is_seen_by_the_next_check(client, company, authority):
    assert client.get(CHECK, query_string={"number": NUMBER}).json["status"] == "valid"
    cached = get_redis().get(cache_key(NUMBER))
    assert cached is not None and json.loads(cached.partition("\n")[2])["status"] == "valid"

    send_ok(client, authority, licence_status_record(NUMBER, "suspend", "食品安全抽检不合格，责令停业整改"))

    assert get_redis().get(cache_key(NUMBER)) is None
    assert client.get(CHECK, query_string={"number": NUMBER}).json["status"] == "suspended"
    assert client.post(CHECK, json={"numbers": [NUMBER]}).json["results"][0]["status"] == "suspended"


def test_a_suspended_licence_is_checked_with_its_chinese_status_and_the_authoritys_reason(client, company,
                                                                                          authority):
    assert client.get(CHECK, query_string={"number": NUMBER}).json["status_name"] == "有效"
    send_ok(client, authority, licence_status_record(NUMBER, "suspend", "食品安全抽检不合格，责令停业整改"))

    single = client.get(CHECK, query_string={"number": NUMBER}).json
    [bulk] = client.post(CHECK, json={"numbers": [NUMBER]}).json["results"]
    for answer in (single, bulk):
        assert (answer["status"], answer["status_name"], answer["status_reason"]) == (
            "suspended", "暂扣", "食品安全抽检不合格，责令停业整改")


def test_a_reinstatement_is_seen_too_and_history_records_each_decision(client, company, authority):
    send_ok(client, authority, licence_status_record(NUMBER, "suspend", "停业整改", version=1))
    assert client.get(CHECK, query_string={"number": NUMBER}).json["status"] == "suspended"
    send_ok(client, authority, licence_status_record(NUMBER, "reinstate", "整改合格", version=2))
    assert client.get(CHECK, query_string={"number": NUMBER}).json["status"] == "valid"

    headers = company.representative.headers
    listed = client.get(f"/api/v1/entities/{company.uscc}/licences", headers=headers).json
    detail = client.get(f"/api/v1/entities/{company.uscc}/licences/{listed[0]['id']}", headers=headers).json
    assert [(h["from_state"], h["state"], h["reason"]) for h in detail["history"]] == [
        ("suspended", "valid", "整改合格"), ("valid", "suspended", "停业整改"), (None, "valid", "发证")]


def test_a_revoked_licence_cannot_be_reinstated(client, company, authority):
    send_ok(client, authority, licence_status_record(NUMBER, "revoke", "吊销", version=1))
    body = send(client, authority, licence_status_record(NUMBER, "reinstate", "申请恢复", version=2))
    assert body["results"][0]["reason"] == "licence_status_transition_invalid"
    assert client.get(CHECK, query_string={"number": NUMBER}).json["status"] == "revoked"


def test_licence_records_for_unknown_holders_or_types_are_rejected(client, company, authority):
    body = send(client, authority, licence_record("JY2000000000001", new_uscc()),
                licence_record("JY2000000000002", company.uscc, type="fishing_licence"),
                licence_status_record("JY2000000000003", "suspend"))
    assert [r["reason"] for r in body["results"]] == ["entity_not_found", "invalid_data", "licence_not_found"]


def test_bulk_checks_answer_each_number_in_order_up_to_100(client, company):
    numbers = [NUMBER] + [f"JY9{i:013d}" for i in range(99)]
    response = client.post(CHECK, json={"numbers": numbers})
    assert response.status_code == 200
    results = response.json["results"]
    assert [r["number"] for r in results] == numbers
    assert results[0]["found"] is True and results[0]["holder_name"] == "广州市示例贸易有限公司"
    assert all(r == {"number": n, "found": False} for r, n in zip(results[1:], numbers[1:], strict=True))


def test_more_than_100_numbers_in_one_check_is_refused(client, company):
    response = client.post(CHECK, json={"numbers": [NUMBER] * 101})
    assert response.status_code == 422
    assert response.json["code"] == "validation_error"


def test_public_checks_are_rate_limited_per_ip(client, company):
    statuses = []
    for _ in range(2 * CHECKS_PER_MINUTE + 1):  # a minute boundary may pass once, not twice
        statuses.append(client.get(CHECK, query_string={"number": NUMBER},
                                   environ_base={"REMOTE_ADDR": "203.0.113.7"}).status_code)
        if statuses[-1] == 429:
            break
    assert statuses[-1] == 429
    assert client.get(CHECK, query_string={"number": NUMBER},
                      environ_base={"REMOTE_ADDR": "203.0.113.8"}).status_code == 200


def test_the_cache_lives_at_most_until_the_next_local_midnight(client, company):
    five_to_midnight = datetime.combine(clock.today() + timedelta(days=1), time(23, 55),
                                        tzinfo=clock.local_tz()).astimezone(UTC)
    with clock.freeze(five_to_midnight):
        client.get(CHECK, query_string={"number": NUMBER})
    assert 0 < get_redis().ttl(cache_key(NUMBER)) <= 300


def test_a_renamed_holder_is_seen_by_the_next_check(client, company, authority):
    assert client.get(CHECK, query_string={"number": NUMBER}).json["holder_name"] == "广州市示例贸易有限公司"
    send_ok(client, authority, entity_record(company.uscc, company.representative, name="广州市新名贸易有限公司",
                                             version=2))
    assert client.get(CHECK, query_string={"number": NUMBER}).json["holder_name"] == "广州市新名贸易有限公司"


def test_a_bulk_check_counts_each_of_its_numbers_against_the_limit(client, company):
    bulk = [NUMBER] * 100
    statuses = []
    for _ in range(2 * CHECKS_PER_MINUTE // 100 + 1):  # a minute boundary may pass once, not twice
        statuses.append(client.post(CHECK, json={"numbers": bulk}, environ_base={"REMOTE_ADDR": "203.0.113.9"})
                        .status_code)
        if statuses[-1] == 429:
            break
    assert statuses[-1] == 429
