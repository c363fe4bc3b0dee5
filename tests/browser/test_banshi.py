"""办事 in the browser at 375×667: from an ID-card reminder to a renewed card in the wallet, with the
department deciding in the console; and 出生一件事 as one form with each department's part."""

from __future__ import annotations

from datetime import timedelta

from click.testing import CliRunner

from app import clock
from tests.browser.steps import reach_l3, staff_login
from tests.support.applications import police_authority
from tests.support.certificates import CERTIFICATE_TYPES, PEOPLE_TYPES, certificate_data
from tests.support.intake import make_authority, record, send_batch
from tests.support.residents import new_id_number
from tests.support.staff import create_staff_member, load_demo_catalogue

DESK = {"width": 1280, "height": 800}


def _state(page, selector: str, state: str) -> None:
    page.wait_for_selector(f'{selector} [data-state="{state}"], {selector}[data-state="{state}"]')


def test_an_id_card_reminder_leads_to_a_prefilled_renewal_decided_in_the_console_and_shown_from_the_wallet(
        site, phone, emulator, client, app):
    load_demo_catalogue()
    id_number = new_id_number()
    police = police_authority()  # gd-gat itself issued the old card, so the renewal may supersede it
    old = certificate_data(id_number, holder_name="林晓峰", number="440106IDOLD1",
                           expires_on=clock.today() + timedelta(days=45))
    sent = send_batch(client, police, [
        record("person", "P-lin", {"name": "林晓峰", "id_number": id_number,
                                   "address": {"kind": "household", "text": "广东省广州市天河区体育西路 1 号"}}),
        record("person", "P-lin-home", {"name": "林晓峰", "id_number": id_number,
                                        "address": {"kind": "residence", "text": "广东省广州市海珠区新港中路 5 号"}}),
        record("certificate", "C-lin", old)])
    assert sent.status_code == 200, sent.json
    officer = create_staff_member(departments=("gd-gat",), display_name="公安厅受理员 007号", log_in=False)

    resident = phone("resident")
    page = resident.page
    reach_l3(resident, site["stub"], name="林晓峰", phone="13600005555", id_number=id_number)
    result = CliRunner().invoke(app.cli, ["push", "scan", "--inline"])
    assert result.exit_code == 0, result.output

    # The reminder in the inbox says why, and its "去办理" opens a prefilled renewal draft.
    page.goto(f"{site['stub']}/app/#/inbox")
    reminder = page.locator(".notification", has_text="身份证即将到期")
    reminder.wait_for()
    resident.shot("reminder")
    reminder.locator("a.go-apply").click()
    page.wait_for_selector("#form .form-field")
    resident.assert_no_horizontal_scroll()
    resident.shot("prefilled-draft")

    total = page.locator("#form .form-field").count()
    prefilled = page.locator('#form .form-field[data-prefilled="1"]').count()
    for key, value in (("name", "林晓峰"), ("id_number", id_number)):
        field = page.locator(f'#form .form-field[data-field="{key}"]')
        assert field.locator("input").input_value() == value
        assert field.locator("input").get_attribute("readonly") is not None  # authoritative: not editable
        assert field.locator(".provenance").inner_text().startswith("来自：")
    assert "公安" in page.inner_text('#form .form-field[data-field="name"] .provenance')
    mailing = page.locator('#form .form-field[data-field="mailing_address"]')  # self-declared: editable
    assert mailing.locator("input").get_attribute("readonly") is None
    assert mailing.locator("input").input_value() == "广东省广州市海珠区新港中路 5 号"

    # What the applicant types: the fields nothing prefilled (the reason for renewal).
    typed = 0
    for key in page.eval_on_selector_all('#form .form-field.declared:not([data-prefilled="1"])',
                                         "els => els.map(e => e.dataset.field)"):
        control = page.locator(f'#form .form-field[data-field="{key}"] [name]')
        if control.evaluate("e => e.tagName") == "SELECT":
            control.select_option(index=1)
        else:
            control.fill("广东省广州市天河区体育西路 1 号")
        typed += 1

    # The draft is saved and resumable: reopened from 我的办件, it still holds what was typed.
    page.click("#save")
    page.wait_for_selector(".toast:has-text('草稿已保存')")
    page.goto(f"{site['stub']}/app/#/banshi")
    page.locator(".my-application", has_text="居民身份证换领").locator("a").click()
    page.wait_for_selector("#form .form-field")
    assert page.locator('#form .form-field[data-field="reason"] select').input_value() != ""

    # The held ID card is attached by reference, not uploaded (the draft attaches the one held card).
    if page.locator('[data-attach="old_card"]').count():
        page.click('[data-attach="old_card"]')
    page.wait_for_selector('.material[data-material="old_card"][data-attached="1"]')
    assert page.locator('.material[data-material="old_card"] input[type="file"]').count() == 0
    assert "免提交" in page.inner_text('.material[data-material="old_card"]')
    resident.shot("card-attached")
    page.click("#submit")
    page.wait_for_selector("#application-number")
    number = page.inner_text("#application-number")
    assert number.startswith("YSS-")
    _state(page, "#application-state", "submitted")
    assert page.inner_text("#field-counts") == f"{prefilled} 项 / {typed} 项"
    resident.shot("submitted")
    progress_url = page.url

    # The department's officer accepts, then approves, at a desk.
    staff = phone("officer")
    console = staff.page
    console.set_viewport_size(DESK)
    staff_login(staff, site["stub"], officer)
    console.goto(f"{site['stub']}/console/#/applications")
    item = console.locator(".application-item", has_text=number)
    item.wait_for()
    staff.shot("queue")
    item.locator("a").click()
    console.wait_for_selector("#case-state")
    assert console.inner_text("#applicant-name") == "林晓峰"
    assert console.locator('[data-action="approve"]').count() == 0  # not before acceptance
    staff.shot("case-submitted")
    console.click('[data-action="accept"]')
    console.wait_for_selector('#case-state[data-state="accepted"], #case-state[data-state="in_review"]')
    assert console.locator('[data-action="accept"]').count() == 0
    console.fill("#opinion", "材料齐全，符合换领条件，准予换领。")
    console.click('[data-action="approve"]')
    console.wait_for_selector('#case-state[data-state="approved"], #case-state[data-state="completed"]')
    assert console.locator("[data-action]").count() == 0
    staff.shot("case-approved")

    # The applicant sees each step in the progress view and in the inbox.
    page.goto(progress_url)
    page.reload()
    page.wait_for_selector(".timeline .event")
    steps = page.inner_text(".timeline")
    for label in ("提交", "受理", "批准"):
        assert label in steps, steps
    assert "准予换领" in page.inner_text("#view")
    resident.assert_no_horizontal_scroll()
    resident.shot("progress")
    page.goto(f"{site['stub']}/app/#/inbox")
    page.wait_for_selector(".notification")
    inbox = page.inner_text("#view")
    for step in ("已提交", "已受理", "已批准"):
        assert f"（{number}）{step}" in inbox, inbox
    resident.shot("inbox-steps")

    # The renewed card is in the wallet and can be shown.
    page.goto(f"{site['stub']}/app/#/certs")
    page.wait_for_selector(".cert")
    renewed = page.locator('.cert[data-type="resident_id_card"]', has_text=str(clock.today().year + 20))
    renewed.wait_for()
    old_expiry = (clock.today() + timedelta(days=45)).isoformat()
    superseded = page.locator('.cert[data-type="resident_id_card"]', has_text=old_expiry)
    assert "即将到期" not in superseded.inner_text()  # the old card is superseded, not beside the new one
    resident.shot("wallet")
    renewed.locator("a").click()
    page.wait_for_selector("#make")
    page.check('input[name=claim][value="name"]')
    page.click("#make")
    page.wait_for_selector("#qr-image")
    assert "后失效" in page.inner_text("#countdown")
    resident.shot("shown")

    # One rating for this one case, reached from the notice that it was completed.
    page.goto(f"{site['stub']}/app/#/inbox")
    page.locator(".notification", has_text="办件已办结").locator("a.go-application").click()
    page.wait_for_selector('[data-score="5"]')
    assert page.inner_text("#application-number") == number
    page.fill("#comment", "一次都没跑，材料全是自动带出的")
    page.click('[data-score="5"]')
    page.wait_for_selector("#rated")
    assert page.locator("[data-score]").count() == 0
    page.reload()  # the score comes back with the application, not from the click
    page.wait_for_selector("#rated")
    assert page.inner_text("#rated-score") == "非常满意"
    assert page.inner_text("#rated-comment") == "一次都没跑，材料全是自动带出的"
    resident.shot("rated")
    print(f"\nprefilled={prefilled} typed={typed} of {total} fields")


