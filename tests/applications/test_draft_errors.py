"""A draft for someone else's child or an unknown birth answers its own documented code."""

from __future__ import annotations

from tests.support.applications import draft, resident_with_id_card


def test_a_draft_for_a_child_not_mine_answers_child_not_found_and_an_unknown_birth_birth_record_not_found(client):
    parent = resident_with_id_card(client, name="王芳", expires_in_days=3000)
    child = draft(client, parent, "gd-wsjkw-csyjs", expect=404, child_person_id=987654)
    assert child["code"] == "child_not_found" and child["message"] == "子女记录不存在"
    birth = draft(client, parent, "gd-wsjkw-csyjs", expect=404, life_event_id=987654)
    assert birth["code"] == "birth_record_not_found"
    documented = client.get("/api/openapi.json").json["paths"]["/api/v1/applications"]["post"]["responses"]
    assert {"child_not_found", "birth_record_not_found"} <= set(documented["404"]["x-error-codes"])
