"""The resident pages as a resident uses them, at 375×667: lists page beyond 10 items, every
为什么收到这条消息 reads as words, failures and slow answers are visible, the 亮证 QR and its
countdown come into view, and consent, preferences, life events and a ticket's reopen/close have pages."""

from __future__ import annotations

import re
from datetime import timedelta

from click.testing import CliRunner
from sqlalchemy import select

from app import clock
from app.db import session
from app.identity.models import Account
from app.push import consent
from app.push.rules import load_templates
from app.security.keys import lookup_hash
from app.tickets import lifecycle
from app.tickets.errors import TicketClosed
from tests.browser.conftest import PHONE
from tests.browser.steps import reach_l3
from tests.support.certificates import full_authority, issue_certificate
from tests.support.residents import new_id_number
from tests.support.staff import create_staff_member, load_demo_catalogue
from tests.support.tickets import ticket_in_state

NETWORK = "网络连接失败，请检查网络后重试"


def account_of(id_number: str) -> int:
    return session().scalars(select(Account.id).where(
        Account.id_number_hash == lookup_hash(id_number, "id_number"))).one()


def resident(p, site, name: str, phone: str) -> tuple[str, int]:
    id_number = new_id_number()
    reach_l3(p, site["stub"], name=name, phone=phone, id_number=id_number)
    return id_number, account_of(id_number)


def assert_words(text: str) -> None:
    """No rule id, no field key, no English: only what a resident reads."""
    assert text.strip()
    assert not re.search(r"[A-Za-z]{2,}|_", text), f"codes or English in {text!r}"


def test_the_inbox_pages_beyond_ten_and_every_why_reads_as_words(site, phone, app, client):
    load_demo_catalogue()
    handler = create_staff_member(display_name="公安厅工作人员 001号")
    p = phone()
    page = p.page
    id_number = new_id_number()
    issue_certificate(client, full_authority(), id_number, holder_name="吴建国", number="440106ID8888",
                      expires_on=clock.today() + timedelta(days=45))
    reach_l3(p, site["stub"], name="吴建国", phone="13600004444", id_number=id_number)
    result = CliRunner().invoke(app.cli, ["push", "scan", "--inline"])
    assert result.exit_code == 0, result.output
    account_id = account_of(id_number)
    for _ in range(11):  # eleven ticket notices push the ID-card reminder to page 2
        ticket_in_state(account_id, handler, "resolved")

    page.goto(f"{site['stub']}/app/#/inbox")
    page.wait_for_selector(".notification")
    assert page.locator(".notification").count() == 10
    assert page.inner_text("#page-info") == "第 1 / 2 页（共 12 条）"
    assert "身份证" not in page.inner_text("#view")
    for summary in page.locator(".notification summary").all():
        summary.click()
    for why in page.locator(".notification .why").all():
        assert_words(why.inner_text())
        assert "已办结" in why.inner_text()
    p.shot("page-1")

    page.click("#page-next")
    page.wait_for_selector(".notification >> text=身份证即将到期")
    assert page.inner_text("#page-info") == "第 2 / 2 页（共 12 条）"
    reminder = page.locator(".notification", has_text="身份证即将到期")
    reminder.locator("summary").click()
    why = reminder.locator(".why").inner_text()
    assert_words(why.replace("440106ID8888", ""))
    assert "居民身份证有效期至" in why and "到期前90天" in why and "440106ID8888" not in why
    p.assert_no_horizontal_scroll()
    p.shot("page-2")
    page.go_back()  # the pages are in the history
    page.wait_for_function("document.getElementById('page-info').textContent.startsWith('第 1 / 2 页')")

    page.goto(f"{site['stub']}/app/#/tickets")
    page.wait_for_selector(".ticket")
    assert page.locator(".ticket").count() == 10
    page.click("#page-next")
    page.wait_for_function("document.getElementById('page-info').textContent.startsWith('第 2 / 2 页')")
    assert page.locator(".ticket").count() == 1


