"""Real-name verification: local checks first, then the population registry; attempts limited."""

from datetime import date, timedelta

import pytest

from app.identity.id_number import make_id_number
from tests.support.residents import new_id_number


@pytest.fixture
def l1(client, emulator, login):
    def make(phone: str = "13700000001") -> dict:
        user = emulator.create_user(phone=phone)
        session = login(user["openid"])
        bound = client.put("/api/v1/me/phone", headers=session["headers"],
                           json={"code": emulator.phone_code(user["openid"])})
        assert bound.status_code == 200
        return session

    return make


def submit(client, session, name, id_number):
    return client.put("/api/v1/me/real-name", headers=session["headers"],
                      json={"name": name, "id_number": id_number})


def test_real_name_needs_a_bound_phone_first(client, emulator, login):
    session = login(emulator.create_user()["openid"])
    response = submit(client, session, "张三", new_id_number())
    assert response.status_code == 403
    assert response.json["code"] == "level_required"
    assert response.json["details"]["required_level"] == 1


def test_wrong_check_character_is_refused_before_any_registry_call(client, emulator, l1):
    session = l1()
    good = new_id_number()
    wrong = good[:-1] + ("0" if good[-1] != "0" else "1")
    response = submit(client, session, "张三", wrong)
    assert response.status_code == 422
    assert response.json["code"] == "id_number_check_digit"
    assert emulator.calls("/registry/population/v1/verify") == 0


def test_a_birth_date_in_the_future_is_refused(client, emulator, l1):
    session = l1()
    future = make_id_number("440106", date.today() + timedelta(days=30), 15)
    response = submit(client, session, "张三", future)
    assert response.status_code == 422
    assert response.json["code"] == "id_number_birth_date"
    assert emulator.calls("/registry/population/v1/verify") == 0


def test_a_malformed_number_is_refused(client, emulator, l1):
    response = submit(client, l1(), "张三", "12345")
    assert response.status_code == 422
    assert response.json["code"] == "id_number_format"


def test_a_registry_mismatch_is_refused_and_leaves_the_level(client, emulator, l1):
    session = l1()
    id_number = new_id_number()
    emulator.register_person("李四", id_number)
    response = submit(client, session, "张三", id_number)
    assert response.status_code == 422
    assert response.json["code"] == "real_name_mismatch"
    assert client.get("/api/v1/me", headers=session["headers"]).json["level"] == 1


def test_a_deceased_person_cannot_be_claimed_and_the_app_is_not_told_why(client, emulator, l1):
    session = l1()
    id_number = new_id_number()
    emulator.register_person("张三", id_number, status="deceased")
    response = submit(client, session, "张三", id_number)
    assert response.status_code == 422
    assert response.json["code"] == "real_name_mismatch"


def test_five_failures_a_day_per_account_then_429_with_retry_after(client, emulator, l1):
    session = l1()
    for _ in range(5):
        number = new_id_number()
        emulator.register_person("王五", number)
        assert submit(client, session, "张三", number).status_code == 422
    number = new_id_number()
    emulator.register_person("张三", number)
    calls = emulator.calls("/registry/population/v1/verify")
    response = submit(client, session, "张三", number)
    assert response.status_code == 429
    assert response.json["code"] == "real_name_attempts_exceeded"
    assert 0 < int(response.headers["Retry-After"]) <= 24 * 3600
    assert emulator.calls("/registry/population/v1/verify") == calls


def test_five_failures_a_day_per_id_number_across_accounts(client, emulator, l1):
    target = new_id_number()
    emulator.register_person("赵六", target)
    for n in range(5):
        assert submit(client, l1(f"1370000010{n}"), "张三", target).status_code == 422
    response = submit(client, l1("13700000200"), "赵六", target)
    assert response.status_code == 429
    assert response.json["code"] == "real_name_attempts_exceeded"


def test_an_id_number_verified_by_another_account_is_refused_with_its_own_code(client, emulator, l1):
    number = new_id_number()
    emulator.register_person("张三", number)
    assert submit(client, l1("13700000301"), "张三", number).status_code == 200
    response = submit(client, l1("13700000302"), "张三", number)
    assert response.status_code == 409
    assert response.json["code"] == "id_number_bound_to_other_account"


def test_registry_down_is_503_and_counts_no_attempt(client, emulator, l1):
    session = l1()
    number = new_id_number()
    emulator.register_person("张三", number)
    emulator.fault("/registry/population/v1/verify", "http_500", count=6)
    for _ in range(6):
        response = submit(client, session, "张三", number)
        assert response.status_code == 503
        assert response.json["code"] == "upstream_unavailable"
        assert response.headers["Retry-After"]
    assert submit(client, session, "张三", number).status_code == 200
