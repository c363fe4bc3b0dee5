"""Ticket deadlines in working days (Guangdong 12345 rules, in force 1 September 2022).

Resolution: consultation 2 · help and suggestion 10 · complaint 15 working days. First response:
1 working day for every kind (our own service level; the 12345 rules set none for the app).
Both are counted from the day the ticket is opened (that day never counts) to the end of the
Nth working day, holidays and adjusted working days (调休) included, and are fixed at opening:
a transfer does not restart them, nor does waiting for the requester pause them.
"""

from __future__ import annotations

from datetime import datetime

from app.workdays import Deadline, add_working_days

CONSULTATION, COMPLAINT, SUGGESTION, HELP = "consultation", "complaint", "suggestion", "help"
KINDS = (CONSULTATION, COMPLAINT, SUGGESTION, HELP)
RESOLUTION_DAYS = {CONSULTATION: 2, HELP: 10, SUGGESTION: 10, COMPLAINT: 15}
FIRST_RESPONSE_DAYS = 1
AT_RISK_WORKING_DAYS = 1  # the supervisor queue shows deadlines falling within this many working days


def first_response_deadline(opened_at: datetime) -> Deadline:
    return add_working_days(opened_at, FIRST_RESPONSE_DAYS)


def resolution_deadline(kind: str, opened_at: datetime) -> Deadline:
    return add_working_days(opened_at, RESOLUTION_DAYS[kind])


def at_risk_horizon(now: datetime) -> datetime:
    """Deadlines up to this instant are 'about to breach': the end of the next working day."""
    return add_working_days(now, AT_RISK_WORKING_DAYS).due
