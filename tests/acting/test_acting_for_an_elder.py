"""A daughter with an "apply for services" grant renews her 80-year-old father's ID card for him."""

from __future__ import annotations

from datetime import date

from tests.support.acting import acting, proxy_grant, ref_for
from tests.support.applications import resident_with_id_card
from tests.support.residents import create_resident


def test_a_relative_applies_for_an_elder_until_the_grant_is_revoked(client):
    father = resident_with_id_card(client, name="陈伯", birth=date(1946, 3, 8))
    daughter = create_resident(name="陈美玲")  # the service needs L3: of whoever does it
    grant_id = proxy_grant(client, father, daughter, ["apply_services"])
    as_father = acting(daughter, ref_for(client, daughter, "陈伯"))

    drafted = client.post("/api/v1/applications", headers=as_father, json={"service_code": "gd-gat-sfz-hl"})
    assert drafted.status_code == 201, drafted.json
    fields = {f["key"]: f["value"] for f in drafted.json["fields"]}
    assert fields["name"] == "陈伯"  # prefilled from the father's records, not the daughter's
    application_id = drafted.json["id"]
    mine = client.get("/api/v1/me/applications", headers=father.headers).json
    assert [a["id"] for a in mine] == [application_id]
    assert client.get("/api/v1/me/applications", headers=daughter.headers).json == []
    log = client.get("/api/v1/me/access-log", headers=father.headers).json
    assert ("陈美玲（代办人）", "代办：为您申请办事事项") in [(e["actor"], e["purpose"]) for e in log]
    # Scopes hold: she was not given his certificates.
    wallet = client.get("/api/v1/me/certificates", headers=as_father)
    assert (wallet.status_code, wallet.json["code"]) == (403, "acting_refused")

    assert client.delete(f"/api/v1/me/proxy-grants/{grant_id}", headers=father.headers).status_code == 204
    again = client.post("/api/v1/applications", headers=as_father, json={"service_code": "gd-gat-sfz-hl"})
    assert (again.status_code, again.json["code"]) == (403, "acting_refused")
    submit = client.post(f"/api/v1/applications/{application_id}/submit", headers=as_father, json={})
    assert (submit.status_code, submit.json["code"]) == (403, "acting_refused")
    assert [a["state"] for a in client.get("/api/v1/me/applications", headers=father.headers).json] == ["draft"]
