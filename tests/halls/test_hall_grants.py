"""A grant recorded at the counter for someone without a phone: the grantee may then act for them;
only an officer of that hall may record it."""

from __future__ import annotations

from datetime import date, timedelta

from app import clock
from app.acting.represented import represented
from app.db import transactional
from app.people.persons import ensure_person
from app.staff.models import AGENT
from tests.support.halls import FUTIAN, TIANHE, hall_officer
from tests.support.residents import L2, create_resident, new_id_number
from tests.support.staff import create_staff_member


@transactional
def _person_without_account(name: str) -> str:
    id_number = new_id_number(date(1944, 3, 2))
    ensure_person(id_number, name)
    return id_number


def _body(grantor_id: str, grantee, **over) -> dict:
    return {"grantor_id_number": grantor_id, "grantee_name": grantee.name, "grantee_id_number": grantee.id_number,
            "scopes": ["view_certificates", "apply_services"],
            "expires_at": (clock.now() + timedelta(days=365)).isoformat(), **over}


def test_an_officer_records_a_grant_for_an_elderly_person_without_a_phone(client):
    elder = _person_without_account("黄伯")
    daughter = create_resident(L2, name="黄小红")
    officer = hall_officer(TIANHE)
    url = f"/api/v1/halls/{TIANHE}/proxy-grants"
    recorded = client.post(url, headers=officer.headers, json=_body(elder, daughter))
    assert recorded.status_code == 201, recorded.json
    assert recorded.json["recorded_by"] == "staff"
    assert recorded.json["scopes"] == ["view_certificates", "apply_services"]
    [acting_for] = represented(daughter.account_id)
    assert acting_for.relation == "proxy" and acting_for.has_account is False
    again = client.post(url, headers=officer.headers, json=_body(elder, daughter))
    assert (again.status_code, again.json["code"]) == (409, "proxy_already_granted")


def test_a_hall_grant_is_refused_to_other_halls_and_roles_and_for_bad_input(client):
    elder = _person_without_account("黄伯")
    daughter = create_resident(L2, name="黄小红")
    url = f"/api/v1/halls/{TIANHE}/proxy-grants"
    assert client.post(url, headers=hall_officer(FUTIAN).headers,
                       json=_body(elder, daughter)).json["code"] == "not_this_hall"
    assert client.post(url, headers=create_staff_member(role=AGENT).headers,
                       json=_body(elder, daughter)).json["code"] == "role_required"
    assert client.post(url, headers=daughter.headers, json=_body(elder, daughter)).status_code == 401
    officer = hall_officer(TIANHE)
    nobody = client.post(url, headers=officer.headers, json=_body(new_id_number(date(1940, 1, 1)), daughter))
    assert (nobody.status_code, nobody.json["code"]) == (404, "person_not_found")
    wrong_name = client.post(url, headers=officer.headers, json=_body(elder, daughter, grantee_name="别人"))
    assert wrong_name.json["code"] == "grantee_not_eligible"
    too_long = client.post(url, headers=officer.headers, json=_body(
        elder, daughter, expires_at=(clock.now() + timedelta(days=4 * 365)).isoformat()))
    assert too_long.json["code"] == "proxy_expiry_invalid"
    bad_scope = client.post(url, headers=officer.headers, json=_body(elder, daughter, scopes=["everything"]))
    assert bad_scope.status_code == 422
    assert represented(daughter.account_id) == []
