"""Rules are data: the shipped files load, bad files are refused naming file and field, values fit WeChat."""

from datetime import date, datetime
from pathlib import Path

import pytest

from app.datafiles import DataFileError
from app.push.fitting import UnfittableValue, fit_value
from app.push.rules import RULES_DIR, TEMPLATES_FILE, load_rules
from miniprogram_stub.keywords import check_value

SHIPPED = {"id_card_expiring", "driving_licence_expiring", "child_school_enrolment", "pension_at_sixty",
           "birth_bundle", "licence_expiring", "licence_suspended", "annual_report_opening", "annual_report_closing",
           "representative_changed", "guardianship_ended",
           "appointment_reminder"}

GOOD = """
id = "x_rule"
version = 1
audience = "person"
category = "certificates"
title = "到期"
body = "将于{certificate.expires_on}到期"
page = "pages/c?id={certificate.id}"
dedupe_key = "x:{certificate.id}"
[trigger]
type = "date_window"
field = "certificate.expires_on"
days_before = 90
[wechat]
template = "notice"
data = { thing1 = "证件", thing2 = "{certificate.type_name}" }
"""


def test_the_shipped_rules_load_and_bind_valid_templates():
    rules = load_rules()
    assert set(rules) == SHIPPED
    assert rules["child_school_enrolment"].recipients == "parents"
    assert rules["licence_expiring"].trigger.days_before == 30


@pytest.mark.parametrize(("change", "field"), [
    (("days_before = 90", "days_before = -3"), "trigger.days_before"),
    (('audience = "person"', 'audience = "company"'), "audience"),
    (('category = "certificates"', 'category = "misc"'), "category"),
    (("{certificate.expires_on}到期", "{certificate.colour}到期"), "body"),
    (('thing2 = "{certificate.type_name}"', 'thing9 = "x"'), "wechat.data.thing2"),
    (('template = "notice"', 'template = "nope"'), "wechat.template"),
    (('type = "date_window"', 'type = "sometimes"'), "trigger.type"),
    (('version = 1', 'version = "one"'), "version"),
    # A condition the scans do not apply is refused, not silently ignored.
    (("[wechat]", "[conditions]\nage_min = 18\n[wechat]"), "conditions.age_min"),
    (("[wechat]", '[conditions]\nannual_report = "not_submitted"\n[wechat]'), "conditions.annual_report"),
])
def test_a_bad_rule_file_is_refused_naming_the_file_and_the_field(tmp_path: Path, change, field):
    (tmp_path / "broken_rule.toml").write_text(GOOD.replace(*change), encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        load_rules(tmp_path, TEMPLATES_FILE)
    assert Path(caught.value.path).name == "broken_rule.toml"
    assert caught.value.field == field
    assert str(caught.value).startswith(f"{tmp_path / 'broken_rule.toml'}: {field}: ")


def test_the_annual_report_condition_takes_only_the_values_the_scan_applies(tmp_path: Path):
    closing = (RULES_DIR / "annual_report_closing.toml").read_text(encoding="utf-8")
    (tmp_path / "annual_report_closing.toml").write_text(closing.replace('"not_submitted"', '"late"'), encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        load_rules(tmp_path, TEMPLATES_FILE)
    assert caught.value.field == "conditions.annual_report"
    assert load_rules()["annual_report_closing"].conditions == {"annual_report": "not_submitted"}


def test_a_file_that_is_not_toml_and_a_duplicate_id_are_refused(tmp_path: Path):
    (tmp_path / "a.toml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "b.toml").write_text(GOOD, encoding="utf-8")
    with pytest.raises(DataFileError, match=r"b\.toml: id: x_rule is also defined in a\.toml"):
        load_rules(tmp_path, TEMPLATES_FILE)
    (tmp_path / "b.toml").write_text("id = ", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"b.toml: -: not valid TOML"):
        load_rules(tmp_path, TEMPLATES_FILE)


@pytest.mark.parametrize(("kind", "value", "expected"), [
    ("thing", "居民身份证即将到期请在到期前预约换领以免影响出行与办事", "居民身份证即将到期请在到期前预约换领以…"),
    ("thing", "短", "短"),
    ("phrase", "已暂扣（临时）", "已暂扣临时"),
    ("phrase", "暂扣", "暂扣"),
    ("date", date(2026, 10, 1), "2026年10月1日"),
    ("date", "2026-01-09", "2026年1月9日"),
    ("time", datetime(2026, 10, 1, 7, 1, tzinfo=__import__("datetime").UTC), "2026年10月1日 15:01"),
    ("number", "共 12 件", "12"),
    ("character_string", "粤B12345号", "B12345"),
    ("amount", "1234.5元", "¥1234.5"),
    ("name", "欧阳娜娜娜娜娜娜娜娜娜", "欧阳娜娜娜娜娜娜娜娜"),
    ("car_number", "粤B·12345", "粤B12345"),
    ("symbol", "%%%%%%%", "%%%%%"),
    ("phone_number", "138-0013-8000 转 1234567", "138-0013-8000  12"),
])
def test_each_value_is_fitted_to_what_wechat_accepts_for_its_keyword_type(kind, value, expected):
    fitted = fit_value(kind, value)
    assert fitted == expected
    assert check_value(kind, fitted) is None, "the emulator (WeChat's rules) must accept it"


def test_values_that_cannot_be_fitted_are_refused_rather_than_sent():
    with pytest.raises(UnfittableValue):
        fit_value("enum", "其他", ["通过", "驳回"])
    with pytest.raises(UnfittableValue):
        fit_value("phrase", "ABC")
    assert fit_value("enum", "通过", ["通过", "驳回"]) == "通过"
