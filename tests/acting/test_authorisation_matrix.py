"""Who may act for the elder A, on every endpoint that supports acting (``X-Acting-For``).

Only the holder of a live grant with the endpoint's scope gets through. A stranger, an expired or
revoked grant, a scope not granted, a grant from someone else — each gets exactly the body an
unknown ref gets (403 ``acting_refused``), and nothing of A's is changed or shown.
"""

from __future__ import annotations

from datetime import date

import pytest

from app.acting.models import SCOPES
from app.acting.represented import ref_of
from app.people.persons import person_of_account
from tests.support.acting import acting, let_proxy_grant_expire, proxy_grant
from tests.support.applications import resident_with_id_card
from tests.support.credentials import Device
from tests.support.residents import create_resident
from tests.support.staff import service_id

CERTIFICATES = ["view_certificates", "show_certificates"]
OTHERS = ["apply_services", "handle_tickets", "receive_reminders"]
REFUSED = ("stranger", "expired", "revoked", "other_scopes", "grant_from_someone_else")


@pytest.fixture
def world(client):
    elder = resident_with_id_card(client, name="陈伯", birth=date(1946, 3, 8))
    other = create_resident(name="林婆")
    actors = {name: create_resident(name=f"代办{i}") for i, name in enumerate(("proxy", *REFUSED))}
    proxy_grant(client, elder, actors["proxy"], list(SCOPES))
    let_proxy_grant_expire(proxy_grant(client, elder, actors["expired"], list(SCOPES)))
    revoked = proxy_grant(client, elder, actors["revoked"], list(SCOPES))
    assert client.delete(f"/api/v1/me/proxy-grants/{revoked}", headers=elder.headers).status_code == 204
    proxy_grant(client, other, actors["grant_from_someone_else"], list(SCOPES))
    ref = ref_of(person_of_account(elder.account_id).id)
    as_proxy = acting(actors["proxy"], ref)
    card = client.get("/api/v1/me/certificates", headers=elder.headers).json[0]["id"]
    application = client.post("/api/v1/applications", headers=elder.headers,
                              json={"service_code": "gd-gat-sfz-hl"}).json["id"]
    ticket = client.post("/api/v1/tickets", headers=elder.headers, json=ticket_body()).json["id"]
    return {"elder": elder, "actors": actors, "ref": ref, "as_proxy": as_proxy, "card": card,
            "application": application, "ticket": ticket}


def ticket_body():
    return {"kind": "consultation", "service_id": service_id("gd-gat-sfz-hl"), "title": "换领身份证",
            "description": "需要带什么材料？"}


def endpoints(w):
    return [
        ("GET", "/api/v1/me/certificates", None, 200, "view_certificates"),
        ("GET", f"/api/v1/me/certificates/{w['card']}", None, 200, "view_certificates"),
        ("POST", f"/api/v1/me/certificates/{w['card']}/credential", {"device_key": Device().jwk}, 201,
         "show_certificates"),
        ("GET", "/api/v1/me/applications", None, 200, "apply_services"),
        ("GET", f"/api/v1/applications/{w['application']}", None, 200, "apply_services"),
        ("GET", f"/api/v1/applications/{w['application']}/events", None, 200, "apply_services"),
        ("PATCH", f"/api/v1/applications/{w['application']}", {"fields": {"reason": "有效期满"}}, 200,
         "apply_services"),
        ("POST", "/api/v1/applications", {"service_code": "gd-gat-sfz-hl"}, 201, "apply_services"),
        ("GET", "/api/v1/tickets", None, 200, "handle_tickets"),
        ("GET", f"/api/v1/tickets/{w['ticket']}", None, 200, "handle_tickets"),
        ("GET", f"/api/v1/tickets/{w['ticket']}/messages", None, 200, "handle_tickets"),
        ("POST", f"/api/v1/tickets/{w['ticket']}/messages", {"body": "我是他女儿，代他补充说明"}, 201,
         "handle_tickets"),
        ("POST", "/api/v1/tickets", ticket_body(), 201, "handle_tickets"),
        ("GET", "/api/v1/me/notifications", None, 200, "receive_reminders"),
        ("GET", "/api/v1/me/notifications/unread-count", None, 200, "receive_reminders"),
    ]


def test_every_acting_endpoint_refuses_all_but_the_granted_proxy_and_leaks_nothing(client, world):
    w = world
    actors = w["actors"]
    scoped = {"certificates": create_resident(name="证照代办"), "others": create_resident(name="办事代办")}
    proxy_grant(client, w["elder"], scoped["certificates"], CERTIFICATES)
    proxy_grant(client, w["elder"], scoped["others"], OTHERS)
    unknown = {k: v for k, v in client.get("/api/v1/me/certificates", headers=acting(actors["stranger"], "x" * 24)
                                           ).json.items() if k != "request_id"}
    assert unknown["code"] == "acting_refused"
    before = client.get("/api/v1/me/access-log", headers=w["elder"].headers).json
    for method, path, body, ok, scope in endpoints(w):
        wrong_scope = scoped["others"] if scope in CERTIFICATES else scoped["certificates"]
        callers = {name: acting(actors[name], w["ref"]) for name in REFUSED}
        callers["other_scopes"] = acting(wrong_scope, w["ref"])
        for name, headers in callers.items():
            answer = client.open(path=path, method=method, json=body, headers=headers)
            got = {k: v for k, v in answer.json.items() if k != "request_id"}
            assert (answer.status_code, got) == (403, unknown), (name, method, path)
        allowed = client.open(path=path, method=method, json=body, headers=w["as_proxy"])
        assert allowed.status_code == ok, (method, path, allowed.json)
    log = client.get("/api/v1/me/access-log?page_size=100", headers=w["elder"].headers).json
    acts = log[:len(log) - len(before)]
    assert {e["actor"] for e in acts if e["actor_type"] == "proxy"} == {"代办0（代办人）"}
    assert len([e for e in acts if e["actor_type"] == "proxy"]) == len(endpoints(w))
    # Nothing the refused callers tried was written: one application and two tickets are the elder's.
    assert len(client.get("/api/v1/me/applications", headers=w["elder"].headers).json) == 1
    assert len(client.get("/api/v1/tickets", headers=w["elder"].headers).json) == 2