def test_the_birth_bundle_is_one_form_whose_parts_each_department_processes_and_the_parent_sees_together(
        site, phone, emulator, client):
    load_demo_catalogue()
    parent_id = new_id_number()
    born = clock.today() - timedelta(days=5)
    child_id = new_id_number(born)
    registry = make_authority(PEOPLE_TYPES + CERTIFICATE_TYPES, name="广东省公安厅")
    sent = send_batch(client, registry, [
        record("person", "P-mother", {"name": "何丽君", "id_number": parent_id,
                                      "address": {"kind": "household", "text": "广东省佛山市禅城区祖庙路 8 号"}}),
        record("certificate", "C-mother", certificate_data(parent_id, holder_name="何丽君", number="440604IDHLJ1")),
        record("person", "P-baby", {"name": "何小满", "id_number": child_id}),
        record("household_link", "L-baby", {"from_id_number": child_id, "to_id_number": parent_id,
                                             "relation": "parent"}),
        record("life_event", "B-baby", {"id_number": child_id, "type": "birth", "date": born.isoformat(),
                                        "payload": {"hospital": "佛山市妇幼保健院"}})])
    assert sent.status_code == 200, sent.json
    health = create_staff_member(departments=("gd-wsjkw",), display_name="卫健委审核员", log_in=False)
    police = create_staff_member(departments=("gd-gat",), display_name="户政民警", log_in=False)

    resident = phone("parent")
    page = resident.page
    reach_l3(resident, site["stub"], name="何丽君", phone="13600006666", id_number=parent_id)

    # Found by a Chinese keyword in the 办事 tab; the guide says which services the one form reaches.
    page.goto(f"{site['stub']}/app/#/banshi")
    page.wait_for_selector("#found")
    page.fill("#q", "出生一件事")
    page.click("#search")
    page.wait_for_selector('#found[data-q="出生一件事"]')
    names = page.eval_on_selector_all(".guide-item", "els => els.map(e => e.innerText)")
    assert names and all("出生" in n for n in names), names
    resident.assert_no_horizontal_scroll()
    resident.shot("search")
    page.click('.guide-item[data-code="gd-wsjkw-csyjs"] a')
    page.wait_for_selector("#guide-name")
    assert page.locator(".guide-part").count() >= 3
    resident.shot("guide")
    page.click("#apply")

    # One form, prefilled from the birth record and the parent's own data.
    page.wait_for_selector("#form .form-field")
    assert page.locator('#form .form-field[data-field="child_name"] input').input_value() == "何小满"
    assert page.locator('#form .form-field[data-field="child_birth_date"] input').input_value() == born.isoformat()
    assert "来自：" in page.inner_text('#form .form-field[data-field="child_name"] .provenance')
    for key in page.eval_on_selector_all('#form .form-field.declared:not([data-prefilled="1"])',
                                         "els => els.map(e => e.dataset.field)"):
        page.fill(f'#form .form-field[data-field="{key}"] [name]', "广东省佛山市禅城区祖庙路 8 号")
    resident.assert_no_horizontal_scroll()
    resident.shot("one-form")
    page.click("#submit")
    page.wait_for_selector("#bundle-parts .bundle-part")
    parts = page.locator("#bundle-parts .bundle-part")
    departments = set(page.eval_on_selector_all("#bundle-parts .bundle-part .muted",
                                                "els => els.map(e => e.textContent.split(' · ')[0])"))
    assert parts.count() >= 3 and len(departments) >= 3, departments
    resident.shot("parts-submitted")
    bundle_url = page.url

    # Each department works its own part: health approves the birth certificate, police accept the 落户.
    for label, officer, service, steps in (("health", health, "gd-wsjkw-csyxzm", ("accept", "approve")),
                                           ("police", police, "gd-gat-xse-rh", ("accept",))):
        staff = phone(label)
        console = staff.page
        console.set_viewport_size(DESK)
        staff_login(staff, site["stub"], officer)
        console.goto(f"{site['stub']}/console/#/applications")
        console.wait_for_selector(".application-item")
        assert console.locator(".application-item").count() == 1  # only its own department's part
        console.click(".application-item a")
        console.wait_for_selector("#case-state")
        for step in steps:
            if step == "approve":
                console.fill("#opinion", "出生医学证明信息核验无误，准予登记。")
            console.click(f'[data-action="{step}"]')
            before = "submitted" if step == "accept" else "accepted"
            console.wait_for_selector(f'#case-state:not([data-state="{before}"])')
        staff.shot(service)

    page.goto(bundle_url)
    page.reload()
    page.wait_for_selector("#bundle-parts .bundle-part")
    state_of = dict(page.eval_on_selector_all(
        "#bundle-parts .bundle-part", "els => els.map(e => [e.dataset.service, e.dataset.state])"))
    assert state_of["gd-wsjkw-csyxzm"] == "completed"
    assert state_of["gd-gat-xse-rh"] == "accepted"
    assert state_of["gd-ybj-xse-cb"] == "submitted"
    resident.assert_no_horizontal_scroll()
    resident.shot("parts-progress")


