"""The promised deadline counts working days from acceptance; 补正 stops the clock and the answer
restarts it with the days that were left, across a weekend and the National Day holiday (2025:
1–8 October off, Sunday 28 September and Saturday 11 October worked, 调休)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from app import clock
from app.applications import drafts, lifecycle, processing, queues
from app.identity.sessions import Principal
from app.paging import Window
from tests.support.applications import resident_with_id_card
from tests.support.staff import create_staff_member

SH = ZoneInfo("Asia/Shanghai")


def at(month: int, day: int, hour: int = 10) -> datetime:
    return datetime(2025, month, day, hour, 0, tzinfo=SH)


def local_day(moment: datetime) -> str:
    return moment.astimezone(SH).date().isoformat()


def test_a_supplement_request_stops_the_clock_over_a_weekend_and_national_day_and_the_answer_restarts_it(client):
    with clock.freeze(at(9, 22)):  # Monday
        resident = resident_with_id_card(client, expires_in_days=3000)
        me = Principal(resident.account_id, "s", 3, None)
        traffic = create_staff_member(departments=("gd-gat-jgj",)).principal
        application = drafts.create_draft(me, "gd-jgj-jsz-bz")  # 驾驶证补证: promised 3 working days
        drafts.update_form(me, application.id, {"mailing_address": "广州市越秀区中山五路1号"})
        lifecycle.submit(me, application.id)
        accepted = processing.accept(traffic, application.id)
    assert local_day(accepted.deadline.due_at) == "2025-09-25"  # Tue 23, Wed 24, Thu 25

    with clock.freeze(at(9, 23)):  # Tuesday: one working day used, Wed 24 and Thu 25 left
        paused = processing.request_supplement(traffic, application.id, message="请核对邮寄地址",
                                               fields=["mailing_address"])
    assert (paused.state, paused.deadline.paused, paused.deadline.remaining_days) == ("supplement_requested", True, 2)

    with clock.freeze(at(9, 30)):  # past the old deadline, but the clock is stopped: not overdue
        assert queues.staff_queue(traffic, Window(), overdue=True).items == []
        assert queues.staff_queue(traffic, Window(), overdue=False).items[0].paused

    with clock.freeze(at(10, 8)):  # the last holiday: answered, the 2 days count from Thu 9 October
        drafts.update_form(me, application.id, {"mailing_address": "广州市越秀区中山五路2号"})
        resumed = lifecycle.resubmit(me, application.id, "地址已更正")
    assert resumed.state == "in_review" and resumed.paused_at is None
    assert local_day(resumed.due_at) == "2025-10-10"  # Thu 9, Fri 10

    with clock.freeze(at(10, 13)):  # Monday after: overdue now, and the supervisor sees it
        supervisor = create_staff_member(role="supervisor", departments=("gd-gat-jgj",)).principal
        assert [a.id for a in queues.staff_queue(traffic, Window(), overdue=True).items] == [application.id]
        assert [a.id for a in queues.deadline_watch(supervisor, Window()).items] == [application.id]


def test_an_answer_on_a_working_saturday_counts_from_the_next_working_day(client):
    with clock.freeze(at(9, 22)):
        resident = resident_with_id_card(client, expires_in_days=3000)
        me = Principal(resident.account_id, "s", 3, None)
        traffic = create_staff_member(departments=("gd-gat-jgj",)).principal
        application = drafts.create_draft(me, "gd-jgj-jsz-bz")
        drafts.update_form(me, application.id, {"mailing_address": "广州市越秀区中山五路1号"})
        lifecycle.submit(me, application.id)
        processing.accept(traffic, application.id)
    with clock.freeze(at(9, 24)):  # Wednesday: Thu 25 left
        processing.request_supplement(traffic, application.id, message="请补充", fields=["mailing_address"])
    with clock.freeze(at(10, 11)):  # Saturday 11 October, a working day (调休)
        resumed = lifecycle.resubmit(me, application.id)
    assert local_day(resumed.due_at) == "2025-10-13"  # the day left is Monday 13
