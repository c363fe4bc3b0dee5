import pytest

from app.security.masking import mask_id_number, mask_name, mask_phone, mask_uscc


def test_an_id_number_keeps_only_its_first_and_last_character():
    assert mask_id_number("440106199001011234") == "4" + "*" * 16 + "4"
    assert mask_id_number(" 11010519491231002X ") == "1****************X"


@pytest.mark.parametrize(
    ("raw", "masked"),
    [
        ("13800138000", "138****8000"),
        (" 138 0013 8000 ", "138****8000"),
        ("+8613800138000", "+86 138****8000"),
        ("+86 138-0013-8000", "+86 138****8000"),
        ("008613800138000", "0086 138****8000"),
        ("8765-4321", "****4321"),
        ("123", "***"),
    ],
)
def test_a_phone_number_shows_three_digits_four_stars_and_four_digits(raw, masked):
    assert mask_phone(raw) == masked


@pytest.mark.parametrize(
    ("raw", "masked"), [("张三", "*三"), ("欧阳娜娜", "***娜"), ("李", "*"), ("", ""), (" 王五 ", "*五")]
)
def test_a_name_shows_only_its_last_character(raw, masked):
    assert mask_name(raw) == masked


def test_a_social_credit_code_keeps_its_first_two_and_last_two_characters():
    assert mask_uscc("91350100M000100Y43") == "91" + "*" * 14 + "43"
    assert mask_uscc("abc") == "***"
