"""Service-quality figures computed from yss's records, grouped as a dataset asks.

The rules, said once (the figures page and README repeat them):
- A rating counts in the calendar month (Asia/Shanghai) it was made, with its current score (a
  re-rating replaces the first score; an unrated ticket counts as 3 once settled). Ratings an upheld
  appeal excluded, and ratings held for review by the burst rule (``app.ratings.bursts``), do not count.
- Satisfied share: ratings of 3–5 over all ratings; bad share: ratings of 1–2 over all ratings.
- Rectification on time: over the bad ratings' rectification cases that are rectified or past their
  deadline, the share rectified by the deadline (cases of excluded ratings are voided and not counted).
- Ticket processing time: natural days from opening to resolution, for tickets resolved in the month;
  median and 90th percentile (nearest rank); on time: resolved by the deadline fixed at opening.
Counts are returned raw; the negative list's threshold is applied when a dataset is published.
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from collections.abc import Callable, Hashable
from datetime import datetime
from typing import Any

from sqlalchemy import select

from app import clock
from app.db import session
from app.ratings.errors import BAD_SCORES
from app.ratings.models import Rating, RectificationCase
from app.tickets.models import Ticket

RECTIFIED = "rectified"


def local_month(at: datetime) -> str:
    return at.astimezone(clock.local_tz()).strftime("%Y-%m")


def nearest_rank(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(math.ceil(share * len(ordered)), 1) - 1]


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def rating_figures(key: Callable[[Rating], Hashable]) -> dict[Hashable, dict[str, Any]]:
    """Per group: ratings, average_score, satisfied_share, bad_share, rectifications_counted,
    rectified_on_time_share."""
    now = clock.now()
    stmt = (select(Rating, RectificationCase)
            .outerjoin(RectificationCase, RectificationCase.rating_id == Rating.id)
            .where(Rating.excluded.is_(False), Rating.held_for_review.is_(False))
            .order_by(Rating.id))
    groups: dict[Hashable, list[tuple[Rating, RectificationCase | None]]] = defaultdict(list)
    for rating, case in session().execute(stmt).all():
        groups[key(rating)].append((rating, case))
    figures = {}
    for group, rows in groups.items():
        scores = [r.score for r, _ in rows]
        bad = sum(1 for s in scores if s in BAD_SCORES)
        counted = [c for _, c in rows if c is not None and (c.state == RECTIFIED or c.due < now)]
        on_time = sum(1 for c in counted if c.state == RECTIFIED and c.outcome_at is not None
                      and c.outcome_at <= c.due)
        figures[group] = {
            "ratings": len(scores), "average_score": round(sum(scores) / len(scores), 2),
            "satisfied_share": _share(len(scores) - bad, len(scores)), "bad_share": _share(bad, len(scores)),
            "rectifications_counted": len(counted), "rectified_on_time_share": _share(on_time, len(counted)),
        }
    return figures


def ticket_figures(key: Callable[[Ticket], Hashable]) -> dict[Hashable, dict[str, Any]]:
    """Per group of resolved tickets: tickets_resolved, median_days, p90_days, on_time_share."""
    stmt = select(Ticket).where(Ticket.resolved_at.is_not(None)).order_by(Ticket.id)
    groups: dict[Hashable, list[Ticket]] = defaultdict(list)
    for ticket in session().scalars(stmt):
        groups[key(ticket)].append(ticket)
    figures = {}
    for group, tickets in groups.items():
        days = [(t.resolved_at - t.created_at).total_seconds() / 86_400 for t in tickets]
        on_time = sum(1 for t in tickets if t.resolved_at <= t.resolution_due)
        figures[group] = {
            "tickets_resolved": len(tickets), "median_days": round(statistics.median(days), 2),
            "p90_days": round(nearest_rank(days, 0.9), 2), "on_time_share": _share(on_time, len(tickets)),
        }
    return figures