def test_a_residence_permit_with_an_upload_goes_through_supplement_and_its_endorsement_is_decided_by_rule(
        site, phone, emulator, client):
    load_demo_catalogue()
    id_number = new_id_number()
    police = make_authority(PEOPLE_TYPES + CERTIFICATE_TYPES, name="广东省公安厅")
    sent = send_batch(client, police, [
        record("person", "P-zhou", {"name": "周海燕", "id_number": id_number,
                                    "address": {"kind": "household", "text": "湖南省长沙市岳麓区麓山路 2 号"}}),
        record("person", "P-zhou-home", {"name": "周海燕", "id_number": id_number,
                                         "address": {"kind": "residence", "text": "广东省深圳市南山区科技园 9 号"}}),
        record("certificate", "C-zhou", certificate_data(id_number, holder_name="周海燕", number="430104IDZHY1"))])
    assert sent.status_code == 200, sent.json
    officer = create_staff_member(departments=("gd-gat",), display_name="居住证窗口", log_in=False)

    resident = phone("resident")
    page = resident.page
    reach_l3(resident, site["stub"], name="周海燕", phone="13600007777", id_number=id_number)
    page.goto(f"{site['stub']}/app/#/guide/gd-gat-jzz-bl")
    page.wait_for_selector("#apply")
    page.click("#apply")
    page.wait_for_selector('.material[data-material="tenancy"] [data-upload]')
    page.select_option('#form .form-field[data-field="basis"] select', "合法稳定住所")

    # A text file named .pdf is refused, in Chinese, beside the material; a real PDF is taken.
    resident.expect_http_error(422)
    page.set_input_files('[data-file="tenancy"]', files=[
        {"name": "租赁合同.pdf", "mimeType": "application/pdf", "buffer": "这不是PDF".encode()}])
    page.click('[data-upload="tenancy"]')
    page.wait_for_selector('.material[data-material="tenancy"] .error[data-code="upload_rejected"]')
    assert "PDF" in page.inner_text('.material[data-material="tenancy"] .error')
    resident.shot("upload-refused")
    page.set_input_files('[data-file="tenancy"]', files=[
        {"name": "租赁合同.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n% lease\n%%EOF\n"}])
    page.click('[data-upload="tenancy"]')
    page.wait_for_selector('.material[data-material="tenancy"][data-attached="1"]')
    assert "租赁合同.pdf" in page.inner_text('.material[data-material="tenancy"]')
    resident.shot("uploaded")
    page.click("#submit")
    page.wait_for_selector("#application-number")
    progress_url = page.url

    # The officer accepts and asks for a signed page of the lease (补正): the clock stops.
    staff = phone("officer")
    console = staff.page
    console.set_viewport_size(DESK)
    staff_login(staff, site["stub"], officer)
    console.goto(f"{site['stub']}/console/#/applications?state=submitted")
    console.click(".application-item a")
    console.click('[data-action="accept"]')
    console.wait_for_selector('#case-state[data-state="accepted"]')
    console.click('[data-action="request_supplement"]')
    console.wait_for_selector("#err .error")  # an opinion is required, and said so
    console.locator("details summary").click()
    console.check('input[name="supplement-material"][value="tenancy"]')
    console.fill("#opinion", "租赁合同缺少出租人签字页，请补充上传。")
    console.click('[data-action="request_supplement"]')
    console.wait_for_selector('#case-state[data-state="supplement_requested"]')
    assert "补正暂停" in console.inner_text("#view")
    assert "等待申请人补正" in console.inner_text("#no-actions")  # nothing to do until the applicant answers
    staff.shot("supplement-requested")

    page.goto(progress_url)
    page.reload()
    page.wait_for_selector("#go-supplement")
    assert "签字页" in page.inner_text("#supplement-request")
    assert "暂停计时" in page.inner_text("#deadline")
    resident.shot("supplement-shown")
    page.click("#go-supplement")
    page.wait_for_selector("#resubmit")
    assert "租赁合同" in page.inner_text("#to-fix")
    page.set_input_files('[data-file="tenancy"]', files=[
        {"name": "租赁合同-签字页.png", "mimeType": "image/png", "buffer": b"\x89PNG\r\n\x1a\n" + b"\0" * 64}])
    page.click('[data-upload="tenancy"]')
    page.wait_for_selector('.material[data-material="tenancy"] .attached')
    page.fill("#resubmit-message", "已上传签字页")
    resident.shot("supplement-answered")
    page.click("#resubmit")
    page.wait_for_selector('#application-state [data-state="in_review"]')

    console.reload()
    console.wait_for_selector('#case-state[data-state="in_review"]')
    assert "已上传签字页" in console.inner_text("#view")
    console.fill("#opinion", "材料齐全，准予办理居住证。")
    console.click('[data-action="approve"]')
    console.wait_for_selector('#case-state[data-state="completed"]')
    staff.shot("approved")

    # The permit is in the wallet, so its endorsement (签注) is decided at once by rule, explained.
    page.goto(f"{site['stub']}/app/#/certs")
    page.wait_for_selector('.cert[data-type="residence_permit"]')
    page.goto(f"{site['stub']}/app/#/banshi")
    page.wait_for_selector("#found")
    page.fill("#q", "签注")
    page.click("#search")
    page.wait_for_selector('#found[data-q="签注"]')
    page.click('.guide-item[data-code="gd-gat-jzz-qz"] a')
    page.wait_for_selector("#apply")
    assert "秒批" in page.inner_text("#view")
    page.click("#apply")
    page.wait_for_selector('.material[data-material="permit"][data-attached="1"]')
    page.click("#submit")
    page.wait_for_selector('#rule-outcome[data-holds="1"]')
    outcome = page.inner_text("#rule-outcome")
    assert "jzz_qz_valid_permit" in outcome and "第 1 版" in outcome and "✓" in outcome
    assert page.locator('#application-state [data-state="completed"]').count() == 1
    resident.assert_no_horizontal_scroll()
    resident.shot("decided-by-rule")
