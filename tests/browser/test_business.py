"""A business representative binds the company and sees a licence about to expire."""

from datetime import timedelta
from types import SimpleNamespace

from app import clock
from tests.browser.steps import reach_l3
from tests.support.entities import (
    entity_record,
    licence_record,
    market_authority,
    new_uscc,
    register_in_registry,
    send_ok,
)
from tests.support.residents import new_id_number
from tests.support.staff import load_demo_catalogue


def test_a_representative_binds_the_company_and_sees_the_expiring_badge(site, phone, emulator, client):
    load_demo_catalogue()
    rep = SimpleNamespace(name="林志强", id_number=new_id_number())
    uscc = new_uscc()
    send_ok(client, market_authority(), entity_record(uscc, rep, name="广州市林记餐饮有限公司"),
            licence_record("JY14401060012345", uscc, valid_until=clock.today() + timedelta(days=20)),
            licence_record("JY14401060099999", uscc, valid_until=clock.today() + timedelta(days=400)))
    register_in_registry(emulator, uscc, rep, name="广州市林记餐饮有限公司")

    p = phone()
    page = p.page
    reach_l3(p, site["stub"], name=rep.name, phone="13500001234", id_number=rep.id_number)
    page.goto(f"{site['stub']}/app/#/business")
    page.fill("#uscc", uscc)
    page.click("#bind")
    page.wait_for_selector(".entity")
    p.shot("bound")
    page.click(".entity a")
    page.wait_for_selector(".licence")
    expiring = page.locator('.licence[data-number="JY14401060012345"] .badge')
    assert expiring.get_attribute("data-status") == "expiring"
    assert expiring.inner_text() == "即将到期"
    valid = page.locator('.licence[data-number="JY14401060099999"] .badge')
    assert valid.get_attribute("data-status") == "valid"
    p.assert_no_horizontal_scroll()
    p.shot("licences")

    # A ticket for the company, opened from the tickets page, is listed on the company's page.
    page.goto(f"{site['stub']}/app/#/tickets")
    page.wait_for_selector("#for")
    page.select_option("#for", uscc)
    page.select_option("#kind", "help")
    page.fill("#title", "食品经营许可证延续材料")
    page.fill("#description", "许可证下月到期，延续需要提交哪些材料？")
    page.click("#open")
    page.wait_for_selector("#ticket-state")
    page.goto(f"{site['stub']}/app/#/entity/{uscc}")
    page.wait_for_selector(".company-ticket")
    assert "食品经营许可证延续材料" in page.inner_text(".company-ticket")
    p.assert_no_horizontal_scroll()
    p.shot("company-tickets")
