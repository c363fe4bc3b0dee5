"""Staff log in with password + TOTP; codes work once; repeated failures lock the account."""

from datetime import UTC, datetime, timedelta

from app import clock
from tests.support.residents import create_resident
from tests.support.staff import PASSWORD, create_staff_member, load_demo_catalogue

# A time-step boundary: 30 * 59_833_334 seconds after the epoch (2026-11-18T07:27:00Z).
BOUNDARY = datetime.fromtimestamp(30 * 59_833_334, UTC)


def _login(client, staff, code, password=PASSWORD):
    return client.post("/api/v1/staff/sessions", json={"username": staff.username, "password": password,
                                                       "totp": code})


def test_staff_log_in_with_password_and_current_code_and_see_their_console(client):
    load_demo_catalogue()
    staff = create_staff_member(display_name="公安厅工作人员 007号", log_in=False)
    response = _login(client, staff, staff.code())
    assert response.status_code == 201
    assert response.json["staff"]["display_name"] == "公安厅工作人员 007号"
    me = client.get("/api/v1/staff/me", headers={"Authorization": f"Bearer {response.json['access_token']}"})
    assert me.status_code == 200 and me.json["role"] == "agent" and len(me.json["department_ids"]) == 1


def test_codes_around_a_step_boundary_are_accepted_once_and_older_ones_refused(client):
    load_demo_catalogue()
    with clock.freeze(BOUNDARY - timedelta(days=1)):
        staff = create_staff_member(log_in=False)
    with clock.freeze(BOUNDARY):
        # The step that just ended is still accepted (clock drift, ±1 step) ...
        assert _login(client, staff, staff.code(-1)).status_code == 201
        # ... the step starting now too, being later ...
        assert _login(client, staff, staff.code(0)).status_code == 201
        # ... but neither again, nor a code two steps old.
        assert _login(client, staff, staff.code(0)).status_code == 401
        assert _login(client, staff, staff.code(-1)).status_code == 401
        assert _login(client, staff, staff.code(-2)).status_code == 401
        # The next step (a phone clock running ahead) is accepted.
        assert _login(client, staff, staff.code(1)).status_code == 201
    with clock.freeze(BOUNDARY - timedelta(seconds=1)):
        # One second before the boundary, "now" is the old step: the next step's code is still ahead.
        assert _login(client, staff, staff.code(1)).status_code == 401  # step already used


def test_a_replayed_code_is_refused_even_within_its_own_time_step(client):
    load_demo_catalogue()
    staff = create_staff_member(log_in=False)
    with clock.freeze(BOUNDARY + timedelta(seconds=3)):
        code = staff.code()
        assert _login(client, staff, code).status_code == 201
    with clock.freeze(BOUNDARY + timedelta(seconds=20)):
        replay = _login(client, staff, code)
    assert replay.status_code == 401
    assert replay.json["code"] == "invalid_credentials"


def test_five_failures_lock_the_account_for_fifteen_minutes(client):
    load_demo_catalogue()
    staff = create_staff_member(log_in=False)
    with clock.freeze(BOUNDARY):
        answers = [_login(client, staff, staff.code(), password="wrong password!") for _ in range(5)]
        assert [a.status_code for a in answers] == [401, 401, 401, 401, 423]
        assert answers[-1].json["code"] == "staff_locked"
    with clock.freeze(BOUNDARY + timedelta(minutes=14, seconds=59)):
        locked = _login(client, staff, staff.code())
        assert locked.status_code == 423 and locked.headers["Retry-After"] == "1"
    with clock.freeze(BOUNDARY + timedelta(minutes=15)):
        assert _login(client, staff, staff.code()).status_code == 201


def test_an_admin_unlocks_a_locked_account(client):
    load_demo_catalogue()
    admin = create_staff_member(role="admin")
    staff = create_staff_member(log_in=False)
    for _ in range(5):
        _login(client, staff, "000000", password="wrong password!")
    assert _login(client, staff, staff.code(1)).status_code == 423
    agent = create_staff_member()
    assert client.post(f"/api/v1/staff/members/{staff.id}/unlock", headers=agent.headers).status_code == 403
    assert client.post(f"/api/v1/staff/members/{staff.id}/unlock", headers=admin.headers).status_code == 204
    assert _login(client, staff, staff.code(1)).status_code == 201


