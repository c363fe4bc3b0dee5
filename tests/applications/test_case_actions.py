"""The case staff open lists the steps its state allows, read from the lifecycle's transition table."""

from __future__ import annotations

from app.applications.lifecycle import TRANSITIONS
from tests.support.applications import act, draft, police_staff, resident_with_id_card


def test_a_case_offers_staff_exactly_the_steps_its_state_allows_as_it_moves_on(client):
    resident = resident_with_id_card(client, name="张三")
    staff = police_staff()
    application = draft(client, resident, "gd-gat-sfz-hl")
    client.patch(f"/api/v1/applications/{application['id']}", headers=resident.headers,
                 json={"fields": {"reason": "有效期满", "mailing_address": "广州市天河区体育西路1号"}})
    act(client, resident, f"/applications/{application['id']}/submit")
    path = f"/api/v1/staff/applications/{application['id']}"

    def allowed() -> list[str]:
        return client.get(path, headers=staff.headers).json["allowed_actions"]

    assert allowed() == ["accept", "refuse", "request_supplement"]
    act(client, staff, f"/staff/applications/{application['id']}/accept", opinion="材料齐全")
    assert allowed() == ["review", "request_supplement", "approve", "reject"]
    assert all("accepted" in TRANSITIONS[a][0] for a in allowed())
    act(client, staff, f"/staff/applications/{application['id']}/approve", opinion="准予换领")
    assert allowed() == []  # completed: nothing left for staff
