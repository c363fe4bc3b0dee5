"""谁看了我的数据: every disclosure of a person's data outside yss (the population registry at
real-name verification, WeChat for the face check), yss's own scans over their records and every
staff read are in their data tracker, in plain Chinese: who, what, why, when."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from app import clock
from app.audit.disclosures import record_read
from app.audit.log import Actor
from app.push import scans
from tests.support.certificates import full_authority, issue_certificate
from tests.support.credentials import Device, receive
from tests.support.residents import create_resident, new_id_number
from tests.support.staff import create_staff_member, load_demo_catalogue
from tests.support.tickets import ticket_in_state

INTERNAL_KEY = re.compile(r"^[a-z0-9_.]+$")


@pytest.fixture
def verified(client, emulator, login):
    """A resident who went through real-name verification over HTTP, as the app does it."""
    user = emulator.create_user(phone="13700000901")
    session = login(user["openid"])
    client.put("/api/v1/me/phone", headers=session["headers"], json={"code": emulator.phone_code(user["openid"])})
    number = new_id_number()
    emulator.register_person("赵六", number)
    assert client.put("/api/v1/me/real-name", headers=session["headers"],
                      json={"name": "赵六", "id_number": number}).status_code == 200
    return session


def _log(client, headers) -> list[dict]:
    response = client.get("/api/v1/me/access-log", headers=headers)
    assert response.status_code == 200, response.json
    for entry in response.json:  # never an internal key, whoever wrote the entry
        assert not INTERNAL_KEY.match(entry["actor"]) and not INTERNAL_KEY.match(entry["purpose"] or "x")
        assert not any(INTERNAL_KEY.match(item) for item in entry["data"]), entry
    return response.json


def test_real_name_verification_shows_what_went_to_the_population_registry(client, verified):
    [entry] = _log(client, verified["headers"])
    assert (entry["actor_type"], entry["actor"]) == ("outside", "公安机关人口信息库")
    assert entry["data"] == ["姓名", "身份证号"]
    assert entry["purpose"] == "实名认证：核对您填写的姓名与身份证号是否一致"
    assert entry["at"]


def test_starting_a_face_check_shows_what_went_to_wechat(client, verified):
    assert client.post("/api/v1/me/face-verifications", headers=verified["headers"]).status_code == 201
    newest = _log(client, verified["headers"])[0]
    assert (newest["actor"], newest["data"], newest["purpose"]) == (
        "微信（腾讯公司）", ["姓名", "身份证号"], "人脸核身：确认是您本人在操作")


def test_a_scan_over_my_certificates_is_in_my_tracker(client):
    resident = create_resident()
    issue_certificate(client, full_authority(), resident.id_number, expires_on=clock.today() + timedelta(days=30))
    assert scans.scan_now(only="id_card_expiring") == 1
    [entry] = _log(client, resident.headers)
    assert (entry["actor_type"], entry["actor"]) == ("system", "粤省事平台（自动处理）")
    assert (entry["data"], entry["purpose"]) == (["证照的有效期"], "主动服务：判断是否有需要提醒您办理的事项")
    assert scans.scan_now(only="id_card_expiring") == 0
    assert len(_log(client, resident.headers)) == 1  # a repeated scan wrote nothing, recorded nothing


def test_staff_are_shown_by_department_and_number_never_by_name(client):
    load_demo_catalogue()
    resident = create_resident(name="陈小明")
    police = create_staff_member(display_name="王警官")
    ticket = ticket_in_state(resident.account_id, police, "assigned")
    client.get(f"/api/v1/staff/tickets/{ticket.id}/requester", headers=police.headers)
    [entry] = _log(client, resident.headers)
    assert entry["actor"] == f"广东省公安厅 工作人员 {police.id:03d}号"
    assert "王警官" not in str(entry) and police.username not in str(entry)
    assert entry["details"] == {"ticket_id": ticket.id}


def test_the_recorder_refuses_a_key_the_data_catalogue_does_not_name():
    resident = create_resident()
    with pytest.raises(ValueError):
        record_read(resident.account_id, by=Actor("verifier"), data=["certificate.driving_licence、age_over_18"],
                    purpose="certificate_verification")
    with pytest.raises(ValueError):
        record_read(resident.account_id, by=Actor("outside", "somewhere"), data=["name"], purpose="face_check")


def test_a_verifier_sees_the_certificate_and_claims_by_their_names(client):
    resident = create_resident(birth=date(1990, 5, 17))
    issue_certificate(client, full_authority(), resident.id_number, type="driving_licence",
                      expires_on=clock.today() + timedelta(days=3000), vehicle_class="C1")
    cert_id = client.get("/api/v1/me/certificates", headers=resident.headers).json[0]["id"]
    device = Device()
    presentation = device.present(receive(client, resident.headers, cert_id, device),
                                  ["name", "vehicle_class", "age_over_18"])
    assert client.post("/api/v1/verify", json={"presentation": presentation}).status_code == 200
    [entry] = _log(client, resident.headers)
    assert entry["data"] == ["电子证照：机动车驾驶证", "是否年满18周岁", "姓名", "准驾车型"]
    assert entry["purpose"] == "核验您出示的电子证照"
