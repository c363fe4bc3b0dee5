from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from app.workdays import Deadline, add_working_days, is_working_day, working_days_between

SH = ZoneInfo("Asia/Shanghai")


def _end_of(d: date) -> datetime:
    """23:59:59.999999 in Shanghai (UTC+8, no DST) as UTC: 15:59:59.999999 the same day."""
    return datetime(d.year, d.month, d.day, 15, 59, 59, 999999, tzinfo=UTC)


@pytest.mark.parametrize(
    ("d", "expected"),
    [
        (date(2025, 9, 26), (True, False)),  # Friday
        (date(2025, 9, 27), (False, False)),  # Saturday
        (date(2025, 9, 28), (True, False)),  # Sunday worked for National Day
        (date(2025, 10, 1), (False, False)),
        (date(2025, 10, 6), (False, False)),  # Mid-Autumn inside the National Day break
        (date(2025, 10, 8), (False, False)),
        (date(2025, 10, 11), (True, False)),  # Saturday worked
        (date(2026, 9, 20), (True, False)),  # Sunday worked for National Day 2026
        (date(2026, 9, 25), (False, False)),  # Mid-Autumn 2026 (Friday)
        (date(2026, 10, 7), (False, False)),
        (date(2026, 10, 8), (True, False)),
        (date(2026, 10, 10), (True, False)),  # Saturday worked
        (date(2027, 1, 1), (False, True)),  # New Year 2027: config/calendar/holidays.toml, not official yet
        (date(2027, 1, 4), (True, True)),
        (date(2028, 1, 7), (True, True)),  # no data for 2028: a Friday is guessed to be worked
        (date(2028, 1, 8), (False, True)),
    ],
)
def test_working_days_follow_the_holiday_notices_including_adjusted_weekends(d, expected):
    assert is_working_day(d) == expected


def test_the_start_day_does_not_count_and_the_deadline_is_the_end_of_the_last_day():
    # Monday 2025-09-22 at 10:00 → day 1 Tuesday 23rd, day 2 Wednesday 24th.
    deadline = add_working_days(datetime(2025, 9, 22, 10, tzinfo=SH), 2)
    assert deadline == Deadline(due=_end_of(date(2025, 9, 24)), estimated=False)
    assert deadline.due.tzinfo is UTC
    assert deadline.due.astimezone(SH).time().isoformat() == "23:59:59.999999"


def test_a_deadline_skips_the_whole_national_day_break_2025():
    # Tuesday 30 Sep; 1–8 Oct off → day 1 Thu 9 Oct, day 2 Fri 10 Oct.
    assert add_working_days(datetime(2025, 9, 30, 9, tzinfo=SH), 2).due == _end_of(date(2025, 10, 10))


def test_a_deadline_lands_on_an_adjusted_working_saturday():
    # Thursday 9 Oct 2025 → day 1 Fri 10, day 2 Sat 11 (worked).
    assert add_working_days(datetime(2025, 10, 9, 9, tzinfo=SH), 2).due == _end_of(date(2025, 10, 11))


def test_a_fifteen_day_complaint_across_national_day_2025_counts_the_worked_saturday():
    # From Tue 30 Sep: 9, 10, 11(Sat), 13, 14, 15, 16, 17, 20, 21, 22, 23, 24, 27, 28 October.
    assert add_working_days(datetime(2025, 9, 30, 9, tzinfo=SH), 15).due == _end_of(date(2025, 10, 28))


def test_a_request_on_a_weekend_counts_from_the_next_working_day_which_may_be_a_worked_sunday():
    # Saturday 27 Sep 2025 → Sunday 28 Sep is worked, so it is day 1.
    assert add_working_days(datetime(2025, 9, 27, 12, tzinfo=SH), 1).due == _end_of(date(2025, 9, 28))
    # Saturday 4 Oct 2025 (holiday) → day 1 is Thu 9 Oct.
    assert add_working_days(datetime(2025, 10, 4, 12, tzinfo=SH), 1).due == _end_of(date(2025, 10, 9))


