"""A department app logs a resident in with yss in the browser, at 375×667: the sample app → the
consent page in the mini program → two of three claims approved → back at the app with exactly
those two; 我的授权 lists the consent; revoking it makes the app's refresh fail."""

from __future__ import annotations

from datetime import date

from app.oidc.clients import register_client
from config import get_settings
from tests.browser.steps import reach_l3
from tests.support.certificates import full_authority, issue_certificate
from tests.support.residents import new_id_number


def test_a_resident_logs_in_to_a_department_app_sharing_two_of_three_claims_then_revokes(
        site, phone, client, monkeypatch):
    from tests.support.emulator import emulator_app

    stub = site["stub"]
    registered = register_client(
        name="广州交警", department="广州市公安局交通警察支队", logo_text="交警", redirect_uris=[f"{stub}/rp/callback"],
        claims={"name": "核对办理人身份"},
        optional_claims={"phone_number": "办理进度短信通知", "driving_licence_valid": "确认可以办理车辆业务"})
    emulator_app().config.update(RP_ISSUER=site["api"], RP_CLIENT_ID=registered.client.client_id,
                                 RP_CLIENT_SECRET=registered.client_secret, RP_SCOPE=None)
    monkeypatch.setattr(get_settings(), "oidc_consent_url", f"{stub}/app/")
    id_number = new_id_number()
    issue_certificate(client, full_authority(), id_number, type="driving_licence", holder_name="林小红",
                      expires_on=date(2040, 1, 1))

    p = phone()
    page = p.page
    reach_l3(p, stub, name="林小红", phone="13600003333", id_number=id_number)

    page.goto(f"{stub}/rp/")
    page.wait_for_selector("#rp-login")
    p.shot("department-app")
    page.click("#rp-login")
    page.wait_for_selector("#consent-approve")
    assert page.inner_text("#consent-client") == "广州交警"
    assert page.inner_text("#consent-department") == "广州市公安局交通警察支队"
    assert [e.get_attribute("data-claim") for e in page.query_selector_all(".consent-claim")] == [
        "name", "phone_number", "driving_licence_valid"]
    assert "确认可以办理车辆业务" in page.inner_text('.consent-claim[data-claim="driving_licence_valid"]')
    assert page.is_disabled('input[name=claim][value="name"]')  # required: cannot be declined
    p.assert_no_horizontal_scroll()
    p.shot("consent")
    page.uncheck('input[name=claim][value="phone_number"]')
    page.click("#consent-approve")

    page.wait_for_selector("#rp-claims")
    received = {e.get_attribute("data-claim") for e in page.query_selector_all(".rp-claim")}
    assert received == {"name", "driving_licence_valid"}
    assert "林小红" in page.inner_text('.rp-claim[data-claim="name"]')
    assert page.inner_text("#rp-acr") == "yss:L3"
    p.assert_no_horizontal_scroll()
    p.shot("back-at-the-app")
    page.click("#rp-refresh")
    page.wait_for_selector('#rp-refresh-result[data-ok="true"]')

    page.goto(f"{stub}/app/#/authorizations")
    row = f'.authorization[data-client="{registered.client.client_id}"]'
    page.wait_for_selector(row)
    assert "姓名、是否持有有效驾驶证" in page.inner_text(row)
    assert "手机号码" in page.inner_text(row)  # shown as declined
    p.assert_no_horizontal_scroll()
    p.shot("my-authorizations")
    page.click(f"{row} button.revoke")
    page.wait_for_selector("#no-authorizations")
    p.shot("revoked")

    p.expect_http_error(400)  # the app's page after a refused refresh
    page.goto(f"{stub}/rp/me")
    page.click("#rp-refresh")
    page.wait_for_selector('#rp-refresh-result[data-ok="false"]')
    assert page.get_attribute("#rp-refresh-result", "data-error") == "invalid_grant"
    p.shot("refresh-refused")


def test_a_resident_below_the_apps_level_is_taken_through_the_missing_step_and_back(site, phone, monkeypatch):
    from tests.support.emulator import emulator_app

    stub = site["stub"]
    registered = register_client(name="广州医保", department="广州市医疗保障局", redirect_uris=[f"{stub}/rp/callback"],
                                 claims={"name": "核对参保人身份"}, min_level=2)
    emulator_app().config.update(RP_ISSUER=site["api"], RP_CLIENT_ID=registered.client.client_id,
                                 RP_CLIENT_SECRET=registered.client_secret, RP_SCOPE="openid profile")
    monkeypatch.setattr(get_settings(), "oidc_consent_url", f"{stub}/app/")
    p = phone()
    page = p.page
    page.goto(f"{stub}/app/")
    page.wait_for_selector("#login")
    page.fill("#wx-name", "黄小平")
    page.fill("#wx-phone", "13600004444")
    page.fill("#wx-id_number", new_id_number())
    page.click("#login")
    page.wait_for_selector("button#phone")  # L0: WeChat login only

    page.goto(f"{stub}/rp/")
    page.click("#rp-login")
    page.wait_for_selector("#consent-verify")
    assert "实名认证（L2）" in page.inner_text("#consent-level")
    p.shot("level-needed")
    page.click("#consent-verify")
    page.click("button#phone")
    page.click("#realname-go")
    page.click("#rn-submit")
    page.wait_for_selector("#face")  # L2 reached
    p.shot("verified")
    page.click("#back-to-consent")
    page.wait_for_selector("#consent-approve")
    page.click("#consent-approve")
    page.wait_for_selector("#rp-claims")
    assert page.inner_text("#rp-acr") == "yss:L2"
    assert "黄小平" in page.inner_text('.rp-claim[data-claim="name"]')
    p.shot("back-at-the-app")
