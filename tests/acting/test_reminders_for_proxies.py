"""Reminders for someone reach whoever holds their "receive reminders" grant, saying for whom."""

from __future__ import annotations

from datetime import timedelta

from app import clock
from app.push import scans
from tests.support.acting import acting, proxy_grant, ref_for
from tests.support.certificates import full_authority, issue_certificate
from tests.support.residents import create_resident


def test_an_id_card_reminder_reaches_the_proxy_with_a_for_whom_line_and_stops_when_revoked(client):
    father = create_resident(name="王建国")
    daughter, son = create_resident(level=2, name="王芳"), create_resident(level=2, name="王强")
    expires = clock.today() + timedelta(days=60)  # within the 90 days before: the scan today fires
    issue_certificate(client, full_authority(), father.id_number, expires_on=expires, number=father.id_number)
    proxy_grant(client, father, daughter, ["receive_reminders"])
    revoked = proxy_grant(client, father, son, ["receive_reminders"])
    assert client.delete(f"/api/v1/me/proxy-grants/{revoked}", headers=father.headers).status_code == 204
    assert scans.scan_now(only="id_card_expiring") == 2  # the father's, and the copy for his daughter
    assert scans.scan_now(only="id_card_expiring") == 0
    own = client.get("/api/v1/me/notifications", headers=father.headers).json
    copy = client.get("/api/v1/me/notifications", headers=daughter.headers).json
    assert [n["title"] for n in own] == [n["title"] for n in copy] == ["身份证即将到期"]
    assert copy[0]["body"] == f"【为王建国代收】{own[0]['body']}"
    assert copy[0]["why"]["for_whom"] == "王建国"
    assert client.get("/api/v1/me/notifications", headers=son.headers).json == []
    # With the same grant she may also open his inbox by acting for him.
    theirs = client.get("/api/v1/me/notifications", headers=acting(daughter, ref_for(client, daughter, "王建国")))
    assert [n["id"] for n in theirs.json] == [own[0]["id"]]
