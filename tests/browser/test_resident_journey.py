"""A resident goes from first login to L3 in the mini program stub, in headless Chromium."""

from tests.browser.steps import reach_l3
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


def test_a_resident_shows_a_certificate_that_the_verifier_page_accepts(site, phone, emulator, client):
    from tests.support.certificates import full_authority, issue_certificate

    id_number = new_id_number()
    issue_certificate(client, full_authority(), id_number, holder_name="周晓燕", number="440106ID0001")
    p = phone("holder")
    page = p.page
    reach_l3(p, site["stub"], name="周晓燕", phone="13600002222", id_number=id_number)
    page.goto(f"{site['stub']}/app/#/certs")
    page.wait_for_selector(".cert")
    p.shot("wallet")
    page.click(".cert a")
    page.wait_for_selector("#make")
    page.check('input[name=disclose][value="name"]')
    page.check('input[name=derived][value="age_over_18"]')
    page.click("#make")
    page.wait_for_selector("img.qr")
    assert "后失效" in page.inner_text("#countdown")
    p.assert_no_horizontal_scroll()
    p.shot("qr")
    payload = page.inner_text("#payload")

    verifier = phone("verifier")
    v = verifier.page
    v.goto(f"{site['stub']}/verifier/")
    v.fill("#payload", payload)
    v.click("#verify")
    v.wait_for_selector("#verify-ok")
    assert v.inner_text('[data-claim="name"]').endswith("周晓燕")
    assert v.locator('[data-claim="number"]').count() == 0  # not disclosed, not shown
    assert "是" in v.inner_text('[data-claim="age_over_18"]')
    verifier.shot("accepted")
    verifier.expect_http_error(422)
    v.fill("#payload", payload[:-3] + ("A" if payload[-3] != "A" else "B") + payload[-2:])
    v.click("#verify")
    v.wait_for_selector("#verify-failed")
    assert v.get_attribute("#verify-failed", "data-code") == "show_signature_invalid"
    verifier.shot("tampered")
