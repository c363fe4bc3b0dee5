"""Steps a person takes in the stub pages, shared by the browser tests."""

from __future__ import annotations

import time
from typing import Any

from app.security.totp import totp_code


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


def staff_login(p: Any, stub_url: str, staff: Any) -> None:
    """Log a staff member into the console with password and a fresh TOTP code."""
    page = p.page
    page.goto(f"{stub_url}/console/")
    page.wait_for_selector("#login")
    page.fill("#username", staff.username)
    page.fill("#password", staff.password)
    page.fill("#totp", totp_code(staff.totp_secret, int(time.time())))
    p.shot("login")
    page.click("#login")
    page.wait_for_selector("#who:not(:empty)")
