"""出生一件事: the birth-bundle reminder opens one prefilled form; its submission creates one part
per department (birth medical certificate, 落户, medical insurance, social security card), each
processed by its own department only, and the parent follows them all in one view."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

from app import clock
from tests.support.applications import HOUSEHOLD_ADDRESS, act, draft, resident_with_id_card
from tests.support.certificates import full_authority, issue
from tests.support.jobs import run_queued_jobs
from tests.support.residents import create_resident, new_id_number
from tests.support.staff import create_staff_member

PARTS = {"gd-wsjkw-csyxzm": "gd-wsjkw", "gd-gat-xse-rh": "gd-gat", "gd-ybj-xse-cb": "gd-ybj",
         "gd-rst-sbk-sl": "gd-rst"}


def test_one_birth_form_fans_out_to_four_departments_each_processing_its_own_part(client):
    mother = resident_with_id_card(client, name="王芳", expires_in_days=3000)
    born = clock.today() - timedelta(days=5)
    child_id = new_id_number(born)
    authority = full_authority()
    issue(client, authority, "person", {"name": "李小宝", "id_number": child_id})
    issue(client, authority, "life_event", {"id_number": child_id, "type": "birth", "date": born.isoformat(),
                                            "payload": {"hospital": "广州市妇女儿童医疗中心"}})
    issue(client, authority, "household_link", {"from_id_number": child_id, "to_id_number": mother.id_number,
                                                "relation": "parent"})
    run_queued_jobs()
    [note] = [n for n in client.get("/api/v1/me/notifications", headers=mother.headers).json
              if n["why"]["rule"]["id"] == "birth_bundle"]
    assert note["why"]["service"] == "gd-wsjkw-csyjs"
    link = urlsplit(note["page"])
    params = {k: v[0] for k, v in parse_qs(link.query).items()}
    assert link.path == "pages/applications/apply" and params["service"] == "gd-wsjkw-csyjs"

    form = draft(client, mother, params["service"], life_event_id=int(params["life_event_id"]),
                 origin=params["origin"])
    values = {f["key"]: f for f in form["fields"]}
    assert values["child_name"]["value"] == "李小宝" and values["child_name"]["source_label"].startswith("来自：")
    assert values["child_birth_date"]["value"] == born.isoformat()
    assert values["parent_name"]["value"] == "王芳" and values["household_address"]["value"] == HOUSEHOLD_ADDRESS
    client.patch(f"/api/v1/applications/{form['id']}", headers=mother.headers,
                 json={"fields": {"mailing_address": "广州市天河区天河路208号"}})
    submitted = act(client, mother, f"/applications/{form['id']}/submit")
    assert submitted["state"] == "in_progress"
    parts = {p["service_code"]: p for p in submitted["parts"]}
    assert set(parts) == set(PARTS) and {p["state"] for p in parts.values()} == {"submitted"}
    assert len({p["department_name"] for p in parts.values()}) == 4

    staff = {code: create_staff_member(departments=(department,)) for code, department in PARTS.items()}
    for code, part in parts.items():
        for other_code, other in staff.items():
            seen = client.get(f"/api/v1/staff/applications/{part['id']}", headers=other.headers)
            assert seen.status_code == (200 if other_code == code else 404), (code, other_code)
        queue = client.get("/api/v1/staff/applications", headers=staff[code].headers).json
        assert [a["id"] for a in queue] == [part["id"]]  # the bundle itself is in no queue
        case = client.get(f"/api/v1/staff/applications/{part['id']}", headers=staff[code].headers).json
        assert case["application"]["fields"][0]["value"] == "李小宝"
        assert all(m["satisfied"] for m in case["application"]["materials"] if m["required"]), code

    # Each department moves on its own: one approves, one asks for a supplement, the rest accept.
    act(client, staff["gd-wsjkw-csyxzm"], f"/staff/applications/{parts['gd-wsjkw-csyxzm']['id']}/accept")
    act(client, staff["gd-wsjkw-csyxzm"], f"/staff/applications/{parts['gd-wsjkw-csyxzm']['id']}/approve",
        opinion="已登记")
    act(client, staff["gd-gat-xse-rh"], f"/staff/applications/{parts['gd-gat-xse-rh']['id']}/accept")
    act(client, staff["gd-ybj-xse-cb"], f"/staff/applications/{parts['gd-ybj-xse-cb']['id']}/supplement",
        message="请确认参保地", fields=["phone"])
    view = client.get(f"/api/v1/applications/{form['id']}", headers=mother.headers).json
    assert {p["service_code"]: p["state"] for p in view["parts"]} == {
        "gd-wsjkw-csyxzm": "completed", "gd-gat-xse-rh": "accepted", "gd-ybj-xse-cb": "supplement_requested",
        "gd-rst-sbk-sl": "submitted"}
    assert view["state"] == "in_progress"
    timeline = client.get(f"/api/v1/applications/{form['id']}/events", headers=mother.headers).json
    assert {e["application_id"] for e in timeline} == {form["id"], *(p["id"] for p in parts.values())}
    listed = client.get("/api/v1/me/applications", headers=mother.headers).json
    assert [a["id"] for a in listed] == [form["id"]]  # the parts are shown inside it

    # When every part is closed the life event is done.
    back = act(client, mother, f"/applications/{parts['gd-ybj-xse-cb']['id']}/resubmit")
    assert back["state"] == "submitted"  # asked before acceptance: back to be accepted, no clock yet
    act(client, staff["gd-ybj-xse-cb"], f"/staff/applications/{parts['gd-ybj-xse-cb']['id']}/accept")
    for code in ("gd-gat-xse-rh", "gd-ybj-xse-cb"):
        act(client, staff[code], f"/staff/applications/{parts[code]['id']}/approve", opinion="准予")
    act(client, staff["gd-rst-sbk-sl"], f"/staff/applications/{parts['gd-rst-sbk-sl']['id']}/refuse",
        reason="请先完成医保参保后再申领")
    done = client.get(f"/api/v1/applications/{form['id']}", headers=mother.headers).json
    assert done["state"] == "completed"
    stranger = create_resident()
    assert client.get(f"/api/v1/applications/{form['id']}", headers=stranger.headers).status_code == 404
