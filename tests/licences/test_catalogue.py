"""The licence type catalogue is data, validated when loaded, with errors naming file and field."""

from __future__ import annotations

from datetime import date

import pytest

from app.datafiles import DataFileError
from app.licences.catalogue import load_catalogue


def test_the_shipped_catalogue_names_each_type_its_issuer_and_renewal_window():
    types = load_catalogue()
    assert types["business_licence"].name == "营业执照"
    assert types["business_licence"].issuer == "市场监督管理局"
    assert types["business_licence"].validity_years is None
    food = types["food_business_licence"]
    assert (food.name, food.validity_years, food.renewal_window_days) == ("食品经营许可证", 5, 30)
    for code in ("drug_business_licence", "road_transport_licence", "public_health_licence",
                 "fire_safety_inspection"):
        assert code in types


def test_a_five_year_licence_runs_to_the_day_before_its_fifth_anniversary():
    assert load_catalogue()["food_business_licence"].default_valid_until(date(2022, 1, 10)) == date(2027, 1, 9)


GOOD_TYPE = '[food_business_licence]\nname = "食品经营许可证"\nissuer = "市场监督管理局"\nvalidity_years = 5\n' \
            'renewal_window_days = 30\n'


@pytest.mark.parametrize(("change", "field"), [
    (('name = "食品经营许可证"', 'name = ""'), "name"),
    (("validity_years = 5", 'validity_years = "five"'), "validity_years"),
    (("renewal_window_days = 30", "renewal_window_days = -1"), "renewal_window_days"),
    (("renewal_window_days = 30", 'renewal_window_days = 30\ncolour = "red"'), "colour"),
])
def test_a_broken_catalogue_names_the_file_and_the_bad_field(tmp_path, change, field):
    path = tmp_path / "licences.toml"
    path.write_text(GOOD_TYPE.replace(*change), encoding="utf-8")
    with pytest.raises(DataFileError) as error:
        load_catalogue(path)
    assert str(error.value).startswith(f"{path}: food_business_licence.{field}: ")


def test_an_unreadable_catalogue_is_reported_with_its_path(tmp_path):
    path = tmp_path / "licences.toml"
    path.write_text("[food_business_licence\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=str(path)):
        load_catalogue(path)
