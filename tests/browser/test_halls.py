"""Service halls in the browser: an ID-card reminder books a hall visit, and the hall officer sees it
in the console's day list and raises another resident to L3 in person at the counter."""

from __future__ import annotations

from datetime import datetime, timedelta

from click.testing import CliRunner

from app import clock
from tests.browser.steps import staff_login
from tests.support.certificates import full_authority, issue_certificate
from tests.support.halls import TIANHE, hall_officer
from tests.support.residents import L2, create_resident, new_id_number

DESK = {"width": 1280, "height": 800}


def test_a_reminder_books_a_visit_that_the_hall_officer_sees_and_the_counter_raises_a_resident_to_l3(
        site, phone, emulator, client, app):
    from tests.browser.steps import reach_l3

    id_number = new_id_number()
    issue_certificate(client, full_authority(), id_number, holder_name="陈美玲", number="440106ID8888",
                      expires_on=clock.today() + timedelta(days=45))
    resident = phone("resident")
    page = resident.page
    reach_l3(resident, site["stub"], name="陈美玲", phone="13600006666", id_number=id_number)
    assert CliRunner().invoke(app.cli, ["push", "scan", "--inline"]).exit_code == 0

    page.goto(f"{site['stub']}/app/#/inbox")
    reminder = page.locator(".notification", has_text="身份证即将到期")
    reminder.wait_for()
    assert reminder.locator("a.go-apply").count() == 1  # the online form is still offered beside the booking
    reminder.locator("a.go-book").click()
    page.wait_for_selector("#slots button.slot:not([disabled])")
    resident.assert_no_horizontal_scroll()
    resident.shot("slots")
    slot = page.locator("#slots button.slot:not([disabled])").first
    starts_at = datetime.fromisoformat(slot.get_attribute("data-starts"))
    slot.click()
    page.wait_for_selector("#appointment-status")
    assert page.inner_text("#appointment-status") == "已预约"
    resident.shot("booked")

    officer = hall_officer(TIANHE, log_in=False)  # the console logs in: a TOTP code works once
    desk = phone("officer")
    desk.page.set_viewport_size(DESK)
    staff_login(desk, site["stub"], officer)
    desk.page.wait_for_selector("#day-list")  # a hall officer lands on their hall, not a ticket queue
    day = starts_at.astimezone(clock.local_tz()).date().isoformat()
    desk.page.fill("#day", day)
    desk.page.dispatch_event("#day", "change")
    visitor = desk.page.locator(".visitor").first
    visitor.wait_for()
    assert "**玲" in visitor.inner_text() and "居民身份证换领" in visitor.inner_text()

    stuck = create_resident(L2, name="赵大爷")
    desk.page.fill("#id-number", stuck.id_number)
    desk.page.click("#look-up")
    desk.page.wait_for_selector('.person-at-counter[data-level="2"]')
    desk.page.click("#verify")
    desk.page.wait_for_selector('.person-at-counter[data-level="3"]')
    assert "柜面核验" in desk.page.inner_text("#person-level")
    desk.shot("in-person")
    assert client.get("/api/v1/me", headers=stuck.headers).json["l3_method"] == "in_person"
