"""The service guides are data, checked at start (a bad entry names the file and the field), and
public: searched by Chinese keyword, department and who may apply, and shown in full."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from app.applications.guides import GUIDES_FILE, guides, load_guides
from app.datafiles import LOADERS, DataFileError


def test_the_catalogue_holds_enough_believable_guides(client):
    found = guides()
    assert len(found) >= 30 and len({g.department_code for g in found.values()}) >= 6
    assert sum(1 for g in found.values() if g.channel == "online" and g.prefilled) >= 10
    assert sum(1 for g in found.values() if g.result.kind in ("certificate", "licence")) >= 3
    assert found["gd-gat-sfz-hl"].result.type == "resident_id_card"
    assert sum(1 for g in found.values() if g.decision_rule) >= 3
    assert all(g.conditions and g.legal_basis and g.promised_days <= g.statutory_days for g in found.values())
    assert "app.applications.guides:guides" in LOADERS


@pytest.mark.parametrize(("change", "field"), [
    (('service = "gd-gat-sfz-hl"', 'service = "gd-gat-nope"'), "guides[gd-gat-nope].service"),
    (('source = "person.name"', 'source = "person.shoe_size"'), "guides[gd-gat-sfz-hl].fields[0].source"),
    (("promised_days = 15", "promised_days = 90"), "guides[gd-gat-sfz-hl].promised_days"),
    (('type = "resident_id_card" },', 'type = "passport" },'), "guides[gd-gat-sfz-hl].materials[0].type"),
    (('op = "in", value = ["valid", "expiring"] },\n  { fact = "person.age"',
      'op = "in", value = ["valid", "expiring"] },\n  { fact = "form.age"'),
     "guides[gd-gat-jzz-qz].decision_rule.conditions[1].fact"),
])
def test_a_bad_entry_names_the_file_and_the_field(tmp_path: Path, change, field):
    text = GUIDES_FILE.read_text(encoding="utf-8")
    assert change[0] in text
    bad = tmp_path / "service_guides.toml"
    bad.write_text(text.replace(change[0], change[1], 1), encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        load_guides(bad)
    assert caught.value.path == str(bad) and caught.value.field == field


def test_guides_are_searched_by_chinese_keyword_department_and_applicant(client):
    by_word = client.get("/api/v1/service-guides?q=驾驶证").json
    assert {"gd-jgj-jsz-hz", "gd-jgj-jsz-bz"} <= {g["code"] for g in by_word}
    both_words = client.get("/api/v1/service-guides?q=驾驶证 补").json
    assert [g["code"] for g in both_words] == ["gd-jgj-jsz-bz"]
    police = client.get("/api/v1/service-guides?department=gd-gat&page_size=50").json
    assert police and {g["department_code"] for g in police} == {"gd-gat"}
    companies = client.get("/api/v1/service-guides?applicant=entity&page_size=50").json
    assert companies and {g["applicant"] for g in companies} <= {"entity", "both"}
    paged = client.get("/api/v1/service-guides?page_size=5&page=2")
    assert len(paged.json) == 5 and json.loads(paged.headers["X-Pagination"])["total"] == len(guides())
    guide = client.get("/api/v1/service-guides/gd-jgj-jsz-hz").json
    assert guide["instant"] and guide["decision_rule"]["id"] == "jsz_hz_in_window"
    assert guide["fields"][0]["source"] == "person.name" and guide["fields"][0]["authoritative"]
    assert guide["materials"][0]["by"] == "certificate" and guide["result"]["kind"] == "certificate"
    bundle = client.get("/api/v1/service-guides/gd-wsjkw-csyjs").json
    assert [p["code"] for p in bundle["parts"]] == ["gd-wsjkw-csyxzm", "gd-gat-xse-rh", "gd-ybj-xse-cb",
                                                    "gd-rst-sbk-sl"]


def test_a_push_rule_naming_a_service_without_a_guide_stops_the_start(monkeypatch):
    from app.applications import guides as guide_module
    from app.push import rules as rule_module

    shipped = rule_module.rules()
    rule = next(r for r in shipped.values() if r.service)
    renamed = {**shipped, rule.id: replace(rule, service="gd-no-such-service")}
    monkeypatch.setattr(rule_module, "rules", lambda: renamed)
    with pytest.raises(DataFileError) as error:
        guide_module._check_rules_name_known_services(guide_module.load_guides())
    assert error.value.field == "service" and rule.source in error.value.path
    assert "gd-no-such-service" in error.value.problem
