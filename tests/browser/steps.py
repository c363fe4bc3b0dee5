"""Steps a person takes in the stub pages, shared by the browser tests."""

from __future__ import annotations

from typing import Any


def reach_l3(p: Any, stub_url: str, *, name: str, phone: str, id_number: str) -> None:
    """First login in the resident app, then phone, real name and face, up to L3."""
    page = p.page
    page.goto(f"{stub_url}/app/")
    page.wait_for_selector("#login")
    page.fill("#wx-name", name)
    page.fill("#wx-phone", phone)
    page.fill("#wx-id_number", id_number)
    p.shot("login")
    page.click("#login")
    page.click("button#phone")  # the phone-number button of step ①
    page.click("#realname-go")
    page.click("#rn-submit")
    page.click("#face")
    page.wait_for_selector("#done")
    p.shot("l3")
