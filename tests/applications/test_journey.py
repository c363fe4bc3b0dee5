"""The ID card renewal journey through the API: a prefilled draft whose authoritative fields show
their source, the ID card attached by reference, submitted, accepted and approved by the police,
the renewed card in the wallet, every step in the timeline and the inbox, and one rating."""

from __future__ import annotations

from tests.support.applications import act, draft, police_staff, resident_with_id_card
from tests.support.credentials import Device, receive


def test_an_id_card_is_renewed_online_from_a_prefilled_draft_to_the_wallet(client):
    resident = resident_with_id_card(client, name="张三")
    staff = police_staff()
    application = draft(client, resident, "gd-gat-sfz-hl", origin="push:id_card_expiring")
    assert application["number"].startswith("YSS-") and application["state"] == "draft"
    fields = {f["key"]: f for f in application["fields"]}
    assert fields["name"]["value"] == "张三" and fields["name"]["authoritative"] and not fields["name"]["editable"]
    assert fields["card_expires_on"]["source_label"].startswith("来自：") and "居民身份证" in fields[
        "card_expires_on"]["source_label"]
    assert fields["phone"]["editable"] and fields["phone"]["value"] == resident.phone
    old_card = {m["code"]: m for m in application["materials"]}["old_card"]
    assert old_card["satisfied"] and old_card["certificate_id"]

    # The same draft comes back when asked again; a locked field cannot be changed.
    assert draft(client, resident, "gd-gat-sfz-hl")["id"] == application["id"]
    locked = client.patch(f"/api/v1/applications/{application['id']}", headers=resident.headers,
                          json={"fields": {"name": "李四"}})
    assert locked.status_code == 422 and locked.json["code"] == "field_locked"
    filled = client.patch(f"/api/v1/applications/{application['id']}", headers=resident.headers,
                          json={"fields": {"reason": "有效期满", "mailing_address": "广州市天河区体育西路1号"}}).json
    # 6 of 8 fields came from what the government holds; the applicant typed 2.
    assert (filled["prefilled_count"], filled["typed_count"]) == (6, 2)

    submitted = act(client, resident, f"/applications/{application['id']}/submit")
    assert submitted["state"] == "submitted"
    case = client.get(f"/api/v1/staff/applications/{application['id']}", headers=staff.headers).json
    assert case["applicant"]["name"] == "张三"
    accepted = act(client, staff, f"/staff/applications/{application['id']}/accept", opinion="材料齐全")
    assert accepted["state"] == "accepted" and accepted["deadline"]["due_at"]
    done = act(client, staff, f"/staff/applications/{application['id']}/approve", opinion="准予换领")
    assert done["state"] == "completed" and done["decision"] == "approved"
    card_id = done["result"]["certificate_id"]
    wallet = client.get("/api/v1/me/certificates", headers=resident.headers).json
    renewed = next(c for c in wallet if c["id"] == card_id)
    assert renewed["status"] == "valid" and renewed["expires_on"] > "2040-01-01"
    device = Device()  # the renewed card goes onto the phone as an SD-JWT and verifies
    presentation = device.present(receive(client, resident.headers, card_id, device), ["name", "expires_on"])
    assert client.post("/api/v1/verify", json={"presentation": presentation}).status_code == 200

    kinds = [e["kind"] for e in client.get(f"/api/v1/applications/{application['id']}/events",
                                           headers=resident.headers).json]
    assert kinds == ["created", "submitted", "accepted", "approved", "completed"]
    inbox = client.get("/api/v1/me/notifications", headers=resident.headers).json
    titles = {n["title"] for n in inbox}
    assert {"办件已提交", "办件已受理", "办件已批准", "办件已办结"} <= titles

    rated = act(client, resident, f"/applications/{application['id']}/rating", expect=201, score=5)
    assert rated["score"] == 5
    again = client.post(f"/api/v1/applications/{application['id']}/rating", headers=resident.headers,
                        json={"score": 1})
    assert again.status_code == 409 and again.json["code"] == "application_already_rated"
