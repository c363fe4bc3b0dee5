"""Demo data: a demo resident who verifies with a demo ID number finds their records waiting."""

from app.cli import seed_demo_data
from app.people.demo import DEMO_RESIDENTS
from tests.support.residents import create_resident


def test_a_demo_resident_sees_their_timeline_and_an_id_card_expiring_in_60_days(client):
    seed_demo_data()
    seed_demo_data()  # idempotent
    zhang = DEMO_RESIDENTS[0]
    resident = create_resident(name=zhang["name"], id_number=zhang["id_number"])
    certificates = client.get("/api/v1/me/certificates", headers=resident.headers).json
    id_cards = [c for c in certificates if c["type"] == "resident_id_card"]
    assert len(id_cards) == 1 and id_cards[0]["status"] == "expiring"
    assert len(certificates) == 4
    events = client.get("/api/v1/me/life-events", headers=resident.headers).json
    assert events[0]["type"] == "childbirth" and len(events) == 5
    household = client.get("/api/v1/me/profile", headers=resident.headers).json["household"]
    assert sorted(h["relation"] for h in household) == ["child", "spouse"]
