"""长者模式 and accessibility in the resident pages, at 375×667 in headless Chromium.

The accessibility check is axe-core (from npm, miniprogram_stub/web/node_modules) injected into the
page. It visits every route of the resident app — the list is read from the app's own ``routes``
object, so a page another change adds is checked too — in the standard mode and in 长者模式, and
fails on any serious or critical violation. Routes that take an argument (a certificate, a ticket,
a company, a guide) are reached through the links the other pages show, like a person would."""

from __future__ import annotations

import json
from datetime import timedelta
from types import SimpleNamespace
from urllib.parse import unquote

import pytest
from click.testing import CliRunner
from PIL import Image

from app import clock
from tests.browser.conftest import PHONE, SHOTS
from tests.browser.steps import COUNT_FETCHES, axe_violations, reach_l3
from tests.support.certificates import full_authority, issue_certificate
from tests.support.entities import entity_record, market_authority, new_uscc, register_in_registry, send_ok
from tests.support.residents import new_id_number
from tests.support.staff import load_demo_catalogue

SHOWN_TILES = "[...document.querySelectorAll('.grid a')].filter((a) => a.offsetParent !== null).length"


def wait_drawn(page) -> None:
    """Until the app has drawn the page for the current address and no request is outstanding."""
    page.wait_for_function("() => document.getElementById('view').dataset.ready === location.hash"
                           " && window.__inflight === 0")


def visit(page, stub: str, hash_: str) -> None:
    page.goto(f"{stub}/app/{hash_}")
    wait_drawn(page)


def resident_routes(page) -> dict[str, int]:
    """Every route of the resident app and how many arguments its handler takes."""
    return page.evaluate("""async () => { const { routes } = await import("/app/app.js");
        return Object.fromEntries(Object.entries(routes).map(([name, handler]) => [name, handler.length])); }""")


def crawl(p, stub: str, routes: dict[str, int]) -> tuple[dict[str, list[dict]], dict[str, str]]:
    """Visit every route (argument routes through the first link to them a page shows); the axe
    violations found on each, and the address each route was checked at."""
    page = p.page
    queue = [f"#/{name}" for name, arity in routes.items() if arity == 0 and name != "login"]
    checked: dict[str, str] = {}
    found: dict[str, list[dict]] = {}
    while True:
        if not queue:
            # argument routes no page linked to: opened bare (the page shows its own error state)
            queue = [f"#/{name}" for name in routes if name not in checked and name != "login"]
            if not queue:
                break
            for status in (400, 404, 422):  # what the API answers a missing argument
                p.expect_http_error(status)
        hash_ = queue.pop(0)
        name = unquote(hash_[2:].split("?")[0].split("/")[0])
        if name in checked:
            continue
        visit(page, stub, hash_)
        checked[name] = hash_
        found[hash_] = axe_violations(page)
        for href in page.eval_on_selector_all("a[href^='#/']", "els => els.map((a) => a.getAttribute('href'))"):
            target = unquote(href[2:].split("?")[0].split("/")[0])
            if target in routes and target not in checked and target != "login":
                queue.append(href)
    return found, checked


def token(page) -> str:
    return page.evaluate("JSON.parse(sessionStorage.getItem('yss-resident')).access_token")


@pytest.fixture
def resident_with_things(site, phone, client, emulator):
    """A resident at L3 in the browser with a certificate that expires soon (and its reminder), a
    ticket and a company they represent, so that every page has something on it."""
    id_number = new_id_number()
    issue_certificate(client, full_authority(), id_number, holder_name="陈秀英", number="440106ID5151",
                      expires_on=clock.today() + timedelta(days=40))
    p = phone("resident")
    p.page.add_init_script(COUNT_FETCHES)
    reach_l3(p, site["stub"], name="陈秀英", phone="13600005151", id_number=id_number)
    headers = {"Authorization": f"Bearer {token(p.page)}"}
    person = SimpleNamespace(name="陈秀英", id_number=id_number)
    uscc = new_uscc()
    send_ok(client, market_authority(), entity_record(uscc, person))
    register_in_registry(emulator, uscc, person)
    assert client.post("/api/v1/me/entities", json={"uscc": uscc}, headers=headers).status_code == 201
    load_demo_catalogue()
    service = client.get("/api/v1/services").json[0]
    opened = client.post("/api/v1/tickets", headers=headers, json={
        "kind": "consultation", "service_id": service["id"], "title": "换领身份证要带什么",
        "description": "请问换领身份证需要准备哪些材料？", "contact_preference": "message"})
    assert opened.status_code == 201, opened.json
    return p, headers


