"""Read models of applications: what the applicant and the staff see (frozen views, never rows)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from app import clock
from app.applications import deadlines
from app.applications.errors import STATE_NAMES
from app.applications.guides import Guide, guides
from app.applications.models import Application, ApplicationEvent, ApplicationUpload
from app.db import session
from app.ratings.models import Rating
from app.staff.labels import staff_label
from app.staff.models import Department

ACTOR_NAMES = {"applicant": "申请人", "staff": "工作人员", "rule": "自动审批规则", "system": "系统"}


@dataclass(frozen=True)
class FieldView:
    key: str
    label: str
    kind: str
    required: bool
    choices: list[str]
    value: str | None
    source: str | None
    source_label: str | None
    authoritative: bool
    editable: bool
    prefilled: bool


@dataclass(frozen=True)
class MaterialView:
    code: str
    name: str
    by: str
    type: str | None
    required: bool
    satisfied: bool
    certificate_id: int | None
    licence_id: int | None
    upload_id: int | None
    file_name: str | None
    note: str | None


@dataclass(frozen=True)
class DeadlineView:
    promised_days: int
    statutory_days: int
    due_at: datetime | None
    paused: bool
    remaining_days: int | None
    overdue: bool


@dataclass(frozen=True)
class PartView:
    id: int
    number: str | None
    service_code: str
    service_name: str
    department_name: str
    state: str
    state_name: str
    decision: str | None
    due_at: datetime | None


@dataclass(frozen=True)
class ApplicationView:
    id: int
    number: str | None
    service_code: str
    service_name: str
    department_code: str
    department_name: str
    channel: str
    state: str
    state_name: str
    entity_uscc: str | None
    bundle_id: int | None
    fields: list[FieldView]
    materials: list[MaterialView]
    prefilled_count: int
    typed_count: int
    supplement: dict[str, Any] | None
    decision: str | None
    decision_reason: str | None
    rule_outcome: dict[str, Any] | None
    result: dict[str, Any] | None
    deadline: DeadlineView
    parts: list[PartView]
    rating_id: int | None
    rating: RatingView | None
    origin: str | None
    created_at: datetime
    updated_at: datetime
    submitted_at: datetime | None
    decided_at: datetime | None
    completed_at: datetime | None


@dataclass(frozen=True)
class RatingView:
    score: int
    comment: str | None


@dataclass(frozen=True)
class ApplicationSummary:
    id: int
    number: str | None
    service_code: str
    service_name: str
    department_name: str
    state: str
    state_name: str
    entity_uscc: str | None
    bundle_id: int | None
    due_at: datetime | None
    overdue: bool
    paused: bool
    submitted_at: datetime | None
    updated_at: datetime


@dataclass(frozen=True)
class EventView:
    id: int
    application_id: int
    at: datetime
    actor_type: str
    actor: str
    kind: str
    from_state: str | None
    to_state: str | None
    details: dict[str, Any]


def guide_of(application: Application) -> Guide:
    return guides()[application.service_code]


def field_views(application: Application, guide: Guide) -> list[FieldView]:
    out = []
    for spec in guide.fields:
        entry = (application.form or {}).get(spec.key, {})
        out.append(FieldView(spec.key, spec.label, spec.kind, spec.required, list(spec.choices), entry.get("value"),
                             entry.get("source"), entry.get("source_label"), spec.authoritative,
                             not spec.authoritative, bool(entry.get("prefilled"))))
    return out


def material_views(application: Application, guide: Guide) -> list[MaterialView]:
    uploads = {u.id: u for u in session().scalars(select(ApplicationUpload).where(
        ApplicationUpload.application_id == application.id))} if application.id else {}
    out = []
    for spec in guide.materials:
        entry = (application.materials or {}).get(spec.code, {})
        upload = uploads.get(entry.get("upload_id") or 0)
        satisfied = bool(entry.get("certificate_id") or entry.get("licence_id") or upload or entry.get("fact"))
        out.append(MaterialView(spec.code, spec.name, spec.by, spec.type, spec.required, satisfied,
                                entry.get("certificate_id"), entry.get("licence_id"), upload.id if upload else None,
                                upload.file_name if upload else None, entry.get("note")))
    return out


def deadline_view(application: Application, guide: Guide) -> DeadlineView:
    return DeadlineView(guide.promised_days, guide.statutory_days, application.due_at,
                        application.paused_at is not None, application.remaining_days,
                        deadlines.is_overdue(application, clock.now()))


def part_views(application: Application) -> list[PartView]:
    parts = session().scalars(select(Application).where(Application.bundle_id == application.id)
                              .order_by(Application.id)).all()
    return [PartView(p.id, p.number, p.service_code, guide_of(p).name, guide_of(p).department_name, p.state,
                     STATE_NAMES[p.state], p.decision, p.due_at) for p in parts]


def rating_view(application: Application) -> RatingView | None:
    rating = session().get(Rating, application.rating_id) if application.rating_id is not None else None
    return RatingView(rating.score, rating.comment) if rating is not None else None


def application_view(application: Application) -> ApplicationView:
    guide = guide_of(application)
    return ApplicationView(
        application.id, application.number, application.service_code, guide.name, guide.department_code,
        guide.department_name, guide.channel, application.state, STATE_NAMES[application.state],
        application.entity_uscc, application.bundle_id, field_views(application, guide),
        material_views(application, guide), application.prefilled_count, application.typed_count,
        application.supplement, application.decision, application.decision_reason, application.rule_outcome,
        application.result, deadline_view(application, guide), part_views(application) if guide.parts else [],
        application.rating_id, rating_view(application), application.origin, application.created_at,
        application.updated_at, application.submitted_at, application.decided_at, application.completed_at)


def summary_view(application: Application) -> ApplicationSummary:
    guide = guide_of(application)
    now = clock.now()
    return ApplicationSummary(application.id, application.number, application.service_code, guide.name,
                              guide.department_name, application.state, STATE_NAMES[application.state],
                              application.entity_uscc, application.bundle_id, application.due_at,
                              deadlines.is_overdue(application, now), application.paused_at is not None,
                              application.submitted_at, application.updated_at)


def event_view(event: ApplicationEvent, department_name: str | None = None) -> EventView:
    actor = ACTOR_NAMES.get(event.actor_type, event.actor_type)
    if event.actor_type == "staff" and event.actor_id:
        actor = staff_label(department_name, event.actor_id)  # as in the data tracker, never a name
    return EventView(event.id, event.application_id, event.at, event.actor_type, actor, event.kind,
                     event.from_state, event.to_state, dict(event.details or {}))


def events_of(application: Application) -> list[EventView]:
    ids = [application.id, *session().scalars(select(Application.id).where(
        Application.bundle_id == application.id))]
    rows = session().execute(
        select(ApplicationEvent, Department.name)
        .join(Application, Application.id == ApplicationEvent.application_id)
        .outerjoin(Department, Department.id == Application.department_id)
        .where(ApplicationEvent.application_id.in_(ids))
        .order_by(ApplicationEvent.at, ApplicationEvent.id))
    return [event_view(event, department) for event, department in rows]