def test_the_local_date_in_shanghai_decides_not_the_utc_date():
    # 17:00 UTC on 30 Sep is 01:00 on 1 Oct in Shanghai: a holiday, so day 1 is 9 Oct.
    assert add_working_days(datetime(2025, 9, 30, 17, tzinfo=UTC), 1).due == _end_of(date(2025, 10, 9))
    # 15:59 UTC on 29 Sep is 23:59 the same day in Shanghai: day 1 is Tue 30 Sep.
    assert add_working_days(datetime(2025, 9, 29, 15, 59, tzinfo=UTC), 1).due == _end_of(date(2025, 9, 30))
    new_york = timezone(timedelta(hours=-4))
    # 20:00 on Fri 26 Sep in New York is 08:00 Sat 27 Sep in Shanghai.
    assert add_working_days(datetime(2025, 9, 26, 20, tzinfo=new_york), 1).due == _end_of(date(2025, 9, 28))


def test_national_day_2026_with_its_worked_sunday_and_saturday():
    # Fri 18 Sep 2026 → Sat 19 off, Sun 20 worked (1), Mon 21 (2).
    assert add_working_days(datetime(2026, 9, 18, 9, tzinfo=SH), 2).due == _end_of(date(2026, 9, 21))
    # Wed 30 Sep 2026 → 1–7 Oct off: Thu 8 (1), Fri 9 (2), Sat 10 worked (3).
    assert add_working_days(datetime(2026, 9, 30, 9, tzinfo=SH), 3) == Deadline(
        due=_end_of(date(2026, 10, 10)), estimated=False
    )
    # Thu 24 Sep 2026 → Mid-Autumn Fri 25 – Sun 27 off: Mon 28 (1).
    assert add_working_days(datetime(2026, 9, 24, 9, tzinfo=SH), 1).due == _end_of(date(2026, 9, 28))


def test_a_deadline_in_a_year_without_data_counts_weekends_only_and_says_it_is_estimated():
    # Fri 7 Jan 2028 → Mon 10 Jan (1), Tue 11 Jan (2).
    assert add_working_days(datetime(2028, 1, 7, 9, tzinfo=SH), 2) == Deadline(
        due=_end_of(date(2028, 1, 11)), estimated=True
    )


def test_a_deadline_crossing_into_a_year_without_data_is_estimated():
    # Wed 30 Dec 2026 → Thu 31 Dec (1, known), Mon 4 Jan 2027 (2), Tue 5 Jan (3): the file's 2027
    # is not official yet (New Year's Day off, the notice's adjusted days unknown).
    assert add_working_days(datetime(2026, 12, 30, 9, tzinfo=SH), 3) == Deadline(
        due=_end_of(date(2027, 1, 5)), estimated=True
    )
    assert not add_working_days(datetime(2026, 12, 29, 9, tzinfo=SH), 2).estimated


def test_a_naive_start_or_a_non_positive_count_is_a_programming_error():
    with pytest.raises(ValueError):
        add_working_days(datetime(2025, 9, 30, 9), 1)
    with pytest.raises(ValueError):
        add_working_days(datetime(2025, 9, 30, 9, tzinfo=SH), 0)


def test_working_days_between_counts_days_after_the_start_up_to_the_end():
    assert working_days_between(date(2025, 9, 30), date(2025, 10, 10)) == 2
    assert working_days_between(date(2025, 9, 30), date(2025, 10, 28)) == 15
    assert working_days_between(date(2025, 9, 26), date(2025, 9, 28)) == 1  # Sat off, Sun worked
    assert working_days_between(date(2025, 10, 10), date(2025, 9, 30)) == -2
    assert working_days_between(date(2025, 10, 1), date(2025, 10, 1)) == 0
    assert working_days_between(date(2027, 12, 31), date(2028, 1, 7)) == 5  # guessed: 3–7 Jan 2028


def test_working_days_between_agrees_with_add_working_days():
    start = datetime(2025, 9, 20, 9, tzinfo=SH)
    for n in range(1, 30):
        due_local = add_working_days(start, n).due.astimezone(SH).date()
        assert working_days_between(start.date(), due_local) == n
