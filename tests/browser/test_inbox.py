"""A push reminder appears in the inbox after a scan, with why it was sent."""

from datetime import timedelta

from click.testing import CliRunner

from app import clock
from tests.browser.steps import reach_l3
from tests.support.certificates import full_authority, issue_certificate
from tests.support.residents import new_id_number


def test_an_id_card_reminder_appears_in_the_inbox_after_a_scan(site, phone, emulator, client, app):
    id_number = new_id_number()
    issue_certificate(client, full_authority(), id_number, holder_name="吴建国", number="440106ID7777",
                      expires_on=clock.today() + timedelta(days=45))
    p = phone()
    page = p.page
    reach_l3(p, site["stub"], name="吴建国", phone="13600003333", id_number=id_number)

    result = CliRunner().invoke(app.cli, ["push", "scan", "--inline"])
    assert result.exit_code == 0, result.output

    page.goto(f"{site['stub']}/app/#/home")
    page.wait_for_selector("#unread-count")
    assert page.inner_text("#unread-count") == "1"
    page.goto(f"{site['stub']}/app/#/inbox")
    page.wait_for_selector(".notification")
    notification = page.locator(".notification").first
    assert "身份证" in notification.inner_text()
    notification.locator("summary").click()
    why = notification.locator(".why").inner_text()
    assert "到期" in why and "440106ID7777" not in why  # the rule and masked facts, never the number
    p.assert_no_horizontal_scroll()
    p.shot("inbox")
