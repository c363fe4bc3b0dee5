"""The application lifecycle. Every change is one use case that writes an event (who, when, why)
and tells the applicant; an action not allowed from the current state is
``application_illegal_transition`` (409, details action/from/to).

    draft → submitted → accepted (受理) → in_review → approved | rejected → completed (办结)
    submitted → not_accepted (不予受理)
    submitted | accepted | in_review → supplement_requested (补正, clock paused) → back (resubmit)
    draft | submitted | accepted | in_review | supplement_requested → withdrawn (before a decision)

A life-event application (一件事) is never processed itself: its submission creates one part per
service it names, each submitted to its own department; it is ``in_progress`` until every part is
closed, then ``completed``. A service with a decision rule (秒批) is decided at submission when
the rule holds; otherwise it goes to staff like any other.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select

from app import clock
from app.applications import deadlines, errors
from app.applications.access import applicant_application
from app.applications.drafts import attach_held, check_form, check_materials, counts, number_for, require_guide
from app.applications.guides import Guide
from app.applications.holdings import Holdings
from app.applications.models import Application, ApplicationEvent
from app.applications.notices import tell_applicant
from app.db import session, transactional
from app.identity.sessions import Principal
from app.people.models import Person

DRAFT, SUBMITTED, ACCEPTED, IN_REVIEW = "draft", "submitted", "accepted", "in_review"
SUPPLEMENT, NOT_ACCEPTED, APPROVED, REJECTED = "supplement_requested", "not_accepted", "approved", "rejected"
COMPLETED, WITHDRAWN, IN_PROGRESS = "completed", "withdrawn", "in_progress"
STATES = (DRAFT, SUBMITTED, ACCEPTED, IN_REVIEW, SUPPLEMENT, NOT_ACCEPTED, APPROVED, REJECTED, COMPLETED,
          WITHDRAWN, IN_PROGRESS)
CLOSED = (NOT_ACCEPTED, COMPLETED, WITHDRAWN)
OPEN = (SUBMITTED, ACCEPTED, IN_REVIEW, SUPPLEMENT)

# action → (states it may start from, state it leads to)
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "submit": (frozenset({DRAFT}), SUBMITTED),
    "accept": (frozenset({SUBMITTED}), ACCEPTED),
    "refuse": (frozenset({SUBMITTED}), NOT_ACCEPTED),
    "review": (frozenset({ACCEPTED}), IN_REVIEW),
    "request_supplement": (frozenset({SUBMITTED, ACCEPTED, IN_REVIEW}), SUPPLEMENT),
    "resubmit": (frozenset({SUPPLEMENT}), IN_REVIEW),
    "approve": (frozenset({ACCEPTED, IN_REVIEW}), APPROVED),
    "reject": (frozenset({ACCEPTED, IN_REVIEW}), REJECTED),
    "complete": (frozenset({APPROVED, REJECTED}), COMPLETED),
    "withdraw": (frozenset({DRAFT, SUBMITTED, ACCEPTED, IN_REVIEW, SUPPLEMENT}), WITHDRAWN),
}
# The steps staff take on a case (the rest are the applicant's or the system's).
STAFF_ACTIONS = ("accept", "refuse", "review", "request_supplement", "approve", "reject")


def allowed_actions(state: str, actions: tuple[str, ...] = STAFF_ACTIONS) -> list[str]:
    """The ``actions`` the transition table allows from ``state``, in table order."""
    return [action for action in TRANSITIONS if action in actions and state in TRANSITIONS[action][0]]


EVENT_KINDS = {"submit": "submitted", "accept": "accepted", "refuse": "not_accepted", "review": "in_review",
               "request_supplement": "supplement_requested", "resubmit": "resubmitted", "approve": "approved",
               "reject": "rejected", "complete": "completed", "withdraw": "withdrawn"}
# Steps the applicant is told of (their own submit included, as a receipt; not their withdrawals).
TOLD = ("submitted", "accepted", "in_review", "not_accepted", "supplement_requested", "approved", "rejected",
        "completed")


def move(application: Application, action: str, actor_type: str, actor_id: str | int | None,
         details: dict[str, Any] | None = None, *, to_state: str | None = None, tell: str = "") -> ApplicationEvent:
    """One transition: check it, record it, and tell the applicant (``tell`` is the why)."""
    allowed, target = TRANSITIONS[action]
    target = to_state or target
    if application.state not in allowed:
        raise errors.ApplicationIllegalTransition(action, application.state, target)
    now = clock.now()
    event = ApplicationEvent(application_id=application.id, at=now, actor_type=actor_type,
                             actor_id=None if actor_id is None else str(actor_id), kind=EVENT_KINDS[action],
                             from_state=application.state, to_state=target, details=details or {})
    session().add(event)
    session().flush()
    application.state, application.updated_at = target, now
    if event.kind in TOLD:
        guide = require_guide(application.service_code)
        tell_applicant(application, event, service=guide.name, department=guide.department_name,
                       days=guide.promised_days, reason=tell)
    if application.bundle_id is not None and target in CLOSED:
        _close_bundle_if_done(application.bundle_id, now)
    return event


@transactional
def submit(principal: Principal, application_id: int) -> Application:
    """Submit my draft: form and materials are checked (certificates must be current); a life event
    fans out to its parts; a 秒批 service is decided at once when its rule holds."""
    application = applicant_application(principal.account_id, application_id, lock=True)
    if application.state != DRAFT:
        raise errors.ApplicationIllegalTransition("submit", application.state, SUBMITTED)
    guide = require_guide(application.service_code)
    missing = check_form(application, guide)
    if missing:
        raise errors.FormInvalid("还有必填项未填写", details={"fields": missing})
    problems = check_materials(application, guide)
    if problems:
        error = errors.CertificateNotUsable if any(p["problem"] != "missing" for p in problems) \
            else errors.MaterialsMissing
        raise error(details={"materials": problems})
    now = clock.now()
    application.open_draft_key, application.submitted_at = None, now
    if guide.parts:
        move(application, "submit", "applicant", principal.account_id, {"parts": list(guide.parts)},
             to_state=IN_PROGRESS)
        for code in guide.parts:
            _submit_part(application, require_guide(code), now)
        return application
    move(application, "submit", "applicant", principal.account_id)
    if guide.decision_rule is not None:
        from app.applications.instant import decide_by_rule

        decide_by_rule(application, guide)
    return application


def _submit_part(parent: Application, guide: Guide, now: datetime) -> Application:
    from app.staff.models import Service

    service = session().scalars(select(Service).where(Service.code == guide.code)).one()
    # Each part takes the one form's values (by key, else by the same prefill source) and the
    # materials held for it (免提交), so nothing is asked twice.
    by_source = {entry.get("source"): entry for entry in (parent.form or {}).values() if entry.get("source")}
    form = {}
    for spec in guide.fields:
        entry = (parent.form or {}).get(spec.key) or by_source.get(spec.source) or {
            "value": None, "prefilled": False, "typed": False}
        form[spec.key] = dict(entry)
    person = session().scalars(select(Person).where(Person.account_id == parent.applicant_account_id)).first()
    child = session().get(Person, parent.subject_person_id) if parent.subject_person_id else None
    materials = attach_held(guide, Holdings.read(parent.applicant_account_id, person, child))
    materials.update({spec.code: dict(parent.materials[spec.code]) for spec in guide.materials
                      if spec.code in (parent.materials or {})})
    prefilled, typed = counts(form)
    part = Application(service_code=guide.code, service_id=service.id, department_id=service.department_id,
                       applicant_account_id=parent.applicant_account_id, entity_uscc=parent.entity_uscc,
                       subject_person_id=parent.subject_person_id, bundle_id=parent.id, state=DRAFT,
                       origin=parent.origin, form=form, materials=materials, prefilled_count=prefilled,
                       typed_count=typed, created_at=now, updated_at=now, submitted_at=now)
    session().add(part)
    session().flush()
    part.number = number_for(part)
    move(part, "submit", "applicant", parent.applicant_account_id, {"bundle": parent.number})
    if guide.decision_rule is not None:
        from app.applications.instant import decide_by_rule

        decide_by_rule(part, guide)
    return part


def _close_bundle_if_done(bundle_id: int, now: datetime) -> None:
    parent = session().get(Application, bundle_id)
    parts = session().scalars(select(Application.state).where(Application.bundle_id == bundle_id)).all()
    if parent is None or parent.state != IN_PROGRESS or any(state not in CLOSED for state in parts):
        return
    session().add(ApplicationEvent(application_id=parent.id, at=now, actor_type="system", kind="completed",
                                   from_state=IN_PROGRESS, to_state=COMPLETED, details={"parts": len(parts)}))
    parent.state, parent.updated_at, parent.completed_at = COMPLETED, now, now
    parent.decided_at = parent.decided_at or now


@transactional
def withdraw(principal: Principal, application_id: int, reason: str | None = None) -> Application:
    """Withdraw my application before a decision (a draft is discarded the same way)."""
    application = applicant_application(principal.account_id, application_id, lock=True)
    if application.state == IN_PROGRESS:
        parts = session().scalars(select(Application).where(Application.bundle_id == application.id)
                                  .with_for_update()).all()
        for part in parts:
            if part.state in OPEN:
                move(part, "withdraw", "applicant", principal.account_id, {"reason": reason})
        return application
    move(application, "withdraw", "applicant", principal.account_id, {"reason": reason} if reason else None)
    application.open_draft_key = None
    application.paused_at = None
    return application


@transactional
def resubmit(principal: Principal, application_id: int, message: str | None = None) -> Application:
    """Answer a supplement request (补正): materials are checked again and the clock restarts."""
    application = applicant_application(principal.account_id, application_id, lock=True)
    if application.state != SUPPLEMENT:
        raise errors.ApplicationIllegalTransition("resubmit", application.state, IN_REVIEW)
    guide = require_guide(application.service_code)
    missing = check_form(application, guide)
    if missing:
        raise errors.FormInvalid("还有必填项未填写", details={"fields": missing})
    problems = check_materials(application, guide)
    if problems:
        raise errors.CertificateNotUsable(details={"materials": problems})
    now = clock.now()
    deadlines.resume(application, now)
    back = IN_REVIEW if application.accepted_at is not None else SUBMITTED
    move(application, "resubmit", "applicant", principal.account_id,
         {"message": message, "due_at": application.due_at and application.due_at.isoformat()}, to_state=back)
    application.supplement = None
    return application
