"""Satisfaction per department, service, staff member or month, for supervisors.

For each group: how many ratings, their average, the share of bad ones (1–2), how many
rectification cases they opened and how many of those were rectified by their deadline.
Months are calendar months in Asia/Shanghai. A re-rated rating counts with its new score; unrated
tickets count with their default 3 once settled; ratings taken out by an upheld appeal, and ratings held
for review by the burst rule (``bursts``), do not count.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from app import clock
from app.db import session
from app.errors import ValidationFailed
from app.ratings.errors import BAD_SCORES
from app.ratings.models import Rating, RectificationCase
from app.staff.auth import StaffPrincipal
from app.staff.models import Department, Service, StaffMember

GROUPS = ("department", "service", "staff", "month")


def month_bounds(month: str) -> tuple[datetime, datetime]:
    """'2025-10' → the month's start and the next month's start, local time, as UTC."""
    try:
        year, number = (int(part) for part in month.split("-"))
        start = datetime(year, number, 1, tzinfo=clock.local_tz())
    except ValueError:
        raise ValidationFailed("月份格式应为 YYYY-MM", details={"month": month}) from None
    end = datetime(year + number // 12, number % 12 + 1, 1, tzinfo=clock.local_tz())
    return start.astimezone(UTC), end.astimezone(UTC)


def _labels(group_by: str, keys: set[Any]) -> dict[Any, str]:
    model = {"department": Department, "service": Service, "staff": StaffMember}.get(group_by)
    if model is None:
        return {k: k for k in keys}
    column = model.display_name if model is StaffMember else model.name
    return dict(session().execute(select(model.id, column).where(model.id.in_([k for k in keys if k]))).all())


def aggregate(staff: StaffPrincipal, group_by: str, *, month: str | None = None,
              department_id: int | None = None) -> list[dict[str, Any]]:
    if group_by not in GROUPS:
        raise ValidationFailed("分组方式无效", details={"group_by": group_by})
    departments = [d for d in staff.department_ids if department_id in (None, d)]
    stmt = (select(Rating, RectificationCase)
            .outerjoin(RectificationCase, RectificationCase.rating_id == Rating.id)
            .where(Rating.department_id.in_(departments), Rating.excluded.is_(False),
                   Rating.held_for_review.is_(False)))
    if month:
        start, end = month_bounds(month)
        stmt = stmt.where(Rating.created_at >= start, Rating.created_at < end)
    groups: dict[Any, list[tuple[Rating, RectificationCase | None]]] = defaultdict(list)
    tz = clock.local_tz()
    for rating, case in session().execute(stmt).all():
        key = {"department": rating.department_id, "service": rating.service_id, "staff": rating.staff_id,
               "month": rating.created_at.astimezone(tz).strftime("%Y-%m")}[group_by]
        groups[key].append((rating, case))
    labels = _labels(group_by, set(groups))
    result = []
    for key in sorted(groups, key=lambda k: (k is None, str(k))):
        rows = groups[key]
        scores = [r.score for r, _ in rows]
        cases = [c for _, c in rows if c is not None]
        on_time = sum(1 for c in cases if c.outcome_at is not None and c.outcome_at <= c.due)
        result.append({
            "key": key, "label": labels.get(key), "count": len(scores),
            "average": round(sum(scores) / len(scores), 2),
            "bad": sum(1 for s in scores if s in BAD_SCORES),
            "bad_share": round(sum(1 for s in scores if s in BAD_SCORES) / len(scores), 4),
            "rectification_cases": len(cases), "rectified_on_time": on_time,
            "rectified_on_time_share": round(on_time / len(cases), 4) if cases else None,
        })
    return result
