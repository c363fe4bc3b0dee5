from datetime import date

import pytest

from app.errors import ValidationFailed
from app.identity.id_number import compute_check_char, make_id_number, parse_id_number

TODAY = date(2025, 6, 1)


def _code(value: str, today: date = TODAY) -> str:
    with pytest.raises(ValidationFailed) as info:
        parse_id_number(value, today=today)
    assert info.value.status == 422
    assert info.value.message  # Chinese text for the app
    return info.value.code


def test_the_standard_example_number_parses_into_area_birth_date_and_sex():
    # Weighted sum of 11010519491231002 = 167; 167 mod 11 = 2 → "X".
    parsed = parse_id_number("11010519491231002X", today=TODAY)
    assert parsed.number == "11010519491231002X"
    assert parsed.area_code == "110105"
    assert parsed.birth_date == date(1949, 12, 31)
    assert parsed.sex == "female"  # sequence 002 is even


def test_a_lower_case_x_and_surrounding_spaces_are_accepted_and_normalized():
    assert parse_id_number("  11010519491231002x ", today=TODAY).number == "11010519491231002X"


def test_the_check_character_is_computed_from_the_weighted_sum():
    # 44010619900101123: weighted sum 194; 194 mod 11 = 7 → "5".
    assert compute_check_char("44010619900101123") == "5"
    assert compute_check_char("11010519491231002") == "X"
    assert compute_check_char("44052418800101001") == "4"  # sum 195, mod 11 = 8
    assert compute_check_char("00000000000000000") == "1"  # sum 0


def test_a_made_number_is_valid_and_an_odd_sequence_is_a_man():
    number = make_id_number("440106", date(1990, 1, 1), 123)
    assert number == "440106199001011235"
    assert parse_id_number(number, today=TODAY).sex == "male"


@pytest.mark.parametrize(
    "value",
    [
        "",
        "11010519491231002",  # 17 characters
        "11010519491231002X1",  # 19 characters
        "1101051949123100XX",  # X before the last place
        "11010519491231002Y",
        "110105 19491231002X",
        "１１０１０５１９４９１２３１００２Ｘ",  # full-width digits are not ASCII digits
        "١١٠١٠٥١٩٤٩١٢٣١٠٠٢X",  # other scripts' digits neither
    ],
)
def test_a_value_that_is_not_17_digits_and_a_digit_or_x_is_a_format_error(value):
    assert _code(value) == "id_number_format"


@pytest.mark.parametrize(
    "first17",
    [
        "44010619900230123",  # 30 February
        "44010619901301123",  # month 13
        "44010619900100123",  # day 0
        "44010617991231123",  # before 1800
        "44010620250602123",  # the day after today
    ],
)
def test_an_impossible_birth_date_is_a_birth_date_error_even_with_a_right_check_character(first17):
    assert _code(first17 + compute_check_char(first17)) == "id_number_birth_date"


def test_the_birth_date_is_checked_before_the_check_character():
    first17 = "44052419900230001"  # 30 February, and a wrong check character
    wrong = next(c for c in "0123456789X" if c != compute_check_char(first17))
    assert _code(first17 + wrong) == "id_number_birth_date"


def test_someone_born_today_and_on_1900_01_01_are_accepted():
    assert parse_id_number(make_id_number("440106", TODAY, 1), today=TODAY).birth_date == TODAY
    assert parse_id_number(make_id_number("440106", date(1900, 1, 1), 1), today=TODAY).birth_date.year == 1900


def test_a_wrong_check_character_is_a_check_digit_error():
    assert _code("440106199001011234") == "id_number_check_digit"
    assert _code("110105194912310020") == "id_number_check_digit"


def test_the_age_increases_on_the_birthday():
    parsed = parse_id_number("440106199001011235", today=TODAY)
    assert parsed.age_on(date(2024, 12, 31)) == 34
    assert parsed.age_on(date(2025, 1, 1)) == 35
    assert parsed.age_on(date(1990, 1, 1)) == 0


def test_someone_born_on_29_february_turns_a_year_older_on_1_march_in_common_years():
    parsed = parse_id_number(make_id_number("440106", date(2004, 2, 29), 2), today=TODAY)
    assert parsed.age_on(date(2022, 2, 28)) == 17
    assert parsed.age_on(date(2022, 3, 1)) == 18
    assert parsed.age_on(date(2024, 2, 29)) == 20


def test_an_age_before_birth_is_a_programming_error():
    with pytest.raises(ValueError):
        parse_id_number("440106199001011235", today=TODAY).age_on(date(1989, 12, 31))


@pytest.mark.parametrize(("area", "seq"), [("44010", 1), ("4401066", 1), ("44010A", 1), ("440106", 1000)])
def test_make_id_number_refuses_bad_parts(area, seq):
    with pytest.raises(ValueError):
        make_id_number(area, date(1990, 1, 1), seq)


def test_a_birth_before_1900_is_accepted_as_the_standards_own_example_shows():
    parsed = parse_id_number("440524188001010014", today=date(2026, 1, 1))
    assert (parsed.birth_date, parsed.sex) == (date(1880, 1, 1), "male")


@pytest.mark.parametrize("birth", ["17991231", "00000101", "18800230", "18801301", "18800100"])
def test_impossible_birth_dates_are_still_refused(birth):
    first17 = f"440524{birth}001"
    with pytest.raises(ValidationFailed) as refused:
        parse_id_number(first17 + compute_check_char(first17), today=date(2026, 1, 1))
    assert refused.value.code == "id_number_birth_date"
