"""What someone acting for an entity sees of it: register entry, stage history, annual reports.

The annual report for year Y is due in the window 1 January – 30 June of Y + 1 (市场主体年度报告);
a report not submitted once that window has closed shows as ``overdue`` even before the
authority says so. Last year's report shows from 1 January even when the register has sent no row
for it yet (it is owed by every entity that existed last year and is not deregistered, as the
annual-report reminders assume).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from app import clock
from app.db import session
from app.entities.acting import ANY_SCOPE, ActingAs, require_acting
from app.entities.models import AnnualReport, Entity, EntityStageChange


@dataclass(frozen=True)
class AnnualReportView:
    year: int
    status: str
    submitted_on: date | None
    window_opens: date
    window_closes: date


@dataclass(frozen=True)
class StageChangeView:
    stage: str
    from_stage: str | None
    effective_on: date | None
    reason: str | None
    recorded_at: datetime


@dataclass(frozen=True)
class EntityOverview:
    entity: Entity
    role: str
    scopes: tuple[str, ...]
    legal_representative: str | None
    stage_history: list[StageChangeView]
    annual_reports: list[AnnualReportView]


def annual_report_window(year: int) -> tuple[date, date]:
    return date(year + 1, 1, 1), date(year + 1, 6, 30)


def annual_report_view(report: AnnualReport, today: date) -> AnnualReportView:
    opens, closes = annual_report_window(report.year)
    status = "overdue" if report.status == "not_submitted" and today > closes else report.status
    return AnnualReportView(report.year, status, report.submitted_on, opens, closes)


def _owes_last_years_report(entity: Entity, history: list[EntityStageChange], today: date) -> bool:
    registered = next((h.effective_on for h in history if h.from_stage is None), None) or entity.stage_since
    return entity.stage != "deregistered" and (registered is None or registered.year < today.year)


def entity_overview(account_id: int, uscc: str) -> EntityOverview:
    acting: ActingAs = require_acting(account_id, uscc, ANY_SCOPE)
    entity, s, today = acting.entity, session(), clock.today()
    history = list(s.scalars(select(EntityStageChange).where(EntityStageChange.entity_id == entity.id)
                             .order_by(EntityStageChange.id.desc())))
    reports = list(s.scalars(select(AnnualReport).where(AnnualReport.entity_id == entity.id)
                             .order_by(AnnualReport.year.desc())))
    last_year = today.year - 1
    if all(r.year != last_year for r in reports) and _owes_last_years_report(entity, history, today):
        reports.append(AnnualReport(year=last_year, status="not_submitted", submitted_on=None))
        reports.sort(key=lambda r: r.year, reverse=True)
    return EntityOverview(
        entity, acting.role, acting.scopes, entity.representative_name_masked,
        [StageChangeView(h.stage, h.from_stage, h.effective_on, h.reason, h.recorded_at) for h in history],
        [annual_report_view(r, today) for r in reports])
