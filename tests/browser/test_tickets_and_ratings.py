"""A resident files a ticket, staff resolve it in the console, the resident rates it, and the
ratings dashboard counts it."""

import time

from app.security.totp import totp_code
from tests.browser.steps import reach_l3
from tests.support.residents import new_id_number
from tests.support.staff import create_staff_member, load_demo_catalogue, service_id


def test_ticket_from_filing_to_rating_counted_on_the_dashboard(site, phone, emulator):
    load_demo_catalogue()
    supervisor = create_staff_member(role="supervisor", display_name="公安厅值班主管", log_in=False)

    resident = phone("resident")
    page = resident.page
    reach_l3(resident, site["stub"], name="黄丽", phone="13700002222", id_number=new_id_number())
    page.goto(f"{site['stub']}/app/#/tickets")
    page.wait_for_selector("#open")
    page.select_option("#kind", "consultation")
    page.select_option("#service", str(service_id("gd-gat-sfz-hl")))
    page.fill("#title", "身份证到期换领要带什么")
    page.fill("#description", "我的身份证下月到期，想知道换领需要哪些材料。")
    page.click("#open")
    page.wait_for_selector("#ticket-state")
    ticket_url = page.url
    resident.shot("filed")

    staff = phone("staff")
    console = staff.page
    console.goto(f"{site['stub']}/console/")
    console.wait_for_selector("#login")
    console.fill("#username", supervisor.username)
    console.fill("#password", supervisor.password)
    console.fill("#totp", totp_code(supervisor.totp_secret, int(time.time())))
    staff.shot("login")
    console.click("#login")
    console.wait_for_selector(".queue-item")
    staff.shot("queue")
    console.click(".queue-item a")
    console.click("#claim")
    console.wait_for_function("document.querySelector('#ticket-state').textContent === '已分派'")
    console.click('[data-step="start"]')
    console.wait_for_function("document.querySelector('#ticket-state').textContent === '办理中'")
    console.fill("#reply", "请携带原身份证到就近派出所办理，无需其他材料。")
    console.click("#send")
    console.wait_for_selector(".thread .msg")
    console.wait_for_function("document.querySelector('#reply').value === ''")
    console.click('[data-step="resolve"]')
    console.wait_for_function("document.querySelector('#ticket-state').textContent === '已办结'")
    staff.shot("resolved")

    page.goto(ticket_url)
    page.reload()
    page.wait_for_selector('[data-score="5"]')
    assert "公安厅值班主管" in page.inner_text(".thread")  # the display name, never the username
    assert supervisor.username not in page.content()
    page.fill("#comment", "答复及时清楚")
    page.click('[data-score="5"]')
    page.wait_for_selector("#rated")
    resident.shot("rated")

    console.goto(f"{site['stub']}/console/#/ratings?group_by=department")
    console.wait_for_selector(".aggregate")
    row = console.locator(".aggregate", has_text="广东省公安厅")
    assert row.locator(".count").inner_text() == "1"
    staff.assert_no_horizontal_scroll()
    staff.shot("dashboard")
