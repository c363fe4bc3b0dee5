"""A resident files a ticket, staff resolve it in the console, the resident rates it, and the
ratings dashboard counts it."""

from sqlalchemy import select

from app.db import session
from app.identity.models import Account
from app.security.keys import lookup_hash
from tests.browser.steps import reach_l3, staff_login
from tests.support.residents import new_id_number
from tests.support.staff import create_staff_member, load_demo_catalogue, service_id
from tests.support.tickets import ticket_in_state


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
    staff_login(staff, site["stub"], supervisor)
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
    console.fill("#step-note", "已告知换领所需材料：原身份证")
    console.click('[data-step="resolve"]')
    console.wait_for_function("document.querySelector('#ticket-state').textContent === '已办结'")
    staff.shot("resolved")

    page.goto(ticket_url)
    page.reload()
    page.wait_for_selector('[data-score="5"]')
    assert "广东省公安厅 工作人员" in page.inner_text(".thread")  # department and number, never a name
    assert "公安厅值班主管" not in page.inner_text(".thread")
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


def test_a_bad_rating_is_rectified_and_rated_again_and_a_mistaken_one_appealed(site, phone, emulator):
    load_demo_catalogue()
    supervisor = create_staff_member(role="supervisor", display_name="公安厅值班主管", log_in=False)
    admin = create_staff_member(role="admin", departments=("gd-rst",), display_name="好差评管理员", log_in=False)
    resident = phone("resident")
    page = resident.page
    id_number = new_id_number()
    reach_l3(resident, site["stub"], name="陈静", phone="13700003333", id_number=id_number)
    account_id = session().scalars(select(Account.id).where(
        Account.id_number_hash == lookup_hash(id_number, "id_number"))).one()
    handler = create_staff_member(display_name="公安厅工作人员 001号")
    slow, unrelated = (ticket_in_state(account_id, handler, "resolved").id for _ in range(2))

    for ticket_id, score in ((slow, "1"), (unrelated, "2")):
        page.goto(f"{site['stub']}/app/#/ticket/{ticket_id}")
        page.wait_for_selector(f'[data-score="{score}"]')
        page.click(f'[data-score="{score}"]')
        page.wait_for_selector("#rated")
    resident.shot("rated-badly")

    staff = phone("supervisor")
    console = staff.page
    staff_login(staff, site["stub"], supervisor)
    assert console.is_hidden('[data-tab="appeals"]')  # appeals are decided by admins
    console.goto(f"{site['stub']}/console/#/rectifications")
    console.wait_for_selector(".case")
    first, second = sorted(console.eval_on_selector_all(".case", "els => els.map(e => Number(e.dataset.id))"))
    console.fill(f'[data-outcome-text="{first}"]', "已约谈承办人并电话回访")
    console.click(f'[data-outcome="{first}"]')
    console.wait_for_selector(f'.case[data-id="{first}"][data-state="rectified"]')
    console.fill(f'[data-appeal-text="{second}"]', "评价内容与本工单无关，系误评")
    console.click(f'[data-appeal="{second}"]')
    console.wait_for_selector(f'.case[data-id="{second}"][data-state="appealed"]')
    staff.assert_no_horizontal_scroll()
    staff.shot("rectified-and-appealed")

    judge = phone("admin")
    review = judge.page
    staff_login(judge, site["stub"], admin)
    review.click('[data-tab="appeals"]')
    review.wait_for_selector(f'.appeal[data-id="{second}"]')
    review.fill(f'[data-decision-note="{second}"]', "评价与工单无关，申诉成立")
    judge.shot("appeal")
    review.click(f'[data-decide="{second}"][data-decision="upheld"]')
    review.wait_for_selector("text=没有待审核的申诉")
    judge.assert_no_horizontal_scroll()
    judge.shot("decided")

    page.goto(f"{site['stub']}/app/#/ticket/{slow}")
    page.wait_for_selector("text=差评已整改，您可以再评价一次")
    page.click('[data-score="4"]')
    page.wait_for_selector("#rated:has-text('整改后再评价')")
    assert page.is_hidden('[data-score="5"]')  # only once
    resident.shot("rated-again")

    console.goto(f"{site['stub']}/console/#/ratings?group_by=department")
    console.wait_for_selector(".aggregate")
    row = console.locator(".aggregate", has_text="广东省公安厅")
    assert row.locator(".count").inner_text() == "1"  # the re-rated 4; the appealed rating no longer counts
    assert "4.00" in row.inner_text()
    staff.shot("dashboard")
