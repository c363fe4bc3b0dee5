"""The staff console at a desk (1366×768): the queue beside the case, open work first; only the
actions the API would accept are offered; the log is labelled; failures show their Chinese message;
tabs follow the role. The verifier reads a QR from a picture and says what to do on an empty submit."""

from __future__ import annotations

import base64
from datetime import timedelta

from app import clock
from app.db import session
from app.tickets import lifecycle
from tests.browser.conftest import Phone
from tests.browser.steps import staff_login
from tests.support.residents import create_resident
from tests.support.staff import create_staff_member, load_demo_catalogue
from tests.support.tickets import ticket_in_state

DESK = {"width": 1366, "height": 768}


def _box(page, selector):
    return page.locator(selector).first.bounding_box()


def _overlap(a, b) -> bool:
    return not (a["x"] + a["width"] <= b["x"] or b["x"] + b["width"] <= a["x"] or
                a["y"] + a["height"] <= b["y"] or b["y"] + b["height"] <= a["y"])


def _desk(phone, label):
    staff = phone(label)
    staff.page.set_viewport_size(DESK)
    return staff


def test_the_queue_and_the_case_side_by_side_offering_only_what_the_api_accepts(site, phone, emulator):
    load_demo_catalogue()
    handler = create_staff_member(display_name="公安厅工作人员 001号")
    supervisor = create_staff_member(role="supervisor", display_name="公安厅值班主管", log_in=False)
    resident = create_resident(level=3)
    with clock.freeze(clock.now() - timedelta(days=40)):
        closed = ticket_in_state(resident.account_id, handler, "closed")
    working = ticket_in_state(resident.account_id, handler, "in_progress")
    fresh = ticket_in_state(resident.account_id, handler, "new")

    staff = _desk(phone, "supervisor")
    console = staff.page
    staff_login(staff, site["stub"], supervisor)
    console.wait_for_selector(".queue-item")
    states = console.eval_on_selector_all(".queue-item", "els => els.map(e => e.dataset.state)")
    assert states[-1] == "closed" and set(states[:-1]) == {"in_progress", "new"}  # open work first

    console.click(f'.queue-item[data-id="{working.id}"] a')
    console.wait_for_selector("#ticket-state[data-state='in_progress']")
    queue, case = _box(console, "#pane-list"), _box(console, "#pane-case")
    assert queue["x"] + queue["width"] <= case["x"] and case["x"] + case["width"] <= DESK["width"]
    assert queue["y"] < DESK["height"] and case["y"] < DESK["height"] and abs(queue["y"] - case["y"]) < 5
    assert console.get_attribute(f'.queue-item[data-id="{working.id}"]', "class").split().count("current") == 1
    assert console.eval_on_selector_all("[data-step]", "els => els.map(e => e.dataset.step)") == [
        "await_requester", "resolve"]
    assert console.locator("#claim").count() == 0
    labels = console.inner_text(".ticket-log")
    assert "认领" in labels and "开始办理" in labels
    assert "claim" not in labels and "opened" not in labels
    staff.shot("queue-and-case")

    console.click("#send")  # an empty reply is not sent
    assert console.inner_text("#reply-err") == "请先输入回复内容"
    console.click('[data-step="resolve"]')  # nor a resolution without its note
    assert console.inner_text("#err") == "请填写办理结果后再办结"
    console.fill("#step-note", "已电话告知换领所需材料")
    console.click('[data-step="resolve"]')
    console.wait_for_selector("#ticket-state[data-state='resolved']")
    console.wait_for_selector(".toast")
    assert not _overlap(_box(console, ".toast"), _box(console, "#ticket-title"))
    assert not _overlap(_box(console, ".toast"), _box(console, "#actions"))
    assert "办结：已电话告知换领所需材料" in console.inner_text(".ticket-log")
    assert console.locator("[data-step]").count() == 0  # resolved: the requester has 7 days to reopen
    staff.shot("resolved")

    # The requester closes it while it is open on the desk: the reply is refused in Chinese.
    session().rollback()  # end this thread's read: the page resolved it through the API, in another connection
    lifecycle.close_by_requester(resident.account_id, working.id)
    staff.expect_http_error(409)
    console.fill("#reply", "请问还有其他问题吗？")
    console.click("#send")
    console.wait_for_selector("#reply-err .error")
    assert console.inner_text("#reply-err") == "工单已关闭，不能再留言"

    console.click(f'.queue-item[data-id="{closed.id}"] a')
    console.wait_for_selector("#ticket-state[data-state='closed']")
    assert console.locator("[data-step], #claim, #reply, #transfer").count() == 0
    assert console.is_visible("#no-actions") and console.is_visible("#reply-closed")
    staff.shot("closed-case")

    console.click(f'.queue-item[data-id="{fresh.id}"] a')
    console.wait_for_selector("#ticket-state[data-state='new']")
    assert console.locator("#claim").count() == 1 and console.locator("[data-step]").count() == 0
    assert console.locator("#transfer").count() == 1  # anyone of the department may send a new one on


