"""A resident goes from first login to L3 in the mini program stub, in headless Chromium."""

from tests.support.residents import new_id_number


def test_first_login_to_l3_in_the_browser(site, phone, emulator):
    p = phone()
    page = p.page
    page.goto(f"{site['stub']}/app/")
    page.wait_for_selector("#login")
    p.assert_no_horizontal_scroll()
    id_number = new_id_number()
    page.fill("#wx-name", "陈小明")
    page.fill("#wx-phone", "13600001111")
    page.fill("#wx-id_number", id_number)
    p.shot("login")
    page.click("#login")
    page.wait_for_selector("button#phone")  # the phone-number button of step ①
    p.shot("verify-l0")
    page.click("button#phone")
    page.wait_for_selector("#realname-go")
    page.click("#realname-go")
    page.click("#rn-submit")
    page.wait_for_selector("#face")
    p.shot("verify-l2")
    page.click("#face")
    page.wait_for_selector("#done")
    assert "L3" in page.inner_text("#level-badge")
    p.shot("verify-l3")
    page.click("#done")
    page.wait_for_selector(".grid")
    p.assert_no_horizontal_scroll()
    page.goto(f"{site['stub']}/app/#/me")
    page.wait_for_selector("#me-id")
    assert page.inner_text("#me-id") == id_number  # own identity, unmasked at L3
    p.shot("me")
