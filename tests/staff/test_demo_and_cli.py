"""The seeder loads the catalogue and demo staff; the CLI creates the first admin."""

import time

from sqlalchemy import func, select

from app.db import session
from app.security.totp import totp_code
from app.staff import demo
from app.staff.catalogue import read_catalogue
from app.staff.models import Department, Service


def test_seeding_twice_loads_the_catalogue_and_demo_staff_once(client):
    demo.seed()
    demo.seed()
    entries = read_catalogue()
    assert session().scalar(select(func.count()).select_from(Department)) == len(entries)
    assert session().scalar(select(func.count()).select_from(Service)) == sum(len(e.services) for e in entries)
    names = {s.name for s in session().scalars(select(Service))}
    assert {"居民身份证换领", "社保卡补办", "营业执照变更登记", "食品经营许可证延续", "机动车驾驶证换证",
            "居住证签注"} <= names
    for member in demo.DEMO_STAFF:
        response = client.post("/api/v1/staff/sessions", json={
            "username": member.username, "password": member.password,
            "totp": totp_code(member.totp_secret, int(time.time()))})
        assert response.status_code == 201, member.username
        assert response.json["staff"]["role"] == member.role


def test_the_public_catalogue_lists_departments_and_their_services(client):
    demo.seed()
    departments = client.get("/api/v1/departments").json
    gat = next(d for d in departments if d["name"] == "广东省公安厅")
    services = client.get(f"/api/v1/services?department_id={gat['id']}").json
    assert "居民身份证换领" in {s["name"] for s in services}
    assert {s["department_id"] for s in services} == {gat["id"]}


def test_create_admin_prints_a_password_and_the_totp_uri_once(app):
    result = app.test_cli_runner().invoke(args=["staff", "create-admin", "--username", "root.admin",
                                                "--display-name", "系统管理员"])
    assert result.exit_code == 0, result.output
    assert "password: " in result.output
    assert "otpauth://totp/yss:root.admin?secret=" in result.output
