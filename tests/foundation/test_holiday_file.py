"""The holiday file (config/calendar/holidays.toml) extends the calendar past chinese-calendar's data,
is validated like every data file, and the calendar's horizon is visible where operators look."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from app import workdays
from app.datafiles import DataFileError
from app.workdays import Deadline, add_working_days, horizon
from tests.support.staff import create_staff_member, load_demo_catalogue

SH = ZoneInfo("Asia/Shanghai")


def _end_of(d: date) -> datetime:
    return datetime(d.year, d.month, d.day, 15, 59, 59, 999999, tzinfo=UTC)


@pytest.fixture
def holiday_file(tmp_path, monkeypatch):
    """Point the calendar at a holiday file written by the test."""
    path = tmp_path / "holidays.toml"

    def write(text: str):
        path.write_text(text, encoding="utf-8")
        monkeypatch.setattr(workdays, "HOLIDAYS_FILE", path)
        workdays.holiday_years.cache_clear()
        return path

    yield write
    workdays.holiday_years.cache_clear()


def test_the_2027_spring_festival_in_the_file_moves_a_deadline_the_package_alone_would_count_on_weekdays():
    # Thu 4 Feb 2027 + 2 working days: weekends only would end on Mon 8 Feb; the file's Spring
    # Festival (5–8 Feb) pushes it to Wed 10 Feb, still marked estimated until 2027 is official.
    assert add_working_days(datetime(2027, 2, 4, 10, tzinfo=SH), 2) == Deadline(
        due=_end_of(date(2027, 2, 10)), estimated=True)


def test_an_official_year_in_the_file_counts_its_adjusted_weekends_and_is_not_estimated(holiday_file):
    holiday_file("""[[year]]
year = 2028
official = true
source = "国务院办公厅关于2028年部分节假日安排的通知（测试数据）"
holidays = [2028-01-03]
workdays = [2028-01-08]
""")
    # In this file's 2028, Mon 3 Jan is off and Sat 8 Jan is worked.
    assert add_working_days(datetime(2028, 1, 2, 9, tzinfo=SH), 1) == Deadline(
        due=_end_of(date(2028, 1, 4)), estimated=False)
    assert add_working_days(datetime(2028, 1, 7, 9, tzinfo=SH), 1) == Deadline(
        due=_end_of(date(2028, 1, 8)), estimated=False)


def test_the_horizon_ends_with_the_packages_last_year_until_the_file_has_an_official_next_year(holiday_file):
    assert horizon(date(2026, 12, 3)) == workdays.Horizon(date(2026, 12, 31), 28, True)
    assert horizon(date(2026, 10, 1)).warning is False
    holiday_file("""[[year]]
year = 2027
official = true
source = "国务院办公厅关于2027年部分节假日安排的通知（测试数据）"
holidays = [2027-01-01]
""")
    assert horizon(date(2026, 12, 3)) == workdays.Horizon(date(2027, 12, 31), 393, False)


@pytest.mark.parametrize(("text", "field"), [
    ('[[year]]\nyear = 2027\nsource = "x"\nholidays = ["2027-01-01"]\n', "year[0].holidays"),
    ('[[year]]\nyear = 2027\nsource = "x"\nholidays = [2028-01-01]\n', "year[0].holidays"),
    ('[[year]]\nyear = 2027\nsource = "x"\nworkdays = [2027-01-04]\n', "year[0].workdays"),
    ('[[year]]\nyear = 2027\nsource = "x"\nholidays = [2027-01-02]\nworkdays = [2027-01-02]\n', "year[0].workdays"),
    ('[[year]]\nyear = 2027\nsource = "x"\n[[year]]\nyear = 2027\nsource = "y"\n', "year[1].year"),
    ('[[year]]\nyear = 2027\nsource = "x"\nofficial = "yes"\n', "year[0].official"),
    ('[[year]]\nyear = 2027\nsource = "x"\nholiday = []\n', "year[0].holiday"),
])
def test_a_mistake_in_the_holiday_file_names_the_field(holiday_file, text, field):
    path = holiday_file(text)
    with pytest.raises(DataFileError) as refused:
        workdays.holiday_years()
    assert (refused.value.path, refused.value.field) == (str(path), field)


def test_readyz_reports_the_calendar_horizon(client):
    details = client.get("/readyz").json["details"]["calendar"]
    assert set(details) == {"official_until", "days_left", "warning"}
    assert details["official_until"] >= "2026-12-31"


def test_the_staff_console_learns_of_the_horizon_from_staff_me(client):
    load_demo_catalogue()
    staff = create_staff_member()
    calendar = client.get("/api/v1/staff/me", headers=staff.headers).json["calendar"]
    assert set(calendar) == {"official_until", "days_left", "warning"}
