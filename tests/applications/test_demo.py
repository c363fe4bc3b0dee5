"""The demo data carries the 办事 journey: 张三's ID card is near expiry and was issued by 广东省公安厅,
so the demo police staff can renew it and the new card lands in his wallet."""

from __future__ import annotations

from app.cli import seed_demo_data
from app.people.demo import DEMO_RESIDENTS
from tests.support.applications import act
from tests.support.residents import create_resident
from tests.support.staff import create_staff_member


def test_zhang_san_renews_his_expiring_demo_id_card(client):
    seed_demo_data()
    zhang = DEMO_RESIDENTS[0]
    resident = create_resident(name=zhang["name"], id_number=zhang["id_number"])
    [card] = [c for c in client.get("/api/v1/me/certificates", headers=resident.headers).json
              if c["type"] == "resident_id_card"]
    assert card["status"] == "expiring"
    application = act(client, resident, "/applications", expect=201, service_code="gd-gat-sfz-hl",
                      origin="push:id_card_expiring")
    fields = {f["key"]: f for f in application["fields"]}
    assert fields["card_expires_on"]["value"] == card["expires_on"]
    missing = {k: "有效期满" if k == "reason" else "广州市天河区体育西路1号"
               for k, f in fields.items() if f["required"] and not f["value"]}
    filled = client.patch(f"/api/v1/applications/{application['id']}", headers=resident.headers,
                          json={"fields": missing}).json
    # Of the 8 fields, 6 come from what the government holds; 张三 types the reason and a mailing address.
    assert (filled["prefilled_count"], filled["typed_count"], sorted(missing)) == (6, 2, ["mailing_address", "reason"])
    act(client, resident, f"/applications/{application['id']}/submit")
    police = create_staff_member(departments=("gd-gat",))
    act(client, police, f"/staff/applications/{application['id']}/accept")
    done = act(client, police, f"/staff/applications/{application['id']}/approve", opinion="准予换领")
    assert done["result"]["certificate_id"] == card["id"]  # the same card, renewed
    [renewed] = [c for c in client.get("/api/v1/me/certificates", headers=resident.headers).json
                 if c["type"] == "resident_id_card"]
    assert renewed["status"] == "valid" and renewed["expires_on"] > card["expires_on"]
