"""Company administrators in the mini program: the legal representative appoints one, who then
authorises an agent; when the registry names a new representative, the administrator is suspended,
the successor is told of every agent and administrator in the inbox and ends the administrator."""

from __future__ import annotations

from types import SimpleNamespace

from tests.browser.steps import bind_company, reach_l3
from tests.support.entities import entity_record, market_authority, new_uscc, register_in_registry, send_ok
from tests.support.jobs import run_queued_jobs
from tests.support.residents import new_id_number
from tests.support.staff import load_demo_catalogue


def person(name: str) -> SimpleNamespace:
    return SimpleNamespace(name=name, id_number=new_id_number())


def test_an_administrator_manages_agents_until_the_representative_changes(site, phone, emulator, client):
    load_demo_catalogue()
    authority = market_authority()
    rep, admin, agent, successor = person("林志强"), person("何美玲"), person("郭建华"), person("罗国栋")
    uscc = new_uscc()
    send_ok(client, authority, entity_record(uscc, rep, name="广州市林记餐饮有限公司"))
    register_in_registry(emulator, uscc, rep, name="广州市林记餐饮有限公司")

    a = phone("admin")
    reach_l3(a, site["stub"], name=admin.name, phone="13500002001", id_number=admin.id_number)
    g = phone("agent")
    reach_l3(g, site["stub"], name=agent.name, phone="13500002002", id_number=agent.id_number)

    r = phone("representative")
    page = r.page
    reach_l3(r, site["stub"], name=rep.name, phone="13500002000", id_number=rep.id_number)
    bind_company(r, site["stub"], uscc)
    page.click(".entity a")
    page.wait_for_selector("#appoint")
    page.fill("#admin-id", admin.id_number)
    page.click("#appoint")
    page.wait_for_selector(".administrator[data-status='active']")
    assert "*玲" in page.inner_text(".administrator")
    r.shot("administrator-appointed")

    # the administrator sees the company in that role, and authorises an agent
    ap = a.page
    ap.goto(f"{site['stub']}/app/#/business")
    ap.wait_for_selector(".entity")
    assert "企业管理员" in ap.inner_text(".entity")
    ap.click(".entity a")
    ap.wait_for_selector("#grant")
    assert ap.query_selector("#appoint") is None, "an administrator cannot appoint administrators"
    ap.fill("#agent-id", agent.id_number)
    ap.check("input[name=scope][value=view_licences]")
    ap.click("#grant")
    ap.wait_for_selector(".agent [data-revoke]")
    a.shot("agent-granted")

    # the registry names a new representative, who binds and is told
    send_ok(client, authority, entity_record(uscc, successor, name="广州市林记餐饮有限公司", version=2))
    register_in_registry(emulator, uscc, successor, name="广州市林记餐饮有限公司")
    s = phone("successor")
    sp = s.page
    reach_l3(s, site["stub"], name=successor.name, phone="13500002003", id_number=successor.id_number)
    bind_company(s, site["stub"], uscc)
    run_queued_jobs()
    sp.goto(f"{site['stub']}/app/#/inbox")
    sp.wait_for_selector(".notification")
    notice = sp.inner_text(".notification")
    assert "您已成为企业法定代表人" in notice and "*华" in notice and "*玲" in notice and "已暂停待您确认" in notice
    s.shot("told")

    sp.goto(f"{site['stub']}/app/#/entity/{uscc}")
    sp.wait_for_selector(".administrator[data-status='suspended']")
    sp.wait_for_selector(".agent [data-revoke]")  # the agent's grant is kept (its list draws on its own)
    sp.click("[data-end]")
    sp.wait_for_selector(".administrator[data-status='revoked']")
    s.assert_no_horizontal_scroll()
    s.shot("administrator-ended")

    # the administrator and the former representative can no longer manage the company
    for p in (a, r):
        p.page.goto(f"{site['stub']}/app/#/business")
        p.page.wait_for_selector("text=尚未绑定企业")
