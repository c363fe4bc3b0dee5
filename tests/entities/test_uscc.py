import pytest

from app.entities.uscc import make_uscc, uscc_check_char, validate_uscc
from app.errors import ValidationFailed


def _code(value: str) -> str:
    with pytest.raises(ValidationFailed) as info:
        validate_uscc(value)
    assert info.value.status == 422
    return info.value.code


def test_a_published_code_is_valid_by_the_hand_computed_check():
    # Huawei Technologies Co., Ltd.: 9 1 4 4 0 3 0 0 1 9 2 2 0 3 8 2 1 weighted
    # 9+3+36+108+0+78+0+0+20+261+50+26+0+72+80+60+28 = 831; 831 mod 31 = 25; 31 − 25 = 6 → "6".
    assert validate_uscc("914403001922038216") == "914403001922038216"


def test_a_published_code_with_a_letter_check_character_is_valid():
    # Shenzhen Tencent Computer Systems: weighted sum 966; 966 mod 31 = 5; 31 − 5 = 26 → "T".
    assert uscc_check_char("91440300708461136") == "T"
    assert validate_uscc("91440300708461136T") == "91440300708461136T"


@pytest.mark.parametrize("code", ["91350100M000100Y43", "91110108551385082Q"])
def test_other_published_codes_are_valid(code):
    assert validate_uscc(code) == code


def test_a_remainder_of_zero_gives_check_character_zero_not_thirty_one():
    assert uscc_check_char("0" * 17) == "0"  # sum 0 → 31 → 0
    assert uscc_check_char("1" + "0" * 16) == "Y"  # sum 1 → 30 → "Y", the last letter


def test_lower_case_and_surrounding_spaces_are_normalized():
    assert validate_uscc(" 91440300708461136t ") == "91440300708461136T"


@pytest.mark.parametrize("letter", ["I", "O", "Z", "S", "V"])
def test_a_forbidden_letter_is_a_format_error(letter):
    assert _code("9144030070846113" + letter + "T") == "uscc_format"


@pytest.mark.parametrize(
    "value",
    [
        "",
        "91440300708461136",
        "91440300708461136T0",
        "9144030070846113-T",
        "９１４４０３００７０８４６１１３６Ｔ",
    ],
)
def test_a_wrong_length_or_a_character_outside_the_alphabet_is_a_format_error(value):
    assert _code(value) == "uscc_format"


def test_a_wrong_check_character_is_a_check_error():
    assert _code("91440300708461136U") == "uscc_check_char"
    assert _code("914403001922038217") == "uscc_check_char"


def test_make_uscc_appends_the_check_character_to_a_whole_or_parted_prefix():
    assert make_uscc("91440300708461136") == "91440300708461136T"
    assert make_uscc(("9", "1", "440300", "70846113", "6")) == "91440300708461136T"
    assert validate_uscc(make_uscc(["9", "1", "440106", "MA5ABCDE1"])).startswith("91440106MA5ABCDE1")


@pytest.mark.parametrize("first17", ["9144030070846113", "9144030070846113O"])
def test_make_uscc_refuses_a_prefix_that_is_not_17_alphabet_characters(first17):
    with pytest.raises(ValidationFailed):
        make_uscc(first17)
