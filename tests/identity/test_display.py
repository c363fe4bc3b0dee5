"""长者模式 is a setting of the account: set once, it comes back with /me on any device."""

from __future__ import annotations

import pytest

from tests.support.residents import create_resident
from tests.support.staff import create_staff_member, load_demo_catalogue

DISPLAY = "/api/v1/me/display"


def test_elder_mode_is_remembered_on_the_account_and_only_mine(client):
    me, neighbour = create_resident(name="陈伯"), create_resident(name="李姨")
    assert client.get("/api/v1/me", headers=me.headers).json["elder_mode"] is False

    turned = client.put(DISPLAY, json={"elder_mode": True}, headers=me.headers)

    assert turned.status_code == 200 and turned.json == {"elder_mode": True}
    assert client.get("/api/v1/me", headers=me.headers).json["elder_mode"] is True
    assert client.get("/api/v1/me", headers=neighbour.headers).json["elder_mode"] is False
    assert client.put(DISPLAY, json={"elder_mode": False}, headers=me.headers).json == {"elder_mode": False}
    assert client.get("/api/v1/me", headers=me.headers).json["elder_mode"] is False


def test_an_account_below_l1_may_set_it_too(client):
    fresh = create_resident(level=0)
    assert client.put(DISPLAY, json={"elder_mode": True}, headers=fresh.headers).status_code == 200


@pytest.mark.parametrize("body", [{}, {"elder_mode": "maybe"}, {"elder_mode": None}, {"elder_mode": True, "x": 1}])
def test_bad_input_is_refused_and_changes_nothing(client, body):
    me = create_resident()
    response = client.put(DISPLAY, json=body, headers=me.headers)
    assert response.status_code == 422 and response.json["code"] == "validation_error"
    assert client.get("/api/v1/me", headers=me.headers).json["elder_mode"] is False


def test_the_wrong_caller_is_refused(client):
    assert client.put(DISPLAY, json={"elder_mode": True}).status_code == 401
    load_demo_catalogue()
    staff = create_staff_member()
    assert client.put(DISPLAY, json={"elder_mode": True}, headers=staff.headers).status_code == 401
    bogus = {"Authorization": "Bearer not-a-token"}
    assert client.put(DISPLAY, json={"elder_mode": True}, headers=bogus).status_code == 401
