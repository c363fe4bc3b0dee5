"""为什么收到这条消息 reads as a sentence: every shipped rule, and every notice that is not a rule,
rendered from representative facts, names no rule id, no field key and no English."""

import re
from datetime import date
from pathlib import Path

import pytest

from app.datafiles import DataFileError
from app.push.rules import FACTS, RULES_DIR, TEMPLATES_FILE, load_rules, load_templates, rules
from app.push.why import explain, load_catalogue, why_catalogue

# Representative values for every fact a rule can match, as the scans give them (masked already).
SAMPLE = {
    "certificate.type": "resident_id_card", "certificate.type_name": "居民身份证",
    "certificate.number_masked": "4****************4", "certificate.expires_on": date(2026, 10, 1),
    "person.name_masked": "张*", "person.birth_date": date(1990, 5, 17), "person.age": 36,
    "child.name_masked": "张*明", "child.birth_date": date(2020, 3, 1), "child.age": 6,
    "entity.name": "广州市示例餐饮有限公司", "entity.uscc": "91440101MA5ABCDE1X",
    "licence.number": "JY14401010000001", "licence.type": "food_business", "licence.type_name": "食品经营许可证",
    "licence.valid_until": date(2026, 8, 1), "licence.state": "suspended",
    "window.year": 2025, "window.date": date(2026, 1, 1),
    "event.occurred_on": date(2026, 6, 1), "event.reason": "检查发现卫生问题", "event.effective_on": date(2026, 6, 2),
}


def sample_facts(subject: str) -> dict:
    return {k: SAMPLE.get(k, 7) for k in FACTS[subject]}


def assert_readable(shown: str, *, rule_id: str) -> None:
    assert rule_id not in shown
    keys = {k for fields in FACTS.values() for k in fields} | {"reason", "step", "application"}
    assert not [k for k in keys if k in shown], shown
    # A licence number is the resident's own data (JY… is 经营); everything else is words.
    words = shown.replace(SAMPLE["licence.number"], "")
    assert not re.search(r"[A-Za-z]{2,}", words), f"English or a code in {shown!r}"


def shown_text(why: dict) -> str:
    return " ".join([why["text"], *(f"{m['label']}：{m['value']}" for m in why["matched"])])


@pytest.mark.parametrize("rule_id", sorted(rules()))
def test_every_shipped_rule_says_why_in_words_a_resident_reads(rule_id):
    rule = rules()[rule_id]
    assert rule.why_wording, f"{rule.source} has no `why` wording"
    why = explain(rule.why(sample_facts(rule.trigger.subject)))
    assert_readable(shown_text(why), rule_id=rule_id)
    assert why["text"] and "{" not in why["text"]
    assert why["matched"], "the facts that matched are listed under their labels"


@pytest.mark.parametrize(("rule_id", "facts"), [
    *[("ticket_notice", {"reason": r}) for r in why_catalogue().values["reason"]],
    *[("rating_notice", {"reason": r}) for r in why_catalogue().values["reason"]],
    *[("application_notice", {"application": "GD20260701000012", "step": s}) for s in why_catalogue().values["step"]],
])
def test_ticket_rating_and_application_notices_say_why_in_words(rule_id, facts):
    why = explain({"rule": {"id": rule_id, "version": 1, "trigger": "x"}, "facts": facts})
    text = why["text"]
    assert_readable(text, rule_id=rule_id)
    assert why_catalogue().values.get("reason", {}).get(facts.get("reason"), "") in text


def test_the_id_card_reminder_reads_as_a_sentence_with_labelled_facts():
    rule = rules()["id_card_expiring"]
    why = explain(rule.why(sample_facts("certificate.expires_on")))
    assert why["text"] == "您的居民身份证有效期至2026年10月1日，已进入到期前90天的换领提醒期。"
    assert {"label": "年龄", "value": "36周岁"} in why["matched"]
    assert {"label": "证照号码", "value": "4****************4"} in why["matched"]
    assert not [m for m in why["matched"] if m["value"] == "resident_id_card"]  # codes are not shown


def test_a_notice_of_a_rule_no_longer_shipped_falls_back_to_a_sentence():
    why = explain({"rule": {"id": "retired_rule", "version": 3}, "facts": {"certificate.type": "x_card"}})
    assert why == {"text": why_catalogue().fallback, "matched": []}


def test_a_rule_wording_naming_an_unknown_fact_is_refused(tmp_path: Path):
    source = (RULES_DIR / "id_card_expiring.toml").read_text(encoding="utf-8")
    (tmp_path / "bad.toml").write_text(source.replace("{certificate.expires_on}，", "{certificate.colour}，"),
                                       encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        load_rules(tmp_path, TEMPLATES_FILE)
    assert caught.value.field == "why"


def test_a_catalogue_label_that_is_not_text_is_refused(tmp_path: Path):
    path = tmp_path / "push_labels.toml"
    path.write_text('fallback = "提醒"\n[facts]\n"person.age" = 3\n', encoding="utf-8")
    with pytest.raises(DataFileError):
        load_catalogue(path)


def test_every_category_and_subscribe_template_has_a_chinese_title():
    from app.push.rules import CATEGORIES

    catalogue = why_catalogue()
    assert set(catalogue.categories) == set(CATEGORIES)
    assert set(catalogue.templates) == set(load_templates())


@pytest.mark.parametrize("stored", [None, "text", {"rule": "old_rule"}, {"rule": {"id": 7}, "facts": ["x"]}])
def test_a_why_stored_in_another_shape_reads_as_the_fallback(stored):
    assert explain(stored)["text"] == why_catalogue().fallback
