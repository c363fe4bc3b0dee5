"""Who may do what for company A: every entity and licence endpoint, for every kind of caller.

Denials are 404 ``not_found`` with exactly the body an unknown code gets, so a caller learns
nothing about whether A exists or who acts for it.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app import clock
from app.db import session
from app.licences.models import Licence
from tests.support.entities import (
    bound_entity,
    grant,
    let_grant_expire,
    licence_record,
    market_authority,
    new_uscc,
    send_ok,
)
from tests.support.residents import create_resident

ACTORS = ("representative_a", "agent_with_scope", "agent_without_scope", "agent_expired", "agent_revoked",
          "representative_b", "plain_resident", "anonymous")
ACTING_ANY = {"representative_a", "agent_with_scope", "agent_without_scope"}
VIEW_LICENCES = {"representative_a", "agent_with_scope"}
REPRESENTATIVE = {"representative_a"}


@pytest.fixture
def world(client, emulator):
    authority = market_authority()
    a = bound_entity(client, emulator, authority, name="甲一")
    b = bound_entity(client, emulator, authority, name="乙二")
    send_ok(client, authority, licence_record("JY1440106A0001", a.uscc), licence_record("JY1440106B0001", b.uscc))
    agents = {name: create_resident(name="丙三") for name in
              ("agent_with_scope", "agent_without_scope", "agent_expired", "agent_revoked")}
    grant(client, a, agents["agent_with_scope"], ["view_licences", "manage_tickets"])
    grant(client, a, agents["agent_without_scope"], ["receive_notifications", "manage_tickets"])
    let_grant_expire(grant(client, a, agents["agent_expired"], ["view_licences"]))
    revoked = grant(client, a, agents["agent_revoked"], ["view_licences"])
    assert client.delete(f"/api/v1/entities/{a.uscc}/agents/{revoked}", headers=a.representative.headers
                         ).status_code == 204
    spare_grant = grant(client, a, create_resident(name="丁四"), ["view_licences"])
    headers = {name: resident.headers for name, resident in agents.items()}
    headers |= {"representative_a": a.representative.headers, "representative_b": b.representative.headers,
                "plain_resident": create_resident().headers, "anonymous": {}}
    licence_a = session().scalars(select(Licence).where(Licence.number == "JY1440106A0001")).one()
    return {"a": a, "b": b, "headers": headers, "licence_a": licence_a.id, "spare_grant": spare_grant,
            "new_agent": create_resident(level=2, name="戊五")}


def endpoints(w):
    a = w["a"].uscc
    expires = (clock.now() + timedelta(days=10)).isoformat()
    return [
        ("GET", f"/api/v1/entities/{a}", None, 200, ACTING_ANY),
        ("GET", f"/api/v1/entities/{a}/licences", None, 200, VIEW_LICENCES),
        ("GET", f"/api/v1/entities/{a}/licences?status=valid", None, 200, VIEW_LICENCES),
        ("GET", f"/api/v1/entities/{a}/licences/{w['licence_a']}", None, 200, VIEW_LICENCES),
        ("GET", f"/api/v1/entities/{a}/agents", None, 200, REPRESENTATIVE),
        ("POST", f"/api/v1/entities/{a}/agents",
         {"id_number": w["new_agent"].id_number, "scopes": ["view_licences"], "expires_at": expires}, 201,
         REPRESENTATIVE),
        ("DELETE", f"/api/v1/entities/{a}/agents/{w['spare_grant']}", None, 204, REPRESENTATIVE),
        ("GET", "/api/v1/licences/check?number=JY1440106A0001", None, 200, set(ACTORS)),
        ("POST", "/api/v1/licences/check", {"numbers": ["JY1440106A0001"]}, 200, set(ACTORS)),
    ]


def unknown_code_body(client, headers, method, path, body, a):
    unknown = path.replace(a, new_uscc())
    answer = client.open(path=unknown, method=method, json=body, headers=headers)
    assert answer.status_code == 404
    return {k: answer.json[k] for k in ("code", "message", "details")}


def test_every_caller_gets_exactly_what_it_should_from_every_endpoint(client, world):
    a = world["a"].uscc
    outcomes, wrong = {}, []
    # The representative goes last so that their successful POST/DELETE do not change what others meet.
    for actor in sorted(ACTORS, key=lambda name: name == "representative_a"):
        headers = world["headers"][actor]
        for method, path, body, ok_status, allowed in endpoints(world):
            response = client.open(path=path, method=method, json=body, headers=headers)
            public = allowed == set(ACTORS)
            if actor in allowed:
                expected = ok_status
            elif actor == "anonymous" and not public:
                expected = 401
            else:
                expected = 404
            outcomes[(actor, method, path)] = response.status_code
            if response.status_code != expected:
                wrong.append(f"{actor} {method} {path}: {response.status_code} (expected {expected})")
            elif expected == 404:
                denial = {k: response.json[k] for k in ("code", "message", "details")}
                if denial != unknown_code_body(client, headers, method, path, body, a):
                    wrong.append(f"{actor} {method} {path}: denial differs from an unknown code's")
    assert not wrong, "\n".join(wrong)
    assert len(outcomes) == len(ACTORS) * len(endpoints(world))


def test_a_representative_cannot_reach_another_companys_licence_through_their_own_company(client, world):
    b = world["b"]
    response = client.get(f"/api/v1/entities/{b.uscc}/licences/{world['licence_a']}",
                          headers=b.representative.headers)
    assert response.status_code == 404
    assert response.json["code"] == "not_found"


def test_a_malformed_code_in_the_path_gets_the_same_not_found(client, world):
    headers = world["headers"]["representative_a"]
    for path in ("/api/v1/entities/not-a-code", "/api/v1/entities/" + "9" * 40 + "/licences"):
        response = client.get(path, headers=headers)
        assert response.status_code == 404
        assert response.json["code"] == "not_found"