def test_a_failed_send_shows_its_chinese_error_and_offline_says_so(site, phone):
    load_demo_catalogue()
    handler = create_staff_member(display_name="公安厅工作人员 002号")
    p = phone()
    p.expect_http_error(409)
    page = p.page
    _id, account_id = resident(p, site, "孙立", "13600005555")
    ticket = ticket_in_state(account_id, handler, "in_progress")
    page.goto(f"{site['stub']}/app/#/ticket/{ticket.id}")
    page.wait_for_selector("#send")

    page.click("#send")  # an empty box
    assert page.inner_text("#send-err") == "请先填写回复内容"

    page.context.set_offline(True)
    page.fill("#reply", "请问还需要多久？")
    page.click("#send")
    page.wait_for_selector("#send-err .error")
    assert page.inner_text("#send-err") == NETWORK
    page.context.set_offline(False)
    p.errors = [e for e in p.errors if "ERR_INTERNET_DISCONNECTED" not in e]  # the offline send, on purpose

    lifecycle.step(handler.principal, ticket.id, "resolve", "已答复")
    lifecycle.close_by_requester(account_id, ticket.id)  # closed in another tab, this page still open
    page.click("#send")
    page.wait_for_selector("#send-err .error[data-code=ticket_closed]")
    assert page.inner_text("#send-err") == TicketClosed.message
    assert page.is_enabled("#send") and page.inner_text("#send") == "发送"
    p.shot("closed")

    page.reload()
    page.wait_for_selector("#closed-note")  # a closed ticket offers no reply box
    assert not page.query_selector("#send")


def test_a_resolved_ticket_can_be_reopened_or_closed_from_its_page(site, phone):
    load_demo_catalogue()
    handler = create_staff_member(display_name="公安厅工作人员 003号")
    p = phone()
    page = p.page
    _id, account_id = resident(p, site, "周敏", "13600006666")
    first, second = (ticket_in_state(account_id, handler, "resolved") for _ in range(2))

    page.goto(f"{site['stub']}/app/#/ticket/{first.id}")
    page.wait_for_selector("#reopen")
    page.click("#reopen")
    assert page.inner_text("#state-err") == "请说明仍未解决的原因"
    page.fill("#reopen-reason", "按答复去办理，窗口说材料不对")
    page.click("#reopen")
    page.wait_for_function("document.getElementById('ticket-state').textContent === '办理中'")
    assert not page.query_selector("#reopen")

    page.goto(f"{site['stub']}/app/#/ticket/{second.id}")
    page.wait_for_selector("#close-ticket")
    page.click("#close-ticket")
    page.wait_for_function("document.getElementById('ticket-state').textContent === '已关闭'")
    page.wait_for_selector("#closed-note")
    p.shot("closed")


def test_a_slow_request_shows_a_loading_state(site, phone):
    p = phone()
    page = p.page
    resident(p, site, "郑华", "13600007777")
    page.goto(f"{site['stub']}/app/#/home")
    page.wait_for_selector(".grid")

    held = []  # the certificates request is held until the loading state has been seen
    page.route("**/api/v1/me/certificates", lambda route: held.append(route))
    page.click("nav.tabs a[data-tab=certs]")
    page.wait_for_selector("#route-loading", state="visible")
    assert page.get_attribute("#view", "aria-busy") == "true"
    assert page.inner_text("#route-loading") == "加载中…"
    p.shot("loading")
    page.wait_for_function("true")  # let the route handler run
    assert held
    held[0].continue_()
    page.wait_for_selector("text=我的证照")
    page.wait_for_selector("#route-loading", state="hidden")
    assert page.get_attribute("#view", "aria-busy") is None
    page.unroute("**/api/v1/me/certificates")

    held.clear()
    page.goto(f"{site['stub']}/app/#/events")
    page.wait_for_selector("#report-event")
    page.route("**/api/v1/me/life-events", lambda route: held.append(route) if route.request.method == "POST"
               else route.continue_())
    page.fill("#ev-date", (clock.today() - timedelta(days=30)).isoformat())
    page.fill("#ev-employer", "广州某科技有限公司")
    page.click("#report-event")
    page.wait_for_selector("#report-event:disabled")
    assert page.inner_text("#report-event") == "处理中…"
    held[0].continue_()
    page.wait_for_selector(".life-event >> text=就业")
    page.locator(".life-event", has_text="就业").locator("summary").click()
    assert "广州某科技有限公司" in page.inner_text(".life-event")


