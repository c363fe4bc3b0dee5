"""What the 办事 pages read after an ID card renewal: who acted in the timeline, the rating, the
wallet and the renewed card's disclosable claims."""

from __future__ import annotations

from typing import Any

from tests.support.applications import act, draft, police_staff, resident_with_id_card
from tests.support.credentials import Device, receive


def renew(client: Any, *, approve: bool = True, card_number: str | None = None) -> dict[str, Any]:
    resident = resident_with_id_card(client, name="张三", card_number=card_number)
    staff = police_staff()
    application = draft(client, resident, "gd-gat-sfz-hl")
    old_card_id = {m["code"]: m for m in application["materials"]}["old_card"]["certificate_id"]
    client.patch(f"/api/v1/applications/{application['id']}", headers=resident.headers,
                 json={"fields": {"reason": "有效期满", "mailing_address": "广州市天河区体育西路1号"}})
    act(client, resident, f"/applications/{application['id']}/submit")
    act(client, staff, f"/staff/applications/{application['id']}/accept", opinion="材料齐全")
    done = act(client, staff, f"/staff/applications/{application['id']}/approve", opinion="准予换领") \
        if approve else None
    return {"resident": resident, "staff": staff, "id": application["id"], "old_card_id": old_card_id,
            "card_id": done["result"]["certificate_id"] if done else None}


def test_the_timeline_shows_the_staff_member_by_department_and_number_as_the_data_tracker_does(client):
    case = renew(client, approve=False)
    events = client.get(f"/api/v1/applications/{case['id']}/events", headers=case["resident"].headers).json
    accepted = next(e for e in events if e["kind"] == "accepted")
    assert accepted["actor"] == f"广东省公安厅 工作人员 {case['staff'].id:03d}号"
    assert "#" not in accepted["actor"] and case["staff"].display_name not in accepted["actor"]


def test_the_application_carries_my_rating_score_and_comment_once_rated_and_none_before(client):
    case = renew(client)
    path, headers = f"/api/v1/applications/{case['id']}", case["resident"].headers
    assert client.get(path, headers=headers).json["rating"] is None
    rated = act(client, case["resident"], f"/applications/{case['id']}/rating", expect=201, score=4, comment="很快")
    again = client.get(path, headers=headers).json
    assert again["rating"] == {"score": 4, "comment": "很快"} and again["rating_id"] == rated["id"]


def test_after_a_renewal_the_wallet_holds_the_new_card_valid_and_the_old_one_no_longer_current(client):
    case = renew(client, card_number="440106IDOLD1")  # the old card under a number of its own
    wallet = client.get("/api/v1/me/certificates", headers=case["resident"].headers).json
    cards = {c["id"]: c for c in wallet if c["type"] == "resident_id_card"}
    assert set(cards) == {case["card_id"], case["old_card_id"]} and case["card_id"] != case["old_card_id"]
    assert cards[case["card_id"]]["status"] == "valid"
    assert cards[case["old_card_id"]]["status"] == "revoked"  # superseded, not 即将到期 beside the new one
    assert sum(c["status"] in ("valid", "expiring") for c in cards.values()) == 1


def test_a_card_renewed_under_the_same_number_is_replaced_in_place_and_stays_valid(client):
    case = renew(client)
    wallet = client.get("/api/v1/me/certificates", headers=case["resident"].headers).json
    [card] = [c for c in wallet if c["type"] == "resident_id_card"]
    assert card["id"] == case["card_id"] == case["old_card_id"] and card["status"] == "valid"


def test_the_renewed_card_discloses_no_link_to_the_application(client):
    case = renew(client)
    card = client.get(f"/api/v1/me/certificates/{case['card_id']}", headers=case["resident"].headers).json
    assert "application" not in card["claims"] and card["claims"]["name"] == "张三"
    credential = receive(client, case["resident"].headers, case["card_id"], Device())
    assert "application" not in credential["disclosures"] and "name" in credential["disclosures"]
    application = client.get(f"/api/v1/applications/{case['id']}", headers=case["resident"].headers).json
    assert application["result"]["certificate_id"] == case["card_id"]  # the link stays on the application