def test_an_agent_sees_only_the_tabs_an_agent_may_open_and_a_supervisor_more(site, phone, emulator):
    load_demo_catalogue()
    agent = create_staff_member(log_in=False)
    supervisor = create_staff_member(role="supervisor", log_in=False)
    tabs = "els => els.map(e => e.dataset.tab)"

    desk = _desk(phone, "agent")
    staff_login(desk, site["stub"], agent)
    assert desk.page.eval_on_selector_all("nav.tabs a", tabs) == ["queue", "applications"]
    desk.shot("agent-tabs")

    other = _desk(phone, "supervisor")
    staff_login(other, site["stub"], supervisor)
    assert other.page.eval_on_selector_all("nav.tabs a", tabs) == [
        "queue", "applications", "deadlines", "sla", "ratings", "rectifications"]


def test_the_application_queue_and_case_sit_side_by_side_too(site, phone, emulator):
    load_demo_catalogue()
    agent = create_staff_member(log_in=False)
    staff = _desk(phone, "agent")
    console = staff.page
    staff_login(staff, site["stub"], agent)
    console.click('[data-tab="applications"]')
    console.wait_for_selector("#queue")
    assert console.is_visible("#pane-list") and console.is_visible("#pane-case")
    queue, case = _box(console, "#pane-list"), _box(console, "#pane-case")
    assert queue["x"] + queue["width"] <= case["x"]
    staff.shot("applications")


def test_the_verifier_asks_for_a_code_before_checking_and_reads_one_from_a_picture(site, browser, request):
    verifier = Phone(browser, request.node.name)
    try:
        v = verifier.page
        v.goto(f"{site['stub']}/verifier/")
        v.wait_for_selector("#freshness[data-fetched-at]")
        for button in ("#verify", "#verify-online"):
            v.click(button)
            assert v.inner_text("#empty-input") == "请先扫描亮证码，或粘贴亮证码文字或截图"
            assert v.inner_text("#result") == ""

        text = "not-a-presentation~x"
        gif = v.evaluate("""async (text) => {
            const { default: qrcode } = await import('/vendor/qrcode.mjs');
            const qr = qrcode(0, 'M'); qr.addData(text); qr.make();
            return qr.createDataURL(6, 4); }""", text)
        image = {"name": "亮证码截图.gif", "mimeType": "image/gif", "buffer": base64.b64decode(gif.split(",", 1)[1])}
        v.set_input_files("#qr-file", image)
        v.wait_for_selector("#verify-ok, #verify-failed")
        assert v.input_value("#presentation") == text
        assert v.get_attribute("#verify-failed", "data-code") == "presentation_malformed"
        verifier.shot("read-from-picture")

        blank = {"name": "blank.gif", "mimeType": "image/gif",
                 "buffer": base64.b64decode("R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==")}
        v.set_input_files("#qr-file", blank)
        v.wait_for_selector("#no-qr")
        assert verifier.unexpected_errors() == []
    finally:
        verifier.close()
