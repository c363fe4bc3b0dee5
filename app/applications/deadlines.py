"""The promised deadline (承诺时限) of an application, in working days, and its pauses for 补正.

The clock starts at acceptance (受理): the deadline is the end of the ``promised_days``-th working
day after that day (the calendar of ``app.tickets.workdays``: weekends, public holidays and 调休).
A supplement request stops it: the working days still left are kept (those after the pause day up
to the deadline day), and when the applicant has answered, the deadline is counted again from the
answer's day with what was left; with nothing left, the deadline is the end of the answer's day.
"""

from __future__ import annotations

from datetime import datetime, time

from app import clock
from app.applications.models import Application
from app.tickets.workdays import add_working_days, working_days_between

AT_RISK_WORKING_DAYS = 2  # supervisors see deadlines falling within this many working days


def _local_date(at: datetime):
    return at.astimezone(clock.local_tz()).date()


def start(application: Application, promised_days: int, now: datetime) -> None:
    application.accepted_at = now
    application.due_at = add_working_days(now, promised_days).due
    application.paused_at, application.remaining_days = None, None


def pause(application: Application, now: datetime) -> None:
    if application.due_at is None or application.paused_at is not None:
        return
    application.paused_at = now
    application.remaining_days = max(0, working_days_between(_local_date(now), _local_date(application.due_at)))


def resume(application: Application, now: datetime) -> None:
    if application.paused_at is None:
        return
    left = application.remaining_days or 0
    if left > 0:
        application.due_at = add_working_days(now, left).due
    else:
        end_of_day = datetime.combine(_local_date(now), time(23, 59, 59, 999999), tzinfo=clock.local_tz())
        application.due_at = end_of_day.astimezone(now.tzinfo)
    application.paused_at, application.remaining_days = None, None


def is_overdue(application: Application, now: datetime) -> bool:
    return application.due_at is not None and application.paused_at is None and application.due_at < now


def at_risk_horizon(now: datetime) -> datetime:
    return add_working_days(now, AT_RISK_WORKING_DAYS).due
