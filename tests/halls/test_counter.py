"""At the counter (柜面核验): a hall officer raises a resident whose face check failed to L3 in
person, or lifts their real-name lockout; role and hall both limit who may."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.db import session
from app.staff.models import AGENT, SUPERVISOR
from tests.support.halls import FUTIAN, TIANHE, hall_officer
from tests.support.residents import L2, create_resident, new_id_number
from tests.support.staff import create_staff_member, load_demo_catalogue


@pytest.fixture
def face_failed(client, emulator, wx_user, login):
    """A resident at L2 over the real flow whose face check on the phone did not pass."""
    resident = login(wx_user["openid"])
    client.put("/api/v1/me/phone", headers=resident["headers"], json={"code": emulator.phone_code(wx_user["openid"])})
    client.put("/api/v1/me/real-name", headers=resident["headers"],
               json={"name": wx_user["name"], "id_number": wx_user["id_number"]})
    verify_id = client.post("/api/v1/me/face-verifications", headers=resident["headers"]).json["verify_id"]
    emulator.run_face(verify_id, 10004)
    failed = client.post("/api/v1/me/face-verifications/result", headers=resident["headers"],
                         json={"verify_id": verify_id})
    assert failed.json["code"] == "face_mismatch"
    return {**resident, "id_number": wx_user["id_number"]}


def _audit(action: str) -> list[AuditEntry]:
    return list(session().scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)))


def test_a_resident_whose_face_check_failed_is_raised_to_l3_in_person_and_sees_who_did_it(client, face_failed):
    officer = hall_officer(TIANHE)
    url = f"/api/v1/halls/{TIANHE}"
    found = client.post(f"{url}/person-lookups", headers=officer.headers, json={"id_number": face_failed["id_number"]})
    assert found.status_code == 200, found.json
    assert found.json["level"] == 2 and found.json["name"] == "*三"
    assert found.json["id_number"] == face_failed["id_number"][0] + "*" * 16 + face_failed["id_number"][-1]

    raised = client.post(f"{url}/in-person-verifications", headers=officer.headers,
                         json={"id_number": face_failed["id_number"].lower()})
    assert raised.status_code == 201, raised.json
    assert raised.json["level"] == 3 and raised.json["l3_method"] == "in_person"

    me = client.get("/api/v1/me", headers=face_failed["headers"]).json
    assert me["level"] == 3 and me["l3_method"] == "in_person" and me["l3_lapses_at"] is not None
    [act] = _audit("identity.in_person")
    assert (act.actor_type, act.actor_id, act.subject_id) == ("staff", str(officer.id), str(face_failed["account_id"]))
    assert act.details["hall_code"] == TIANHE and act.at is not None
    tracker = client.get("/api/v1/me/access-log", headers=face_failed["headers"]).json
    at_hall = [e for e in tracker if e["details"].get("hall") == "广州市天河区政务服务中心"]
    assert len(at_hall) == 2  # the look-up and the check
    assert all(e["actor"] == f"广东省公安厅 工作人员 {officer.id:03d}号" and "柜面核验" in e["purpose"]
               and e["data"] == ["姓名", "身份证号"] for e in at_hall)


def test_in_person_l3_lapses_like_a_face_check(client, face_failed):
    from datetime import timedelta

    from app import clock
    from config import get_settings

    officer = hall_officer(TIANHE)
    client.post(f"/api/v1/halls/{TIANHE}/in-person-verifications", headers=officer.headers,
                json={"id_number": face_failed["id_number"]})
    with clock.freeze(clock.now() + timedelta(days=get_settings().l3_max_age_days, seconds=1)):
        assert client.get("/api/v1/me", headers=face_failed["headers"]).json["level"] == 2


@pytest.mark.parametrize("who", ["other_hall", "agent", "supervisor", "admin"])
def test_an_officer_of_another_hall_or_other_staff_cannot_act_at_this_hall(client, face_failed, who):
    load_demo_catalogue()
    caller = hall_officer(FUTIAN) if who == "other_hall" else create_staff_member(
        role={"agent": AGENT, "supervisor": SUPERVISOR, "admin": "admin"}[who])
    expected = "not_this_hall" if who == "other_hall" else "role_required"
    url = f"/api/v1/halls/{TIANHE}"
    for path, body in (("person-lookups", {"id_number": face_failed["id_number"]}),
                       ("in-person-verifications", {"id_number": face_failed["id_number"]}),
                       ("real-name-lockout-lifts", {"id_number": face_failed["id_number"], "phone": "13800138000"})):
        refused = client.post(f"{url}/{path}", headers=caller.headers, json=body)
        assert (refused.status_code, refused.json["code"]) == (403, expected), path
    assert client.get("/api/v1/me", headers=face_failed["headers"]).json["level"] == 2
    assert _audit("identity.in_person") == []
    tracker = client.get("/api/v1/me/access-log", headers=face_failed["headers"]).json
    assert not [e for e in tracker if "hall" in e["details"]]


def test_a_resident_token_or_none_cannot_use_the_counter(client):
    resident = create_resident(L2)
    officer_url = f"/api/v1/halls/{TIANHE}/in-person-verifications"
    assert client.post(officer_url, json={"id_number": resident.id_number}).status_code == 401
    assert client.post(officer_url, headers=resident.headers, json={"id_number": resident.id_number}).status_code == 401


def test_bad_id_numbers_and_unknown_people_and_halls_are_refused(client):
    officer = hall_officer(TIANHE)
    url = f"/api/v1/halls/{TIANHE}/in-person-verifications"
    assert client.post(url, headers=officer.headers, json={"id_number": "12345"}).json["code"] == "id_number_format"
    good = new_id_number()
    wrong = good[:-1] + ("0" if good[-1] != "0" else "1")
    assert client.post(url, headers=officer.headers, json={"id_number": wrong}).json["code"] == "id_number_check_digit"
    nobody = client.post(url, headers=officer.headers, json={"id_number": good})
    assert (nobody.status_code, nobody.json["code"]) == (404, "person_not_found")
    [miss] = _audit("identity.in_person")
    assert miss.outcome == "person_not_found" and miss.actor_id == str(officer.id)
    assert client.post(url, headers=officer.headers, json={}).status_code == 422
    unknown = client.post("/api/v1/halls/no-such-hall/in-person-verifications", headers=officer.headers,
                          json={"id_number": good})
    assert (unknown.status_code, unknown.json["code"]) == (404, "hall_not_found")


def test_an_officer_lifts_a_real_name_lockout_for_the_person_in_front_of_them(client, emulator, login):
    user = emulator.create_user(phone="13700000009")
    resident = login(user["openid"])
    client.put("/api/v1/me/phone", headers=resident["headers"], json={"code": emulator.phone_code(user["openid"])})
    id_number = new_id_number()
    emulator.register_person("王五", id_number)
    for _ in range(3):  # three wrong names for one number: that number is locked for this account today
        assert client.put("/api/v1/me/real-name", headers=resident["headers"],
                          json={"name": "王六", "id_number": id_number}).json["code"] == "real_name_mismatch"
    right = {"name": "王五", "id_number": id_number}
    locked = client.put("/api/v1/me/real-name", headers=resident["headers"], json=right)
    assert locked.json["code"] == "real_name_attempts_exceeded"

    other = hall_officer(FUTIAN)
    lift = {"id_number": id_number, "phone": "13700000009"}
    assert client.post(f"/api/v1/halls/{TIANHE}/real-name-lockout-lifts", headers=other.headers,
                       json=lift).json["code"] == "not_this_hall"
    agent = create_staff_member(role=AGENT)
    assert client.post(f"/api/v1/halls/{TIANHE}/real-name-lockout-lifts", headers=agent.headers,
                       json=lift).json["code"] == "role_required"
    assert client.put("/api/v1/me/real-name", headers=resident["headers"],
                      json=right).json["code"] == "real_name_attempts_exceeded"

    officer = hall_officer(TIANHE)
    wrong_phone = client.post(f"/api/v1/halls/{TIANHE}/real-name-lockout-lifts", headers=officer.headers,
                              json={**lift, "phone": "13700000008"})
    assert wrong_phone.json["code"] == "person_not_found"
    lifted = client.post(f"/api/v1/halls/{TIANHE}/real-name-lockout-lifts", headers=officer.headers, json=lift)
    assert lifted.status_code == 204
    verified = client.put("/api/v1/me/real-name", headers=resident["headers"], json=right)
    assert verified.status_code == 200 and verified.json["level"] == 2
    [act] = [e for e in _audit("identity.real_name_limits_lifted") if e.outcome == "ok"]
    assert act.actor_id == str(officer.id) and act.details["hall_code"] == TIANHE
    tracker = client.get("/api/v1/me/access-log", headers=resident["headers"]).json
    assert any(e["details"].get("hall") == "广州市天河区政务服务中心" and e["data"] == ["手机号", "身份证号"]
               for e in tracker)


def test_only_an_admin_names_an_officers_hall_and_only_for_a_hall_officer(client):
    load_demo_catalogue()
    admin = create_staff_member(role="admin")
    officer = create_staff_member(role="hall_officer")
    agent = create_staff_member(role=AGENT)
    url = f"/api/v1/halls/{TIANHE}/officers"
    assert client.post(url, headers=officer.headers, json={"staff_id": officer.id}).json["code"] == "role_required"
    assert client.get("/api/v1/staff/hall", headers=officer.headers).json["code"] == "not_this_hall"
    assert client.post(url, headers=admin.headers, json={"staff_id": agent.id}).json["code"] == "not_hall_officer"
    assert client.post(url, headers=admin.headers, json={"staff_id": 99999}).status_code == 404
    assert client.post(url, headers=admin.headers, json={"staff_id": "x"}).status_code == 422
    assert client.post(url, headers=admin.headers, json={"staff_id": officer.id}).status_code == 204
    mine = client.get("/api/v1/staff/hall", headers=officer.headers)
    assert mine.status_code == 200 and mine.json["code"] == TIANHE
    assert client.get("/api/v1/staff/hall", headers=agent.headers).json["code"] == "not_this_hall"


def test_a_hall_officer_works_no_ticket_queue(client):
    officer = hall_officer(TIANHE)
    queue = client.get("/api/v1/staff/tickets", headers=officer.headers)
    assert (queue.status_code, queue.json["code"]) == (403, "role_required")


def test_the_demo_hall_officer_logs_in_and_works_at_tianhe(client):
    import time

    from app.cli import seed_demo_data
    from app.halls.demo import DEMO_HALL_OFFICER as demo
    from app.security.totp import totp_code

    seed_demo_data()
    seed_demo_data()
    login = client.post("/api/v1/staff/sessions", json={"username": demo.username, "password": demo.password,
                                                        "totp": totp_code(demo.totp_secret, int(time.time()))})
    assert login.status_code == 201 and login.json["staff"]["role"] == "hall_officer"
    mine = client.get("/api/v1/staff/hall", headers={"Authorization": f"Bearer {login.json['access_token']}"})
    assert mine.json["code"] == TIANHE


def test_a_hall_officer_sees_who_they_are_and_logs_out(client):
    officer = hall_officer(TIANHE)
    me = client.get("/api/v1/staff/me", headers=officer.headers)
    assert me.status_code == 200 and me.json["role"] == "hall_officer"
    assert client.delete("/api/v1/staff/sessions/current", headers=officer.headers).status_code == 204
    assert client.get("/api/v1/staff/me", headers=officer.headers).json["code"] == "session_revoked"
