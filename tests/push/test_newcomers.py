"""A resident verified today gets the reminders already open for them at once, not at the next daily
scan; the daily scan later writes them nothing twice."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app import clock
from app.db import remove_session
from app.db import session as db_session
from app.identity.models import Account
from app.push import scans
from app.push.newcomers import scan_person
from tests.support.certificates import full_authority, issue_certificate
from tests.support.jobs import run_queued_jobs
from tests.support.residents import new_id_number


def inbox(client, headers) -> list[dict]:
    return client.get("/api/v1/me/notifications?page_size=50", headers=headers).json


def verify_real_name(client, emulator, login, name: str, id_number: str) -> dict:
    user = emulator.create_user(phone="13700000777", name=name, id_number=id_number)
    emulator.register_person(name, id_number)
    session = login(user["openid"])
    assert client.put("/api/v1/me/phone", headers=session["headers"],
                      json={"code": emulator.phone_code(user["openid"])}).status_code == 200
    assert client.put("/api/v1/me/real-name", headers=session["headers"],
                      json={"name": name, "id_number": id_number}).status_code == 200
    session["account_id"] = db_session().scalar(select(Account.id).where(Account.provider_uid == user["openid"]))
    remove_session()  # no snapshot held open across the worker's writes
    return session


def test_a_new_resident_whose_id_card_expires_soon_is_told_at_once_and_the_daily_scan_adds_nothing(
        client, emulator, login):
    id_number = new_id_number()
    authority = full_authority()
    issue_certificate(client, authority, id_number, holder_name="陈小明",
                      expires_on=clock.today() + timedelta(days=40))  # sent before the resident ever logged in
    session = verify_real_name(client, emulator, login, "陈小明", id_number)
    run_queued_jobs()
    titles = [n["title"] for n in inbox(client, session["headers"])]
    assert titles == ["身份证即将到期"]
    assert scans.scan_now() == 0  # the next daily scan: the same dedupe key, nothing new
    assert scan_person(session["account_id"]) == 0  # a redelivered job: nothing new either
    remove_session()
    assert [n["title"] for n in inbox(client, session["headers"])] == ["身份证即将到期"]
    log = client.get("/api/v1/me/access-log", headers=session["headers"]).json
    # The scan's read of their certificate is on their data tracker, once.
    assert [e["data"] for e in log if e["actor_type"] == "system"] == [["证照的有效期"]]


def test_a_new_resident_with_nothing_due_gets_nothing(client, emulator, login):
    id_number = new_id_number()
    issue_certificate(client, full_authority(), id_number, holder_name="陈小明",
                      expires_on=clock.today() + timedelta(days=400))
    session = verify_real_name(client, emulator, login, "陈小明", id_number)
    run_queued_jobs()
    assert inbox(client, session["headers"]) == []
