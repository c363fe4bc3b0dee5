"""Population and market-regulation registries over their JSON wire format."""

from __future__ import annotations

from .client import Emulator

VERIFY = "/registry/population/v1/verify"
USCC = "91440300MA5FXXXX0X"
REP = {"name": "李四", "id_number": "440301199001011234"}


def test_population_verify(emulator: Emulator) -> None:
    emulator.ok(
        "POST", "/registry/persons", {"name": "张三", "id_number": "11010519491231002x", "status": "alive"}
    )
    emulator.ok(
        "POST", "/registry/persons", {"name": "王五", "id_number": "110105194912310037", "status": "deceased"}
    )
    match = emulator.post(VERIFY, {"name": "张三", "id_number": "11010519491231002X"})
    assert match.status_code == 200 and match.json()["result"] == "match" and match.json()["request_id"]
    assert (
        emulator.post(VERIFY, {"name": "张四", "id_number": "11010519491231002X"}).json()["result"]
        == "mismatch"
    )
    assert emulator.post(VERIFY, {"name": "张三", "id_number": "999"}).json()["result"] == "mismatch"
    assert (
        emulator.post(VERIFY, {"name": "王五", "id_number": "110105194912310037"}).json()["result"]
        == "deceased"
    )
    bad = emulator.post(VERIFY, {"name": "张三"})
    assert bad.status_code == 400 and bad.json()["code"] == "bad_request"


def test_market_entity_and_legal_representative(emulator: Emulator) -> None:
    entity = {
        "uscc": USCC,
        "name": "深圳市示例科技有限公司",
        "type": "有限责任公司",
        "status": "operating",
        "registered_address": "深圳市南山区",
        "legal_representative": REP,
    }
    emulator.ok("POST", "/registry/entities", entity)
    got = emulator.get(f"/registry/market/v1/entities/{USCC}")
    assert got.json() == {k: v for k, v in entity.items() if k != "legal_representative"}
    missing = emulator.get("/registry/market/v1/entities/91440300MA5FYYYY0Y")
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"
    check = emulator.post("/registry/market/v1/legal-representative/check", {"uscc": USCC, **REP}).json()
    assert check == {
        "uscc": USCC,
        "entity_name": entity["name"],
        "status": "operating",
        "is_legal_representative": True,
    }
    # A change of representative is an upsert.
    emulator.ok(
        "POST", "/registry/entities", {**entity, "legal_representative": {"name": "赵六", "id_number": "1"}}
    )
    after = emulator.post("/registry/market/v1/legal-representative/check", {"uscc": USCC, **REP}).json()
    assert after["is_legal_representative"] is False
    unknown = emulator.post("/registry/market/v1/legal-representative/check", {**REP, "uscc": "X" * 18})
    assert unknown.status_code == 404


def test_registry_faults(emulator: Emulator) -> None:
    for kind, status in [("busy", 503), ("rate_limit", 429), ("blocked", 403), ("http_500", 500)]:
        emulator.ok("POST", "/faults", {"path": VERIFY, "kind": kind})
        assert emulator.post(VERIFY, {"name": "a", "id_number": "b"}).status_code == status
    assert emulator.post(VERIFY, {"name": "a", "id_number": "b"}).status_code == 200
