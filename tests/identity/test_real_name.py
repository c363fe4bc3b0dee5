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


def test_three_failures_a_day_on_one_number_stop_that_account_guessing_its_name(client, emulator, l1):
    session, target = l1(), new_id_number()
    emulator.register_person("赵六", target)
    assert [submit(client, session, name, target).status_code for name in ("张三", "李四", "王五")] == [422] * 3
    calls = emulator.calls("/registry/population/v1/verify")
    assert submit(client, session, "赵六", target).json["code"] == "real_name_attempts_exceeded"
    assert emulator.calls("/registry/population/v1/verify") == calls


def test_strangers_failing_on_a_number_cannot_lock_its_owner_out(client, emulator, l1):
    target = new_id_number()
    emulator.register_person("赵六", target)
    strangers = [l1(f"1370000010{n}") for n in range(4)]
    for stranger, tries in zip(strangers, (3, 3, 3, 1), strict=True):
        for _ in range(tries):
            assert submit(client, stranger, "张三", target).status_code == 422
    # Ten failures on the number: an account that failed on it is refused, a new one gets one try ...
    assert submit(client, strangers[3], "李四", target).status_code == 429
    newcomer = l1("13700000150")
    assert submit(client, newcomer, "王五", target).status_code == 422
    assert submit(client, newcomer, "孙七", target).status_code == 429
    # ... and the owner, who knows their own name, gets through.
    owner = l1("13700000200")
    assert submit(client, owner, "赵六", target).status_code == 200


def test_a_number_verified_by_another_account_reveals_nothing_to_a_wrong_name(client, emulator, l1):
    number = new_id_number()
    emulator.register_person("张三", number)
    assert submit(client, l1("13700000301"), "张三", number).status_code == 200
    response = submit(client, l1("13700000302"), "李四", number)
    assert (response.status_code, response.json["code"]) == (422, "real_name_mismatch")


def test_an_id_number_verified_by_another_account_is_refused_with_its_own_code_and_counted(client, emulator, l1):
    number = new_id_number()
    emulator.register_person("张三", number)
    assert submit(client, l1("13700000301"), "张三", number).status_code == 200
    other = l1("13700000302")
    answers = [submit(client, other, "张三", number) for _ in range(4)]
    assert [a.status_code for a in answers] == [409, 409, 409, 429]
    assert answers[0].json["code"] == "id_number_bound_to_other_account"
    assert answers[-1].json["code"] == "real_name_attempts_exceeded"


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