def test_an_unknown_user_gets_the_same_answer_as_a_wrong_password(client):
    load_demo_catalogue()
    staff = create_staff_member(log_in=False)
    unknown = client.post("/api/v1/staff/sessions", json={"username": "nobody", "password": "x" * 12,
                                                          "totp": "123456"})
    wrong = _login(client, staff, staff.code(), password="not the password")
    assert unknown.status_code == wrong.status_code == 401
    assert unknown.json["code"] == wrong.json["code"] == "invalid_credentials"
    assert unknown.json["message"] == wrong.json["message"]


def test_staff_and_resident_tokens_are_not_interchangeable(client):
    load_demo_catalogue()
    staff = create_staff_member()
    resident = create_resident(level=3)
    assert client.get("/api/v1/staff/me", headers=resident.headers).status_code == 401
    assert client.get("/api/v1/me", headers=staff.headers).status_code == 401


def test_a_resident_login_on_a_staff_endpoint_is_told_this_is_for_staff_not_that_it_expired(client):
    load_demo_catalogue()
    resident = create_resident(level=3)
    for method, url in (("get", "/api/v1/staff/me"), ("get", "/api/v1/staff/tickets")):
        answer = getattr(client, method)(url, headers=resident.headers)
        assert (answer.status_code, answer.json["code"]) == (401, "not_a_staff_token")
        assert "工作人员接口" in answer.json["message"] and "失效" not in answer.json["message"]
    garbage = client.get("/api/v1/staff/me", headers={"Authorization": "Bearer not-a-token"})
    assert garbage.json["code"] != "not_a_staff_token"


def test_logging_out_ends_the_staff_session_at_once(client):
    load_demo_catalogue()
    staff = create_staff_member()
    assert client.delete("/api/v1/staff/sessions/current", headers=staff.headers).status_code == 204
    after = client.get("/api/v1/staff/me", headers=staff.headers)
    assert after.status_code == 401 and after.json["code"] == "session_revoked"


def test_an_admin_creates_staff_and_gets_the_totp_uri_once(client):
    load_demo_catalogue()
    admin = create_staff_member(role="admin")
    body = {"username": "li.si", "display_name": "社保窗口 李工", "role": "agent",
            "password": "a-long-initial-pass", "department_ids": admin.principal.department_ids}
    created = client.post("/api/v1/staff/members", headers=admin.headers, json=body)
    assert created.status_code == 201
    assert created.json["totp_provisioning_uri"].startswith("otpauth://totp/yss:li.si?secret=")
    assert "password" not in created.json
    assert client.post("/api/v1/staff/members", headers=admin.headers, json=body).json["code"] == "username_taken"
    agent = create_staff_member()
    refused = client.post("/api/v1/staff/members", headers=agent.headers, json={**body, "username": "w.u"})
    assert refused.status_code == 403 and refused.json["code"] == "role_required"


def _login_from(client, staff, address, code, password=PASSWORD):
    return client.post("/api/v1/staff/sessions", json={"username": staff.username, "password": password,
                                                       "totp": code}, environ_base={"REMOTE_ADDR": address})


def test_failures_from_one_address_do_not_lock_the_owner_out_at_their_own_desk(client):
    load_demo_catalogue()
    staff = create_staff_member(log_in=False)
    with clock.freeze(BOUNDARY):
        answers = [_login_from(client, staff, "203.0.113.9", "000000", "wrong password!") for _ in range(5)]
        assert [a.status_code for a in answers] == [401, 401, 401, 401, 423]
        assert _login_from(client, staff, "203.0.113.9", staff.code()).status_code == 423
        assert _login_from(client, staff, "198.51.100.7", staff.code()).status_code == 201


def test_twenty_failures_from_many_addresses_lock_the_account_everywhere_for_five_minutes(client):
    load_demo_catalogue()
    staff = create_staff_member(log_in=False)
    with clock.freeze(BOUNDARY):
        for n in range(4):
            for _ in range(5):
                _login_from(client, staff, f"203.0.113.{n}", "000000", "wrong password!")
        locked = _login_from(client, staff, "198.51.100.7", staff.code())
        assert (locked.status_code, locked.json["code"]) == (423, "staff_locked")
        assert locked.headers["Retry-After"] == "300"
    with clock.freeze(BOUNDARY + timedelta(minutes=5)):
        assert _login_from(client, staff, "198.51.100.7", staff.code()).status_code == 201


def test_the_openapi_example_does_not_publish_the_demo_agents_password(client):
    from app.staff.demo import DEMO_AGENT

    assert DEMO_AGENT.password not in client.get("/api/openapi.json").get_data(as_text=True)
