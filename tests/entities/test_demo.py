"""The demo companies load idempotently and work end to end with the registry emulator."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from app.cli import SEEDERS
from app.db import session
from app.entities.demo import DEMO_ENTITIES, seed
from app.entities.uscc import validate_uscc
from app.identity.id_number import parse_id_number
from app.licences import demo as licences_demo
from app.licences.models import Licence
from tests.support.residents import create_resident


def test_demo_companies_have_valid_codes_and_representatives():
    assert SEEDERS.index("app.entities.demo") < SEEDERS.index("app.licences.demo")
    for demo in DEMO_ENTITIES:
        assert validate_uscc(demo["uscc"]) == demo["uscc"]
        parse_id_number(demo["legal_representative"]["id_number"], today=date(2026, 1, 1))
    assert {d["registered_address"][:3] for d in DEMO_ENTITIES} == {"广州市", "深圳市"}


def test_seeding_twice_changes_nothing_and_the_demo_representative_can_bind_and_see_licences(client, emulator):
    seed(), licences_demo.seed()
    seed(), licences_demo.seed()
    assert session().scalar(select(func.count()).select_from(Licence)) == 5
    demo = DEMO_ENTITIES[0]
    rep = demo["legal_representative"]
    emulator.register_entity(**demo)
    me = create_resident(name=rep["name"], id_number=rep["id_number"])

    assert client.post("/api/v1/me/entities", json={"uscc": demo["uscc"]}, headers=me.headers).status_code == 201
    expiring = client.get(f"/api/v1/entities/{demo['uscc']}/licences", query_string={"status": "expiring"},
                          headers=me.headers).json
    assert [item["licence_type"] for item in expiring] == ["food_business_licence"]
    suspended = client.post("/api/v1/licences/check", json={"numbers": ["粤交运管许可深字440300123456号"]}).json
    assert suspended["results"][0]["status"] == "suspended"