def switch_elder_mode(page, on: bool) -> None:
    page.goto(page.url.split("#")[0] + "#/home")
    wait_drawn(page)
    button = page.locator("#elder-toggle")
    if (button.get_attribute("aria-pressed") == "true") != on:
        button.click()
        page.wait_for_selector(f"#elder-toggle[aria-pressed='{str(on).lower()}']")
        wait_drawn(page)


def test_every_resident_page_passes_axe_in_both_modes_and_looks_right_at_375(site, resident_with_things, app):
    p, _headers = resident_with_things
    page = p.page
    assert CliRunner().invoke(app.cli, ["push", "scan", "--inline"]).exit_code == 0  # the ID-card reminder
    visit(page, site["stub"], "#/home")
    routes = resident_routes(page)
    assert {"home", "certs", "inbox", "me", "show", "ticket", "entity", "guide"} <= set(routes)

    report: dict[str, dict] = {}
    for mode in ("standard", "elder"):
        switch_elder_mode(page, mode == "elder")
        assert page.evaluate("document.documentElement.classList.contains('elder')") == (mode == "elder")
        for route in ("home", "certs", "inbox"):
            visit(page, site["stub"], f"#/{route}")
            p.assert_no_horizontal_scroll()
            page.evaluate("document.querySelectorAll('.toast').forEach((t) => t.remove())")  # a passing notice
            SHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SHOTS / f"elder-mode-{mode}-{route}.png"))  # exactly 375×667
        found, checked = crawl(p, site["stub"], routes)
        report[mode] = {"checked": checked, "violations": {h: v for h, v in found.items() if v}}
        assert set(checked) == set(routes) - {"login"}
        # the argument routes were reached through real links, with real things behind them
        for name in ("show", "ticket", "entity", "guide"):
            assert checked[name] != f"#/{name}", f"no page linked to {name}"

    # the login page, logged out
    page.evaluate("sessionStorage.removeItem('yss-resident')")
    visit(page, site["stub"], "#/login")
    report["login"] = {"violations": axe_violations(page)}

    (SHOTS.parent / "axe-resident.json").write_text(json.dumps(report, ensure_ascii=False, indent=1))
    problems = {mode: r["violations"] for mode, r in report.items() if r["violations"]}
    assert not problems, json.dumps(problems, ensure_ascii=False, indent=1)
    for mode in ("standard", "elder"):
        for route in ("home", "certs", "inbox"):
            with Image.open(SHOTS / f"elder-mode-{mode}-{route}.png") as shot:
                assert shot.size == (PHONE["width"], PHONE["height"])


def test_elder_mode_is_bigger_shows_fewer_items_and_follows_the_account_to_a_new_browser(
        site, phone, browser):
    id_number = new_id_number()
    p = phone("first-phone")
    p.page.add_init_script(COUNT_FETCHES)
    page = p.page
    reach_l3(p, site["stub"], name="黄志强", phone="13600006262", id_number=id_number)
    visit(page, site["stub"], "#/home")
    standard_size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    standard_tiles = page.evaluate(SHOWN_TILES)
    standard_tap = page.evaluate("document.getElementById('elder-toggle').getBoundingClientRect().height")

    switch_elder_mode(page, True)
    assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") >= 1.5 * standard_size
    assert page.evaluate("document.getElementById('elder-toggle').getBoundingClientRect().height") >= \
        1.5 * standard_tap
    assert 0 < page.evaluate(SHOWN_TILES) < standard_tiles, "fewer items on the home page"
    page.click("#all-services")
    assert page.evaluate(SHOWN_TILES) == standard_tiles, "the rest are one tap away"
    p.assert_no_horizontal_scroll()
    wx_user = page.evaluate("sessionStorage.getItem('yss-wx-user')")

    # the same WeChat user on another phone: a fresh browser context, logging in again
    other = phone("second-phone")
    other.page.add_init_script(COUNT_FETCHES)
    other.page.add_init_script(f"sessionStorage.setItem('yss-wx-user', {json.dumps(wx_user)});")
    other.page.goto(f"{site['stub']}/app/#/login")
    other.page.wait_for_selector("#login")
    for field, value in (("name", "黄志强"), ("phone", "13600006262"), ("id_number", id_number)):
        other.page.fill(f"#wx-{field}", value)
    assert not other.page.evaluate("document.documentElement.classList.contains('elder')")
    other.page.click("#login")
    other.page.wait_for_selector("#elder-toggle[aria-pressed='true']")
    assert other.page.evaluate("document.documentElement.classList.contains('elder')")
    assert other.page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") >= 1.5 * standard_size
    other.shot("elder-home-on-second-phone")

    # turned off there, it is off here after a reload too
    switch_elder_mode(other.page, False)
    page.reload()
    wait_drawn(page)
    assert not page.evaluate("document.documentElement.classList.contains('elder')")
    assert page.get_attribute("#elder-toggle", "aria-pressed") == "false"