def test_the_qr_and_its_countdown_are_in_view_after_generating(site, phone, client):
    p = phone()
    page = p.page
    id_number = new_id_number()
    issue_certificate(client, full_authority(), id_number, holder_name="林海", number="440106ID9999")
    reach_l3(p, site["stub"], name="林海", phone="13600008888", id_number=id_number)
    page.goto(f"{site['stub']}/app/#/certs")
    page.click(".cert .btn")
    page.wait_for_selector("#make")
    own = page.inner_text("#claims-own")
    assert_words(own)
    labels = [t.strip() for t in page.locator("#claims-own label").all_inner_texts()]
    assert labels[0] == "姓名" and "证照号码" in labels  # the certificate type's order, labelled
    assert_words(page.inner_text("#claims-derived"))

    page.evaluate("""() => { window.__seen = [];
      new MutationObserver(() => { const b = document.getElementById('make');
        window.__seen.push([!!document.getElementById('qr-progress'), b.disabled]); })
        .observe(document.getElementById('view'), { subtree: true, childList: true, attributes: true }); }""")
    page.check('input[name=claim][value="name"]')
    page.check('input[name=claim][value="age_over_18"]')
    page.click("#make")
    page.wait_for_function("document.getElementById('countdown') && document.getElementById('countdown').textContent")
    assert [True, True] in page.evaluate("window.__seen")  # progress shown with the button disabled
    page.wait_for_function("""() => { const r = document.getElementById('countdown').getBoundingClientRect();
      return r.bottom <= innerHeight && r.top >= 0; }""")
    for selector in ("#qr-image", "#countdown"):
        box = page.locator(selector).bounding_box()
        assert box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"], (selector, box)
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], (selector, box)
    assert page.is_enabled("#make")
    p.shot("qr-in-view")


def test_consent_and_preferences_can_be_changed_from_the_pages(site, phone, emulator):
    for template in load_templates().values():  # as on WeChat
        emulator._post("/templates", {"template_id": template.template_id, "kind": template.kind,
                                      "keywords": template.keywords})
    p = phone()
    p.expect_http_error(422)
    page = p.page
    _id, account_id = resident(p, site, "何芳", "13600009999")
    page.goto(f"{site['stub']}/app/#/inbox")
    page.click("#go-preferences")
    page.wait_for_selector(".subscription")
    expiry = load_templates()["expiry_reminder"].template_id
    row = page.locator(f".subscription[data-template='{expiry}']")
    assert row.locator(".subscription-state").inner_text() == "未订阅"
    assert_words(page.inner_text("#subscriptions"))
    row.locator("button[data-answer=accept]").click()
    page.wait_for_function(f"""document.querySelector(".subscription[data-template='{expiry}'] .subscription-state")
      .textContent === '已允许'""")
    session().rollback()  # a fresh read: the answer was recorded by the server
    assert {c["template_id"]: c["status"] for c in consent.my_consents(account_id)} == {expiry: "accept"}
    p.shot("consent")

    assert_words(page.inner_text("#categories"))
    page.uncheck("input[name=category][value=business]")
    page.fill("#daily-cap", "99")
    page.click("#save-preferences")
    page.wait_for_selector("#pref-err .error")  # refused, in Chinese, nothing changed
    assert_words(page.inner_text("#pref-err"))
    page.fill("#daily-cap", "2")
    page.fill("#quiet-start", "21:30")
    page.click("#save-preferences")
    page.wait_for_selector(".toast >> text=设置已保存")
    page.reload()
    page.wait_for_selector("#save-preferences")
    assert not page.is_checked("input[name=category][value=business]")
    assert page.is_checked("input[name=category][value=certificates]")
    assert page.input_value("#daily-cap") == "2" and page.input_value("#quiet-start") == "21:30"
    p.shot("preferences")
