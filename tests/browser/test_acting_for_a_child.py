"""为谁办理 at 375×667: a parent switches to their 14-year-old son, shows his birth certificate (亮证), the
verifier accepts it, and the son, on his own phone, finds his father named in his data tracker."""

from __future__ import annotations

from datetime import date

from tests.browser.steps import reach_l3
from tests.browser.test_holder_credentials import make_presentation, verify_pasted
from tests.support.certificates import full_authority, issue_certificate
from tests.support.intake import record as intake_record
from tests.support.intake import send_batch
from tests.support.residents import new_id_number


def test_a_parent_shows_the_childs_birth_certificate_and_the_child_sees_who_did(site, phone, client):
    parent_number, child_number = new_id_number(), new_id_number(birth=date(2012, 4, 9))
    authority = full_authority()
    p = phone("parent")
    page = p.page
    reach_l3(p, site["stub"], name="黄志强", phone="13600003333", id_number=parent_number)
    response = send_batch(client, authority, [
        intake_record("person", "P-acting-child", {"name": "黄小宇", "id_number": child_number}),
        intake_record("household_link", "L-acting-child", {"from_id_number": child_number,
                                                           "to_id_number": parent_number, "relation": "parent"})])
    assert response.status_code == 200, response.json
    issue_certificate(client, authority, child_number, type="birth_certificate", holder_name="黄小宇",
                      number="O440106201204090001", issued_on=date(2012, 4, 9), expires_on=None)

    page.goto(f"{site['stub']}/app/#/home")
    page.click("#to-acting")
    page.wait_for_selector(".acting-person")
    assert "监护人" in page.inner_text(".acting-person")
    p.shot("switch")
    page.click(".acting-person .acting-choice")
    page.wait_for_selector("#acting-name")
    assert page.inner_text("#acting-name") == "黄小宇"
    page.goto(f"{site['stub']}/app/#/certs")
    page.wait_for_selector(".cert[data-type=birth_certificate]")
    p.assert_no_horizontal_scroll()
    p.shot("child-certificates")
    page.click(".cert[data-type=birth_certificate] a")
    page.wait_for_selector("#make")
    presentation = make_presentation(page, claims=("name",))
    p.shot("qr")

    verifier = phone("verifier")
    v = verifier.page
    v.goto(f"{site['stub']}/verifier/")
    v.wait_for_selector("#freshness[data-fetched-at]")
    assert verify_pasted(v, presentation, "#verify-online") == "ok"
    shown = {e.get_attribute("data-claim"): e.inner_text() for e in v.query_selector_all(".claim")}
    assert set(shown) == {"name"} and shown["name"].endswith("黄小宇")
    verifier.shot("accepted")

    child = phone("child")
    reach_l3(child, site["stub"], name="黄小宇", phone="13600004444", id_number=child_number)
    c = child.page
    c.goto(f"{site['stub']}/app/#/access-log")
    c.wait_for_selector(".access-entry")
    entries = [e.inner_text() for e in c.query_selector_all(".access-entry")]
    assert any("黄志强（监护人）" in e and "代办：为您出示电子证照（亮证）" in e for e in entries), entries
    assert any("黄志强（监护人）" in e and "代办：查看您的电子证照" in e for e in entries), entries
    assert any("扫码核验方" in e for e in entries), entries
    child.shot("tracker")
