"""Steps a person takes in the stub pages, shared by the browser tests."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from app.security.totp import totp_code

AXE = Path(__file__).resolve().parents[2] / "miniprogram_stub" / "web" / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")
# Counts fetches in flight (an init script), so a test can wait until a page has loaded what it asked for.
COUNT_FETCHES = """(() => { const f = window.fetch; window.__inflight = 0;
  window.fetch = (...a) => { window.__inflight++; return f(...a).finally(() => { window.__inflight--; }); }; })();"""


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


def bind_company(p: Any, stub_url: str, uscc: str) -> None:
    """On 企业服务, bind the company as its legal representative."""
    page = p.page
    page.goto(f"{stub_url}/app/#/business")
    page.fill("#uscc", uscc)
    page.click("#bind")
    page.wait_for_selector(".entity")


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


def axe_violations(page: Any) -> list[dict]:
    """axe-core (from npm) run over the page as it is now: its serious and critical violations."""
    if not page.evaluate("Boolean(window.axe)"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate("""async () => {
        const r = await axe.run(document, { resultTypes: ["violations"] });
        return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
                                          nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ")) }));
    }""")
    return [v for v in result if v["impact"] in BLOCKING]
